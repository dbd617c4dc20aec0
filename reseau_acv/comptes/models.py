"""Members, their organisations and their invitations."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reseau_acv.core.models import Theme, TimeStampedModel
from reseau_acv.core.visibility import ORDER, Visibilite


class Role(models.TextChoices):
    CHEF_DE_PROJET = "chef_de_projet", _("Chef·fe de projet")
    PARTENAIRE = "partenaire", _("Partenaire")
    EQUIPE = "equipe", _("Équipe d'animation")


# The highest visibility level each role may see.
ROLE_LEVEL = {
    Role.PARTENAIRE: Visibilite.PARTENAIRES,
    Role.CHEF_DE_PROJET: Visibilite.RESEAU,
    Role.EQUIPE: Visibilite.EQUIPE,
}


class Organisation(TimeStampedModel):
    class Type(models.TextChoices):
        COLLECTIVITE = "collectivite", _("Collectivité")
        ETAT = "etat", _("Services de l'État")
        REGION = "region", _("Région")
        OPERATEUR = "operateur", _("Opérateur ou financeur")
        CONSULAIRE = "consulaire", _("Chambre consulaire")
        ANIMATION = "animation", _("Animation du réseau")
        AUTRE = "autre", _("Autre")

    nom = models.CharField(_("nom"), max_length=200, unique=True)
    sigle = models.CharField(_("sigle"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.AUTRE)
    site_web = models.URLField(_("site web"), blank=True)
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, help_text=_("Pour une collectivité ou une intercommunalité.")
    )
    themes = models.ManyToManyField(
        Theme,
        verbose_name=_("thèmes couverts"),
        blank=True,
        related_name="organisations",
        help_text=_("Les thèmes sur lesquels l'organisation intervient (un financeur de l'habitat, du commerce…)."),
    )

    class Meta:
        ordering = ["nom"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["siren"], condition=~Q(siren=""), name="organisation_siren_unique"),
            models.CheckConstraint(
                condition=Q(siren="") | Q(siren__regex=r"^[0-9]{9}$"), name="organisation_siren_format"
            ),
        ]

    def __str__(self) -> str:
        return self.nom


class UserQuerySet(models.QuerySet):
    def able_to_see(self, level: str):
        """Active members whose role lets them see content of visibility ``level``."""
        rank = ORDER.index(level)
        roles = [role for role, top in ROLE_LEVEL.items() if ORDER.index(top) >= rank]
        if level == Visibilite.PUBLIC:
            return self.filter(is_active=True)
        return self.filter(is_active=True).filter(Q(role__in=roles) | Q(is_superuser=True))

    def in_directory(self):
        return self.filter(is_active=True, consentement_annuaire=True)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("role", Role.EQUIPE)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A member of the network; signs in with an e-mail address."""

    username = None
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    email = models.EmailField(_("adresse e-mail"), unique=True)
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.PARTENAIRE)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membres",
    )
    fonction = models.CharField(_("fonction"), max_length=150, blank=True)
    telephone = models.CharField(_("téléphone"), max_length=30, blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    themes_expertise = models.ManyToManyField(
        Theme,
        verbose_name=_("thèmes d'expertise"),
        blank=True,
        related_name="experts",
        help_text=_("Les thèmes sur lesquels vous pouvez aider d'autres membres : ils figurent sur votre page."),
    )
    expertise = models.CharField(
        _("en quelques mots"),
        max_length=300,
        blank=True,
        help_text=_("Ce que vous savez faire ou avez déjà mené : « OPAH-RU, foncier commercial, concertation »."),
    )
    premiers_pas_le = models.DateTimeField(
        _("premiers pas faits le"),
        null=True,
        blank=True,
        help_text=_("Quand le membre a répondu (ou passé) les deux questions de sa première connexion."),
    )
    consentement_annuaire = models.BooleanField(
        _("apparaître dans l'annuaire des membres"),
        default=False,
        help_text=_("Votre nom, fonction, organisation et coordonnées sont visibles des membres connectés."),
    )
    # Kept by ``core.notifications`` (recounted on every change): the header shows it without a query.
    notifications_non_lues = models.PositiveIntegerField(_("notifications non lues"), default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("membre")
        verbose_name_plural = _("membres")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_equipe(self) -> bool:
        return self.role == Role.EQUIPE or self.is_superuser

    @property
    def is_chef_de_projet(self) -> bool:
        return self.role == Role.CHEF_DE_PROJET

    @property
    def is_partenaire(self) -> bool:
        return self.role == Role.PARTENAIRE


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def outstanding(self):
        """Neither accepted nor revoked: the link may still be valid, or has expired."""
        return self.filter(utilise_le__isnull=True, revoquee_le__isnull=True)

    def pending(self):
        """Outstanding and still valid: the invited person may create their account."""
        return self.outstanding().filter(expire_le__gt=timezone.now())

    def expired(self):
        return self.outstanding().filter(expire_le__lte=timezone.now())


class Invitation(TimeStampedModel):
    """A staff member's invitation of an e-mail address, with a role and an organisation.

    Only the hash of the link's token is stored.
    """

    email = models.EmailField(_("adresse e-mail"))
    prenom = models.CharField(_("prénom"), max_length=150, blank=True)
    nom = models.CharField(_("nom"), max_length=150, blank=True)
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="invitations"
    )
    fonction = models.CharField(_("fonction"), max_length=150, blank=True)
    message = models.TextField(_("message personnel"), blank=True)
    invite_par = models.ForeignKey(
        "comptes.User", verbose_name=_("invité par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expire_le = models.DateTimeField(_("expire le"))
    envoyee_le = models.DateTimeField(_("dernier envoi le"), null=True, blank=True)
    envois = models.PositiveSmallIntegerField(_("nombre d'envois"), default=1)
    revoquee_le = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    utilise_le = models.DateTimeField(_("utilisée le"), null=True, blank=True)
    utilisateur = models.ForeignKey(
        "comptes.User",
        verbose_name=_("compte créé"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation_recue",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One outstanding invitation per address: a second confirmation sends nothing twice.
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(utilise_le__isnull=True, revoquee_le__isnull=True),
                name="invitation_une_en_cours_par_adresse",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def nom_complet(self) -> str:
        return " ".join(part for part in (self.prenom, self.nom) if part)

    @property
    def is_used(self) -> bool:
        return self.utilise_le is not None

    @property
    def is_expired(self) -> bool:
        return self.expire_le <= timezone.now()

    @property
    def is_revoked(self) -> bool:
        return self.revoquee_le is not None
