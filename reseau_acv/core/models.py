"""Shared models: the timestamped base, the theme taxonomy, the e-mail outbox, and the
notifications, follows and choices of the members."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class Theme(TimeStampedModel):
    """A theme of ACV's taxonomy: the five action axes and the transversal themes."""

    class Famille(models.TextChoices):
        AXE = "axe", _("Axe ACV")
        TRANSVERSAL = "transversal", _("Thème transversal")

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    nom = models.CharField(_("nom"), max_length=120, unique=True)
    nom_court = models.CharField(_("nom court"), max_length=40)
    famille = models.CharField(_("famille"), max_length=12, choices=Famille.choices)
    numero_axe = models.PositiveSmallIntegerField(_("numéro d'axe"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["ordre", "nom"]
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self) -> str:
        return self.nom


class Courriel(models.Model):
    """One e-mail in the outbox.

    It is recorded in the same transaction as the change that causes it, under a unique key
    (purpose, object, recipient): recording it twice is a no-op. A task sends it and marks it
    sent; a periodic job sends what is still pending.
    """

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", _("En attente")
        ENVOYE = "envoye", _("Envoyé")
        ECHEC = "echec", _("Abandonné après plusieurs échecs")

    cle = models.CharField(_("clé"), max_length=255, unique=True)
    objet_envoi = models.CharField(_("motif"), max_length=80, db_index=True)
    destinataire = models.EmailField(_("destinataire"))
    sujet = models.CharField(_("sujet"), max_length=255)
    texte = models.TextField(_("texte"))
    html = models.TextField(_("HTML"), blank=True)
    entetes = models.JSONField(_("en-têtes"), default=dict, blank=True)
    pieces_jointes = models.JSONField(_("pièces jointes"), default=list, blank=True)
    statut = models.CharField(_("statut"), max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    tentatives = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    derniere_erreur = models.TextField(_("dernière erreur"), blank=True)
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True)
    prochain_essai = models.DateTimeField(_("prochain essai"), auto_now_add=True)
    envoye_le = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    abandon_signale_le = models.DateTimeField(_("abandon signalé à l'équipe le"), null=True, blank=True)

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = _("courriel")
        verbose_name_plural = _("courriels (boîte d'envoi)")
        indexes = [
            models.Index(
                fields=["prochain_essai"],
                name="courriel_en_attente_idx",
                condition=models.Q(statut="en_attente"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.objet_envoi} → {self.destinataire}"


class EntreeThesaurus(TimeStampedModel):
    """A group of expressions the search treats as one: an acronym and its expansion, or
    synonyms of the trade (« mobilité douce », « pistes cyclables », « vélo »). Staff edit them."""

    expressions = models.TextField(
        _("expressions équivalentes"),
        help_text=_("Une expression par ligne (ou séparées par « ; ») : un sigle, son développement, des synonymes."),
    )
    actif = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("entrée du thésaurus")
        verbose_name_plural = _("entrées du thésaurus")

    def __str__(self) -> str:
        return " ; ".join(self.liste)

    @property
    def liste(self) -> list[str]:
        from .recherche.thesaurus import split_expressions

        return split_expressions(self.expressions)


class MotIndexe(models.Model):
    """A word of the indexed titles and summaries: typo tolerance suggests from them."""

    mot = models.CharField(_("mot"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("mot indexé")
        verbose_name_plural = _("mots indexés")

    def __str__(self) -> str:
        return self.mot


# --- Notifications, follows and each member's choices ------------------------------------------
# Generic rows: core imports no app. What a notification or a follow is about is a content
# type and an id; the member is ``settings.AUTH_USER_MODEL``. ``core.notifications`` writes them.


class Envoi(models.TextChoices):
    """How a member wants to hear of one kind of notification by e-mail."""

    IMMEDIAT = "immediat", _("Par e-mail tout de suite")
    RESUME = "resume", _("Dans mon récapitulatif")
    JAMAIS = "jamais", _("Jamais par e-mail")


class Notification(models.Model):
    """One event told to one member: shown in the platform, e-mailed as they chose.

    ``(cle, destinataire)`` is unique: recording the same event twice tells nobody twice. The
    text, the thread's title and the link are written when the event happens, for a member who
    could see the content then.
    """

    destinataire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur de l'action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    type = models.CharField(_("type"), max_length=40)
    cle = models.CharField(_("événement"), max_length=200)
    objet_type = models.ForeignKey(
        ContentType, verbose_name=_("type de l'objet"), on_delete=models.CASCADE, related_name="+"
    )
    objet_id = models.PositiveBigIntegerField(_("objet n°"))
    fil_type = models.ForeignKey(
        ContentType, verbose_name=_("type du fil"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    fil_id = models.PositiveBigIntegerField(_("fil n°"), null=True, blank=True)
    texte = models.CharField(_("texte"), max_length=300)
    fil_titre = models.CharField(_("titre du fil"), max_length=255, blank=True)
    extrait = models.CharField(_("extrait"), max_length=300, blank=True)
    url = models.CharField(_("lien"), max_length=500)
    envoi = models.CharField(_("courriel"), max_length=10, choices=Envoi.choices)
    resume_le = models.DateTimeField(_("dans le récapitulatif du"), null=True, blank=True)
    cree_le = models.DateTimeField(_("le"), default=timezone.now)
    lue_le = models.DateTimeField(_("lue le"), null=True, blank=True)

    class Meta:
        ordering = ["-cree_le", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["cle", "destinataire"], name="notification_une_par_evenement"),
        ]
        indexes = [
            models.Index(fields=["destinataire", "-cree_le"], name="notification_membre_idx"),
            models.Index(
                fields=["destinataire"], name="notification_non_lue_idx", condition=models.Q(lue_le__isnull=True)
            ),
            models.Index(
                fields=["destinataire", "cree_le"],
                name="notification_resume_idx",
                condition=models.Q(envoi="resume", resume_le__isnull=True),
            ),
            models.Index(fields=["lue_le"], name="notification_lue_idx", condition=models.Q(lue_le__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.destinataire_id} — {self.texte}"

    @property
    def is_read(self) -> bool:
        return self.lue_le is not None

    @property
    def fil_key(self) -> tuple:
        return (self.fil_type_id, self.fil_id) if self.fil_id else (self.objet_type_id, self.objet_id)


class Suivi(models.Model):
    """A member follows a thread, a resource, an experience sheet, a meeting, a theme or a town."""

    membre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="suivis"
    )
    cible_type = models.ForeignKey(
        ContentType, verbose_name=_("type suivi"), on_delete=models.CASCADE, related_name="+"
    )
    cible_id = models.PositiveBigIntegerField(_("objet suivi n°"))
    cible = GenericForeignKey("cible_type", "cible_id")
    automatique = models.BooleanField(
        _("suivi automatique"), default=False, help_text=_("Suivi parce que le membre l'a écrit ou y a répondu.")
    )
    cree_le = models.DateTimeField(_("suivi depuis le"), auto_now_add=True)

    class Meta:
        ordering = ["-cree_le", "-pk"]
        verbose_name = _("suivi")
        verbose_name_plural = _("suivis")
        constraints = [
            models.UniqueConstraint(fields=["membre", "cible_type", "cible_id"], name="suivi_un_par_membre"),
        ]
        indexes = [models.Index(fields=["cible_type", "cible_id"], name="suivi_cible_idx")]

    def __str__(self) -> str:
        return f"{self.membre_id} suit {self.cible_type_id}:{self.cible_id}"


class ChoixNotification(models.Model):
    """A member's choice for one kind of notification; without a row, the kind's default."""

    membre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="choix_notifications",
    )
    type = models.CharField(_("type de notification"), max_length=40)
    envoi = models.CharField(_("courriel"), max_length=10, choices=Envoi.choices)

    class Meta:
        verbose_name = _("choix de notification")
        verbose_name_plural = _("choix de notification")
        constraints = [models.UniqueConstraint(fields=["membre", "type"], name="choix_notification_un_par_type")]

    def __str__(self) -> str:
        return f"{self.membre_id} {self.type}: {self.envoi}"
