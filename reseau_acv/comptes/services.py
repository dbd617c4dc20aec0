"""State changes of accounts: invitations, acceptance, profile."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from reseau_acv.core.outbox import outbox_record, render_email
from reseau_acv.core.permissions import is_equipe

from .models import Invitation, Organisation, User, hash_token


class InvitationError(Exception):
    """An invitation link that cannot be used; the message says why, in French."""


# Apps that attach more to an invitation (towns, for a lead) register what to do when it is
# accepted. Each hook runs in the acceptance transaction: hook(invitation=…, user=…).
_ACCEPT_HOOKS: list[Callable[..., None]] = []


def register_invitation_accept_hook(hook: Callable[..., None]) -> None:
    if hook not in _ACCEPT_HOOKS:
        _ACCEPT_HOOKS.append(hook)


def invitation_create(
    *,
    actor: User,
    email: str,
    role: str,
    organisation: Organisation,
    fonction: str = "",
    message: str = "",
) -> Invitation:
    """Invite ``email``: store the invitation and record its e-mail in the outbox."""
    if not is_equipe(actor):
        raise PermissionDenied
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Un compte existe déjà pour cette adresse.")})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            organisation=organisation,
            fonction=fonction,
            message=message,
            invite_par=actor,
            token_hash=hash_token(token),
            expire_le=timezone.now() + timedelta(days=settings.INVITATION_VALIDITY_DAYS),
        )
        link = settings.SITE_URL + reverse("comptes:invitation-accept", kwargs={"token": token})
        outbox_record(
            purpose="invitation",
            obj=invitation.pk,
            to=email,
            email=render_email(
                "comptes/invitation",
                {"invitation": invitation, "link": link, "inviter": actor},
            ),
        )
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind a link, or :class:`InvitationError` saying why it cannot be used."""
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise InvitationError(_("Ce lien d'invitation n'est pas valide. Vérifiez qu'il est complet."))
    if invitation.is_used:
        raise InvitationError(
            _("Ce lien d'invitation a déjà servi. Connectez-vous avec votre adresse e-mail et votre mot de passe.")
        )
    if invitation.is_expired:
        raise InvitationError(
            _("Ce lien d'invitation a expiré. Demandez à l'équipe d'animation de vous inviter à nouveau.")
        )
    return invitation


def invitation_accept(*, token: str, first_name: str, last_name: str, password: str) -> User:
    """Create the invited member's account, with its role and verified e-mail address."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.is_used:  # accepted by a concurrent request
            raise InvitationError(_("Ce lien d'invitation a déjà servi."))
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
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in {"JPEG", "PNG", "WEBP", "GIF"}:
                raise ValidationError(_("Format d'image non accepté : utilisez JPEG, PNG ou WebP."))
            if image.width * image.height > 40_000_000:
                raise ValidationError(_("Cette image est trop grande."))
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
    fields = ["first_name", "last_name", "fonction", "telephone", "consentement_annuaire", "organisation"]
    with transaction.atomic():
        for field in fields:
            if field in data:
                setattr(user, field, data[field])
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
