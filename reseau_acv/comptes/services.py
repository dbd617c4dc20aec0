"""State changes of accounts: invitations, acceptance, profile."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from reseau_acv.core.images import image_check_pixels
from reseau_acv.core.outbox import Outgoing, outbox_record, outbox_record_many, render_email
from reseau_acv.core.permissions import is_equipe, require_equipe

from .models import Invitation, Organisation, User, hash_token


class InvitationError(Exception):
    """An invitation link that cannot be used; the message says why, in French."""


# Apps that attach more to an invitation (towns, for a lead) register what to do when it is
# accepted. Each hook runs in the acceptance transaction: hook(invitation=…, user=…).
_ACCEPT_HOOKS: list[Callable[..., None]] = []


def register_invitation_accept_hook(hook: Callable[..., None]) -> None:
    if hook not in _ACCEPT_HOOKS:
        _ACCEPT_HOOKS.append(hook)


@dataclass
class InvitationDraft:
    """One invitation to create with :func:`invitations_create`."""

    email: str
    role: str
    organisation: Organisation
    prenom: str = ""
    nom: str = ""
    fonction: str = ""
    message: str = ""


@dataclass(frozen=True)
class OrganisationDraft:
    """An organisation to find, or to create if no organisation has its name (or its SIREN)."""

    nom: str
    type: str = Organisation.Type.AUTRE
    siren: str = ""

    @property
    def key(self) -> str:
        return self.nom.strip().casefold()


def organisations_get_or_create(*, actor: User, drafts: list[OrganisationDraft]) -> dict[str, Organisation]:
    """The organisations named by ``drafts`` (by name, case aside, or SIREN), creating the missing ones.

    Returns them by ``draft.key``; runs a fixed number of queries whatever the number of drafts.
    """
    require_equipe(actor)
    if not drafts:
        return {}
    keys = {draft.key for draft in drafts}
    sirens = {draft.siren for draft in drafts if draft.siren}

    def lookup() -> tuple[dict[str, Organisation], dict[str, Organisation]]:
        found = list(Organisation.objects.annotate(cle=Lower("nom")).filter(Q(cle__in=keys) | Q(siren__in=sirens)))
        return {o.nom.casefold(): o for o in found}, {o.siren: o for o in found if o.siren}

    with transaction.atomic():
        by_name, by_siren = lookup()
        missing = {}
        for draft in drafts:
            if draft.key not in by_name and not (draft.siren and draft.siren in by_siren):
                missing.setdefault(draft.key, draft)
        if missing:
            Organisation.objects.bulk_create(
                [Organisation(nom=d.nom.strip(), type=d.type, siren=d.siren) for d in missing.values()],
                ignore_conflicts=True,  # created meanwhile by someone else: the same organisation
            )
            by_name, by_siren = lookup()
    result = {}
    for draft in drafts:
        organisation = by_name.get(draft.key) or by_siren.get(draft.siren)
        if organisation is None:
            raise ValidationError(_("L'organisation « %(nom)s » n'a pas pu être créée.") % {"nom": draft.nom})
        result[draft.key] = organisation
    return result


def _invitation_email(invitation: Invitation, token: str, inviter: User):
    link = settings.SITE_URL + reverse("comptes:invitation-accept", kwargs={"token": token})
    return render_email("comptes/invitation", {"invitation": invitation, "link": link, "inviter": inviter})


def invitations_create(*, actor: User, drafts: list[InvitationDraft]) -> list[Invitation]:
    """Invite many addresses at once and record their e-mails in the outbox, in a fixed number of queries.

    Refused (``ValidationError``, nothing created) when an address already has an account or an
    invitation still valid. An earlier invitation that has expired is revoked: the new one
    replaces it.
    """
    require_equipe(actor)
    if not drafts:
        return []
    for draft in drafts:
        draft.email = draft.email.strip().lower()
    emails = [draft.email for draft in drafts]
    if len(set(emails)) != len(emails):
        raise ValidationError(_("Une même adresse figure deux fois."))
    with transaction.atomic():
        members = sorted(User.objects.filter(email__in=emails).values_list("email", flat=True))
        if members:
            raise ValidationError(
                ngettext(
                    "Un compte existe déjà pour cette adresse : %(emails)s.",
                    "Un compte existe déjà pour ces adresses : %(emails)s.",
                    len(members),
                )
                % {"emails": ", ".join(members)},
                code="membre",
            )
        waiting = sorted(Invitation.objects.pending().filter(email__in=emails).values_list("email", flat=True))
        if waiting:
            raise ValidationError(
                ngettext(
                    "Une invitation est déjà en attente pour cette adresse : %(emails)s. Renvoyez-la depuis la liste "
                    "des invitations.",
                    "Des invitations sont déjà en attente pour ces adresses : %(emails)s. Renvoyez-les depuis la liste "
                    "des invitations.",
                    len(waiting),
                )
                % {"emails": ", ".join(waiting)},
                code="en_attente",
            )
        now = timezone.now()
        Invitation.objects.expired().filter(email__in=emails).update(revoquee_le=now, modifie_le=now)
        tokens = [secrets.token_urlsafe(32) for _draft in drafts]
        invitations = Invitation.objects.bulk_create(
            [
                Invitation(
                    email=draft.email,
                    prenom=draft.prenom.strip(),
                    nom=draft.nom.strip(),
                    role=draft.role,
                    organisation=draft.organisation,
                    fonction=draft.fonction,
                    message=draft.message,
                    invite_par=actor,
                    token_hash=hash_token(token),
                    expire_le=now + timedelta(days=settings.INVITATION_VALIDITY_DAYS),
                    envoyee_le=now,
                )
                for draft, token in zip(drafts, tokens, strict=True)
            ]
        )
        outbox_record_many(
            [
                Outgoing(
                    purpose="invitation",
                    obj=invitation.pk,
                    to=invitation.email,
                    email=_invitation_email(invitation, token, actor),
                )
                for invitation, token in zip(invitations, tokens, strict=True)
            ]
        )
    return invitations


def invitation_create(
    *,
    actor: User,
    email: str,
    role: str,
    organisation: Organisation,
    prenom: str = "",
    nom: str = "",
    fonction: str = "",
    message: str = "",
) -> Invitation:
    """Invite ``email``: store the invitation and record its e-mail in the outbox."""
    draft = InvitationDraft(
        email=email, role=role, organisation=organisation, prenom=prenom, nom=nom, fonction=fonction, message=message
    )
    return invitations_create(actor=actor, drafts=[draft])[0]


def _locked_outstanding(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.is_used:
        raise ValidationError(_("Cette invitation a déjà été acceptée : la personne a son compte."))
    return invitation


def invitation_resend(*, actor: User, invitation: Invitation) -> Invitation:
    """Send a new link, valid for the full period again; the previous link stops working."""
    require_equipe(actor)
    with transaction.atomic():
        invitation = _locked_outstanding(invitation)
        if invitation.is_revoked:
            raise ValidationError(_("Cette invitation a été révoquée : invitez à nouveau la personne."))
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        invitation.token_hash = hash_token(token)
        invitation.expire_le = now + timedelta(days=settings.INVITATION_VALIDITY_DAYS)
        invitation.envoyee_le = now
        invitation.envois += 1
        invitation.save(update_fields=["token_hash", "expire_le", "envoyee_le", "envois", "modifie_le"])
        outbox_record(
            purpose="invitation",
            obj=f"{invitation.pk}-{invitation.envois}",
            to=invitation.email,
            email=_invitation_email(invitation, token, actor),
        )
    return invitation


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """Cancel an invitation: its link stops working. Revoking twice changes nothing."""
    require_equipe(actor)
    with transaction.atomic():
        invitation = _locked_outstanding(invitation)
        if not invitation.is_revoked:
            invitation.revoquee_le = timezone.now()
            invitation.save(update_fields=["revoquee_le", "modifie_le"])
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind a link, or :class:`InvitationError` saying why it cannot be used."""
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise InvitationError(
            _(
                "Ce lien d'invitation n'est pas valide. Vérifiez qu'il est complet ; si l'équipe vous a renvoyé "
                "l'invitation, utilisez le lien du courriel le plus récent."
            )
        )
    if invitation.is_used:
        raise InvitationError(
            _("Ce lien d'invitation a déjà servi. Connectez-vous avec votre adresse e-mail et votre mot de passe.")
        )
    if invitation.is_revoked:
        raise InvitationError(_("Cette invitation a été annulée. Si c'est une erreur, écrivez à l'équipe d'animation."))
    if invitation.is_expired:
        raise InvitationError(
            _("Ce lien d'invitation a expiré. Demandez à l'équipe d'animation de vous inviter à nouveau.")
        )
    return invitation


