"""Towns and communes of the programmes, and the missions that tie people to them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.models import TimeStampedModel


class Programme(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    nom = models.CharField(_("nom"), max_length=120)
    sigle = models.CharField(_("sigle"), max_length=20)
    description = models.TextField(_("description"), blank=True)
    lancement = models.DateField(_("lancement"), null=True, blank=True)
    site_web = models.URLField(_("site web"), blank=True)

    class Meta:
        ordering = ["lancement", "nom"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.sigle


class VilleQuerySet(models.QuerySet):
    def reseau(self):
        """The 13 ACV towns of the regional network validated in 2019–2020."""
        return self.filter(reseau_regional=True)

    def of_programme(self, code: str):
        return self.filter(programmes__code=code)


class Ville(TimeStampedModel):
    """A town or commune. Reference data is public: every visitor may see it."""

    code_insee = models.CharField(_("code INSEE"), max_length=5, unique=True)
    nom = models.CharField(_("nom"), max_length=120, db_index=True)
    slug = models.SlugField(_("identifiant"), max_length=140, unique=True)
    departement_code = models.CharField(_("code département"), max_length=3, db_index=True)
    departement_nom = models.CharField(_("département"), max_length=60)
    region = models.CharField(_("région"), max_length=60, default="Centre-Val de Loire")
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_annee = models.PositiveSmallIntegerField(_("année de la population"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    coordonnees_source = models.CharField(_("source des coordonnées"), max_length=200, blank=True)
    epci_nom = models.CharField(_("intercommunalité"), max_length=150, blank=True)
    epci_siren = models.CharField(_("SIREN de l'intercommunalité"), max_length=9, blank=True)
    programmes = models.ManyToManyField(Programme, verbose_name=_("programmes"), related_name="villes", blank=True)
    reseau_regional = models.BooleanField(
        _("membre du réseau régional ACV"), default=False, help_text=_("Une des 13 villes du réseau régional.")
    )
    ville_appui = models.BooleanField(
        _("ville d'appui"), default=False, help_text=_("Ville hors région qui accueille une visite du réseau.")
    )
    pvd_groupe = models.CharField(_("identifiant de convention PVD"), max_length=20, blank=True)
    date_convention = models.DateField(_("signature de la convention"), null=True, blank=True)
    date_ort = models.DateField(_("signature de l'ORT"), null=True, blank=True)
    presentation = models.TextField(_("présentation"), blank=True, help_text=_("Markdown."))
    source = models.TextField(_("source des données"), blank=True)
    recherche = SearchVectorField(_("index de recherche"), null=True, editable=False)

    objects = VilleQuerySet.as_manager()

    class Meta:
        ordering = ["nom"]
        verbose_name = _("ville")
        verbose_name_plural = _("villes")
        constraints = [
            models.CheckConstraint(
                condition=Q(code_insee__regex=r"^([0-9]{5}|2[AB][0-9]{3})$"), name="ville_code_insee_format"
            )
        ]

    def __str__(self) -> str:
        return self.nom

    def get_absolute_url(self) -> str:
        return reverse("villes:ville-detail", kwargs={"slug": self.slug})

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class MissionQuerySet(models.QuerySet):
    def current(self):
        today = timezone.localdate()
        return self.filter(Q(debut__isnull=True) | Q(debut__lte=today), Q(fin__isnull=True) | Q(fin__gte=today))

    def with_person(self):
        return self.filter(personne__isnull=False, personne__is_active=True)


class Mission(TimeStampedModel):
    """A person's role for a town, with dates. A lead may serve several PVD communes."""

    class Intitule(models.TextChoices):
        CHEF_ACV = "chef_acv", _("Chef·fe de projet Action Cœur de Ville")
        CHEF_PVD = "chef_pvd", _("Chef·fe de projet Petites villes de demain")
        COLLABORATEUR = "collaborateur", _("Collaborateur·rice du projet")
        ELU = "elu", _("Élu·e référent·e")

    personne = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="missions",
        null=True,
        blank=True,
    )
    invitation = models.ForeignKey(
        "comptes.Invitation",
        verbose_name=_("invitation"),
        on_delete=models.CASCADE,
        related_name="missions",
        null=True,
        blank=True,
        help_text=_("Mission prévue pour une personne invitée qui n'a pas encore de compte."),
    )
    ville = models.ForeignKey(Ville, verbose_name=_("ville"), on_delete=models.CASCADE, related_name="missions")
    intitule = models.CharField(_("intitulé"), max_length=20, choices=Intitule.choices, default=Intitule.CHEF_ACV)
    debut = models.DateField(_("début"), null=True, blank=True)
    fin = models.DateField(_("fin"), null=True, blank=True)

    objects = MissionQuerySet.as_manager()

    class Meta:
        ordering = ["ville__nom", "debut"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(
                condition=Q(personne__isnull=False) | Q(invitation__isnull=False), name="mission_personne_ou_invitation"
            ),
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(debut__isnull=True) | Q(fin__gte=models.F("debut")),
                name="mission_fin_apres_debut",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_intitule_display()} — {self.ville}"

    @classmethod
    def intitule_for(cls, ville: Ville) -> str:
        """A lead's title for a town, from its programme: PVD for a PVD commune, ACV otherwise.

        Reads ``ville.programmes.all()``: prefetch them.
        """
        codes = {programme.code for programme in ville.programmes.all()}
        if "pvd" in codes and "acv" not in codes:
            return cls.Intitule.CHEF_PVD
        return cls.Intitule.CHEF_ACV
