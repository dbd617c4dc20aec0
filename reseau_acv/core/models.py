"""Shared models: the timestamped base, the theme taxonomy and the e-mail outbox."""

from __future__ import annotations

from django.db import models
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
