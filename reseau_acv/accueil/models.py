"""A member's digest preferences, and the record of each digest built for a member and period.

The digest settings (frequency, sections, towns, themes) are accueil's: DESIGN.md §4 puts the
digests and their settings here, since accueil reads every app to build them. What a member
wants to hear of each kind of notification (at once, in this digest, never) — meeting
invitations included — is core's ``ChoixNotification``, which lower apps may ask.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.models import TimeStampedModel


class Frequence(models.TextChoices):
    AUCUNE = "aucune", _("Jamais")
    QUOTIDIENNE = "quotidienne", _("Chaque jour")
    HEBDOMADAIRE = "hebdomadaire", _("Chaque semaine")


# The sections of the digest a member may choose, keyed like the Preferences fields.
SECTION_FIELDS = {
    "rencontres": "section_rencontres",
    "ressources": "section_ressources",
    "questions": "section_questions",
    "presse": "section_presse",
}


class Preferences(TimeStampedModel):
    """How often a member wants the digest, and which sections. A member without a row has the
    defaults (weekly, all). The towns and themes the digest keeps to are the member's follows
    (core ``Suivi``): one store, read by notifications, the digest and the dashboard."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="preferences"
    )
    frequence = models.CharField(
        _("fréquence du résumé"), max_length=12, choices=Frequence.choices, default=Frequence.HEBDOMADAIRE
    )
    section_rencontres = models.BooleanField(_("les rencontres à venir"), default=True)
    section_ressources = models.BooleanField(_("les nouvelles ressources et fiches d'expérience"), default=True)
    section_questions = models.BooleanField(_("les questions ouvertes du réseau"), default=True)
    section_presse = models.BooleanField(_("la presse et le panorama"), default=True)
    desabonne_le = models.DateTimeField(_("désabonné le"), null=True, blank=True)

    class Meta:
        verbose_name = _("préférences de courriel")
        verbose_name_plural = _("préférences de courriel")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_frequence_display()}"

    def wants(self, section_key: str) -> bool:
        field = SECTION_FIELDS.get(section_key)
        return True if field is None else bool(getattr(self, field))


class EnvoiDigest(models.Model):
    """One digest for one member and one period: the row that makes the digest exactly-once.

    It is written in the same transaction as the outbox message (or with ``nb_elements = 0``
    when there was nothing new), under a unique (member, period) constraint: a second run, an
    overlapping worker or a rerun after a crash finds it and sends nothing more.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="envois_digest"
    )
    periode = models.CharField(_("période"), max_length=20)
    frequence = models.CharField(_("fréquence"), max_length=12, choices=Frequence.choices)
    debut = models.DateTimeField(_("nouveautés depuis"))
    fin = models.DateTimeField(_("nouveautés jusqu'à"))
    nb_elements = models.PositiveIntegerField(_("nombre d'éléments"), default=0)
    courriel = models.ForeignKey(
        "core.Courriel", verbose_name=_("courriel"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = _("envoi de résumé")
        verbose_name_plural = _("envois de résumés")
        constraints = [models.UniqueConstraint(fields=["user", "periode"], name="envoi_digest_un_par_periode")]
        indexes = [models.Index(fields=["periode"], name="envoi_digest_periode_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.periode} ({self.nb_elements})"


class JournalDonnees(models.Model):
    """One act on a member's data: an export or a deletion, by the member or by staff on request.

    Only the member's number is kept (their account may be gone), never their name or address.
    """

    class Action(models.TextChoices):
        EXPORT = "export", _("Export des données")
        SUPPRESSION = "suppression", _("Suppression du compte")

    action = models.CharField(_("acte"), max_length=12, choices=Action.choices)
    membre_id = models.PositiveBigIntegerField(_("membre n°"))
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par (équipe)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    motif = models.CharField(_("demande du membre"), max_length=500, blank=True)
    le = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-le"]
        verbose_name = _("acte sur les données d'un membre")
        verbose_name_plural = _("journal des données des membres")

    def __str__(self) -> str:
        return f"{self.get_action_display()} — membre {self.membre_id}"
