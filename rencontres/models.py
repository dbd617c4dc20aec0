"""Meetings of the network: the meeting, its agenda items, registrations and calendar feeds.

``Rencontre.objects.visible_to(user)`` is the one place that decides who sees a meeting: a
meeting that is not a draft, of a level the user may see; staff also see drafts.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.db import unaccent
from reseau_acv.core.models import Theme, TimeStampedModel
from reseau_acv.core.permissions import is_equipe
from reseau_acv.core.visibility import Visibilite, VisibleQuerySet, levels_for, visibilite_field


def _place_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", unaccent(text).casefold()).split())


def _names_town(text: str, town: str) -> bool:
    """Whether an address segment is the town's name, maybe after its postcode (« 18000 Bourges »)."""
    key = _place_key(text)
    return bool(key) and re.sub(r"^[0-9]{5} ", "", key) == _place_key(town)


def _registrations_count(statut: str) -> Coalesce:
    counted = (
        Inscription.objects.filter(rencontre=OuterRef("pk"), statut=statut)
        .order_by()
        .values("rencontre")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


class RencontreQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        if is_equipe(user):
            return self.all()
        return self.filter(visibilite__in=levels_for(user)).exclude(statut=Rencontre.Statut.BROUILLON)

    def upcoming(self):
        return self.filter(fin__gte=timezone.now()).order_by("debut")

    def past(self):
        return self.filter(fin__lt=timezone.now()).order_by("-debut")

    def plenieres(self):
        return self.filter(type=Rencontre.Type.PLENIERE)

    def with_counts(self):
        """Annotate ``nb_inscrits`` and ``nb_attente`` in the same query: subqueries run for the rows
        read only (a ``Count`` join would count the registrations of every meeting before a page is cut)."""
        return self.annotate(
            nb_inscrits=_registrations_count(Inscription.Statut.INSCRIT),
            nb_attente=_registrations_count(Inscription.Statut.ATTENTE),
        )

    def with_statut_for(self, user):
        """Annotate ``est_inscrit`` and ``est_en_attente`` for ``user`` (False for anonymous)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.annotate(
                est_inscrit=models.Value(False, output_field=models.BooleanField()),
                est_en_attente=models.Value(False, output_field=models.BooleanField()),
            )
        mine = Inscription.objects.filter(rencontre=OuterRef("pk"), membre=user)
        return self.annotate(
            est_inscrit=Exists(mine.filter(statut=Inscription.Statut.INSCRIT)),
            est_en_attente=Exists(mine.filter(statut=Inscription.Statut.ATTENTE)),
        )


class Rencontre(TimeStampedModel):
    """A meeting of the network: a working session, a site visit, a plenary, a webinar…"""

    class Type(models.TextChoices):
        SEANCE_CHEFS = "seance_chefs", _("Séance de travail des chef·fes de projet")
        VISITE = "visite", _("Visite de site")
        PLENIERE = "pleniere", _("Rencontre régionale plénière")
        RDV_REVITALISATION = "rdv_revitalisation", _("Rendez-vous de la revitalisation")
        WEBINAIRE = "webinaire", _("Webinaire")

    class Format(models.TextChoices):
        PRESENTIEL = "presentiel", _("En présentiel")
        VISIO = "visio", _("En visioconférence")
        HYBRIDE = "hybride", _("Hybride (présentiel et visioconférence)")

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        PUBLIEE = "publiee", _("Publiée")
        ANNULEE = "annulee", _("Annulée")
        TENUE = "tenue", _("Tenue")

    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.SEANCE_CHEFS, db_index=True)
    titre = models.CharField(_("titre"), max_length=200)
    resume = models.TextField(_("présentation"), blank=True, help_text=_("Markdown."))
    debut = models.DateTimeField(_("début"), db_index=True)
    fin = models.DateTimeField(_("fin"))
    format = models.CharField(_("format"), max_length=12, choices=Format.choices, default=Format.VISIO)
    ville = models.ForeignKey(
        "villes.Ville",
        verbose_name=_("ville d'accueil"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rencontres",
    )
    adresse = models.CharField(_("adresse"), max_length=300, blank=True)
    lien_visio = models.URLField(
        _("lien de visioconférence"),
        max_length=500,
        blank=True,
        help_text=_("Montré seulement aux personnes inscrites."),
    )
    ordre_du_jour = models.TextField(_("ordre du jour"), blank=True, help_text=_("Markdown."))
    compte_rendu = models.TextField(_("compte rendu"), blank=True, help_text=_("Markdown."))
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), related_name="rencontres", blank=True)
    materiaux = models.ManyToManyField(
        "ressources.Ressource",
        verbose_name=_("supports et documents"),
        related_name="rencontres",
        blank=True,
        help_text=_("Présentations, comptes rendus, photos : des ressources de la bibliothèque."),
    )
    visibilite = visibilite_field(default=Visibilite.RESEAU)
    capacite = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True, help_text=_("Vide : sans limite.")
    )
    date_limite_inscription = models.DateTimeField(_("date limite d'inscription"), null=True, blank=True)
    statut = models.CharField(_("statut"), max_length=12, choices=Statut.choices, default=Statut.BROUILLON)
    version = models.PositiveIntegerField(
        _("version"), default=0, help_text=_("Augmente à chaque changement de date, de lieu ou de lien.")
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    publiee_le = models.DateTimeField(_("publiée le"), null=True, blank=True)
    annulee_le = models.DateTimeField(_("annulée le"), null=True, blank=True)
    rappel_j7_le = models.DateTimeField(_("rappel J-7 envoyé le"), null=True, blank=True)
    rappel_j1_le = models.DateTimeField(_("rappel J-1 envoyé le"), null=True, blank=True)
    suivi_envoye_le = models.DateTimeField(_("suivi envoyé le"), null=True, blank=True)
    recherche = SearchVectorField(_("index de recherche"), null=True, editable=False)

    objects = RencontreQuerySet.as_manager()

    class Meta:
        ordering = ["debut"]
        verbose_name = _("rencontre")
        verbose_name_plural = _("rencontres")
        constraints = [
            models.CheckConstraint(condition=Q(fin__gt=models.F("debut")), name="rencontre_fin_apres_debut"),
            models.CheckConstraint(condition=Q(capacite__isnull=True) | Q(capacite__gt=0), name="rencontre_capacite"),
        ]
        indexes = [models.Index(fields=["statut", "debut"], name="rencontre_statut_debut_idx")]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("rencontres:rencontre-detail", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.statut == self.Statut.ANNULEE

    @property
    def is_past(self) -> bool:
        return self.fin < timezone.now()

    @property
    def registration_open(self) -> bool:
        now = timezone.now()
        if self.statut != self.Statut.PUBLIEE or self.debut <= now:
            return False
        return self.date_limite_inscription is None or now <= self.date_limite_inscription

    @property
    def has_video(self) -> bool:
        return self.format in {self.Format.VISIO, self.Format.HYBRIDE} and bool(self.lien_visio)

    @property
    def lieu_parts(self) -> tuple[str, str]:
        """(the address without the town, the town as written): the town written once.

        « Palais des congrès, Bourges » with the town Bourges gives (« Palais des congrès »,
        « Bourges »), not « Palais des congrès, Bourges, Bourges »; so does « …, 18000 Bourges ».
        """
        adresse = (self.adresse or "").strip().rstrip(",").strip()
        ville = self.ville  # None without a query when there is no town
        if ville is None:
            return adresse, ""
        head, comma, last = adresse.rpartition(",")
        if _names_town(last, ville.nom):
            return (head.strip() if comma else ""), last.strip()
        return adresse, ville.nom

    @property
    def lieu(self) -> str:
        return ", ".join(part for part in self.lieu_parts if part)


class PointOrdreDuJour(models.Model):
    """One item of a meeting's agenda, tied to a theme."""

    rencontre = models.ForeignKey(
        Rencontre, verbose_name=_("rencontre"), on_delete=models.CASCADE, related_name="points"
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    horaire = models.TimeField(_("horaire"), null=True, blank=True)
    titre = models.CharField(_("intitulé"), max_length=200)
    theme = models.ForeignKey(
        Theme, verbose_name=_("thème"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    intervenants = models.CharField(_("intervenant·es"), max_length=300, blank=True)

    class Meta:
        ordering = ["ordre", "horaire", "pk"]
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("points de l'ordre du jour")

    def __str__(self) -> str:
        return self.titre


class InscriptionQuerySet(models.QuerySet):
    def inscrits(self):
        return self.filter(statut=Inscription.Statut.INSCRIT)

    def en_attente(self):
        return self.filter(statut=Inscription.Statut.ATTENTE).order_by("attente_depuis", "pk")

    def actives(self):
        return self.filter(statut__in=[Inscription.Statut.INSCRIT, Inscription.Statut.ATTENTE])


class Inscription(TimeStampedModel):
    """A member's registration for a meeting: registered, on the waiting list, or withdrawn."""

    class Statut(models.TextChoices):
        INSCRIT = "inscrit", _("Inscrit·e")
        ATTENTE = "attente", _("En liste d'attente")
        DESINSCRIT = "desinscrit", _("Désinscrit·e")

    rencontre = models.ForeignKey(
        Rencontre, verbose_name=_("rencontre"), on_delete=models.CASCADE, related_name="inscriptions"
    )
    membre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="inscriptions"
    )
    statut = models.CharField(_("statut"), max_length=12, choices=Statut.choices, default=Statut.INSCRIT)
    attente_depuis = models.DateTimeField(_("en attente depuis"), null=True, blank=True)
    present = models.BooleanField(_("présent·e"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    objects = InscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["rencontre", "membre__last_name", "membre__first_name"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.UniqueConstraint(fields=["rencontre", "membre"], name="inscription_unique_par_membre"),
        ]
        indexes = [models.Index(fields=["rencontre", "statut"], name="inscription_statut_idx")]

    def __str__(self) -> str:
        return f"{self.membre} — {self.rencontre}"


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class FluxCalendrier(TimeStampedModel):
    """A member's private calendar feed. Only the hash of its secret token is stored."""

    membre = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="flux_calendrier"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    renouvele_le = models.DateTimeField(_("renouvelé le"), default=timezone.now)
    dernier_acces = models.DateTimeField(_("dernier accès"), null=True, blank=True)

    class Meta:
        verbose_name = _("flux de calendrier")
        verbose_name_plural = _("flux de calendrier")

    def __str__(self) -> str:
        return str(self.membre)