def invitation_accept(*, token: str, first_name: str, last_name: str, password: str) -> User:
    """Create the invited member's account, with its role and verified e-mail address."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        # A concurrent request may have accepted, revoked or resent it since: read it again, locked.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.is_used:
            raise InvitationError(_("Ce lien d'invitation a déjà servi."))
        if invitation.is_revoked or invitation.token_hash != hash_token(token):
            raise InvitationError(_("Ce lien d'invitation n'est plus valide."))
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationError(_("Un compte existe déjà pour cette adresse. Connectez-vous."))
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            role=invitation.role,
            organisation=invitation.organisation,
            fonction=invitation.fonction,
        )
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        invitation.utilise_le = timezone.now()
        invitation.utilisateur = user
        invitation.save(update_fields=["utilise_le", "utilisateur", "modifie_le"])
        for hook in _ACCEPT_HOOKS:
            hook(invitation=invitation, user=user)
    return user


PHOTO_SIZE = 400


def photo_normalise(upload) -> ContentFile:
    """Decode an uploaded image, square-crop it to 400 px and re-encode it as JPEG.

    Anything that Pillow cannot decode as a real image is refused. Re-encoding drops whatever
    else the file carried (metadata, trailing payloads).
    """
    image_check_pixels(upload)
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in {"JPEG", "PNG", "WEBP", "GIF"}:
                raise ValidationError(_("Format d'image non accepté : utilisez JPEG, PNG ou WebP."))
            image = ImageOps.exif_transpose(image).convert("RGB")
            image = ImageOps.fit(image, (PHOTO_SIZE, PHOTO_SIZE), Image.Resampling.LANCZOS)
            out = BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Ce fichier n'est pas une image valide.")) from exc
    return ContentFile(out.getvalue())


def profile_update(*, actor: User, user: User, data: dict, photo=None, remove_photo: bool = False) -> User:
    """Update a member's profile; a member edits their own, staff edit anyone's."""
    if actor.pk != user.pk and not is_equipe(actor):
        raise PermissionDenied
    fields = ["first_name", "last_name", "fonction", "telephone", "consentement_annuaire", "organisation", "expertise"]
    with transaction.atomic():
        for field in fields:
            if field in data:
                setattr(user, field, data[field])
        if "themes_expertise" in data:
            user.themes_expertise.set(data["themes_expertise"])
        if photo is not None:
            content = photo_normalise(photo)
            if user.photo:
                user.photo.delete(save=False)
            user.photo.save(f"membre-{user.pk}-{secrets.token_hex(4)}.jpg", content, save=False)
            fields.append("photo")
        elif remove_photo and user.photo:
            user.photo.delete(save=False)
            fields.append("photo")
        user.save(update_fields=[f for f in fields if f in data or f == "photo"])
    return user
