"""Members' rights over their data (RGPD articles 15, 17 and 20): export and erasure.

Both walk the models generically: every row that points to the member through a foreign key
is exported, and is erased with the account (``CASCADE``) or kept without its author
(``SET_NULL``: published contributions then read « Ancien membre »). A model added tomorrow —
notifications, follows — is covered without editing this module.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reseau_acv.comptes.models import Invitation, User
from reseau_acv.core.models import Courriel
from reseau_acv.core.permissions import is_equipe, is_member
from ressources.models import FichierVersion, Moderated, Statut
from ressources.services import utiles_forget_member

from .models import JournalDonnees

logger = logging.getLogger(__name__)

# Relations that record what a staff member did to others' data, not data about them.
NOT_ABOUT_THE_MEMBER = {("comptes.invitation", "invite_par"), ("core.notification", "acteur")}
SECRET_FIELDS = {"password", "token_hash", "recherche", "cle"}
UNPUBLISHED = (Statut.BROUILLON, Statut.PROPOSE, Statut.RENVOYE)


def _relations() -> list[tuple[type[models.Model], models.ForeignKey]]:
    """Every (model, foreign key) that points to a member, in a stable order."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is User
                and (model._meta.label_lower, field.name) not in NOT_ABOUT_THE_MEMBER
            ):
                found.append((model, field))
    return sorted(found, key=lambda pair: (pair[0]._meta.label_lower, pair[1].name))


def _row(obj: models.Model) -> dict:
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS or "token" in field.name:
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if hasattr(value, "name") else (value or "")
        elif field.choices and value is not None:
            data[f"{field.name}_libelle"] = str(getattr(obj, f"get_{field.name}_display")())
        data[field.name] = value
    for field in obj._meta.many_to_many:
        data[field.name] = [str(related) for related in getattr(obj, field.name).all()]
    return data


def _files_of(obj: models.Model) -> Iterable[str]:
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.FileField):
            value = getattr(obj, field.name)
            if value:
                yield value.name


def member_data(*, member: User) -> tuple[dict, list]:
    """The member's data as JSON-ready sections, and the stored files that are theirs."""
    profile = {
        "adresse_email": member.email,
        "prenom": member.first_name,
        "nom": member.last_name,
        "role": member.get_role_display(),
        "organisation": member.organisation.nom if member.organisation_id else "",
        "fonction": member.fonction,
        "telephone": member.telephone,
        "themes_d_expertise": [theme.nom for theme in member.themes_expertise.all()],
        "expertise": member.expertise,
        "apparait_dans_l_annuaire": member.consentement_annuaire,
        "inscrit_le": member.date_joined,
        "derniere_connexion": member.last_login,
        "photo": member.photo.name if member.photo else "",
    }
    sections: dict[str, object] = {"profil": profile}
    files = [member.photo] if member.photo else []
    for model, field in _relations():
        rows = list(model._base_manager.filter(**{field.name: member}).order_by("pk"))
        if not rows:
            continue
        key = f"{model._meta.label_lower.replace('.', '_')}__{field.name}"
        sections[key] = {
            "description": f"{model._meta.verbose_name_plural} ({field.verbose_name})",
            "lignes": [_row(row) for row in rows],
        }
        if model is FichierVersion:
            files += [row.fichier for row in rows if row.fichier]
    sections["courriels_recus"] = [
        {
            "sujet": c.sujet,
            "motif": c.objet_envoi,
            "statut": c.get_statut_display(),
            "cree_le": c.cree_le,
            "envoye_le": c.envoye_le,
        }
        for c in Courriel.objects.filter(destinataire__iexact=member.email).order_by("cree_le")
    ]
    sections["invitations_recues"] = [
        {"role": i.get_role_display(), "cree_le": i.cree_le, "utilisee_le": i.utilise_le}
        for i in Invitation.objects.filter(email__iexact=member.email).order_by("cree_le")
    ]
    return sections, files


def member_export(*, actor: User, member: User, motif: str = "") -> bytes:
    """A ZIP of the member's data (``donnees.json``) and files (``fichiers/``), for them or staff."""
    if not (is_member(actor) and (actor.pk == member.pk or is_equipe(actor))):
        raise PermissionDenied
    sections, files = member_data(member=member)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        meta = {
            "plateforme": "Réseau ACV Centre-Val de Loire",
            "exporte_le": timezone.now(),
            "membre": member.email,
        }
        archive.writestr(
            "donnees.json",
            json.dumps({"export": meta, **sections}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        archive.writestr("LISEZ-MOI.txt", _readme())
        seen = set()
        for stored in files:
            if stored.name in seen:
                continue
            seen.add(stored.name)
            try:
                with stored.open("rb") as handle:
                    archive.writestr(f"fichiers/{PurePosixPath(stored.name)}", handle.read())
            except FileNotFoundError:
                logger.warning("export: file %s of member %s is missing", stored.name, member.pk)
    JournalDonnees.objects.create(
        action=JournalDonnees.Action.EXPORT, membre_id=member.pk, par=actor, motif=motif[:500]
    )
    return buffer.getvalue()


def _readme() -> str:
    return _(
        "Vos données sur la plateforme du Réseau ACV Centre-Val de Loire.\n\n"
        "donnees.json : votre profil, vos missions, vos préférences, vos inscriptions aux rencontres,\n"
        "vos contributions (ressources, retours d'expérience, questions), vos messages, les courriels\n"
        "que la plateforme vous a adressés, et tout autre enregistrement qui vous concerne.\n"
        "fichiers/ : les fichiers que vous avez déposés et votre photo.\n"
    )


@transaction.atomic
def member_delete(*, actor: User, member: User, password: str = "", motif: str = "") -> None:
    """Erase a member's account and personal data; published contributions stay, as « Ancien membre ».

    A member deletes their own account after confirming their password; staff delete one on the
    member's request (journalled with its reason). Drafts and proposals are removed with their
    files; upcoming registrations are withdrawn (the waiting list moves up); invitations, the
    calendar token, e-mail addresses, sessions and every e-mail to the member are removed.
    """
    own = actor.pk == member.pk
    if not is_member(actor) or not (own or is_equipe(actor)):
        raise PermissionDenied
    if own and not member.check_password(password):
        raise ValidationError({"password": _("Mot de passe incorrect.")})
    if not own and not motif.strip():
        raise ValidationError({"motif": _("Indiquez la demande du membre (date, moyen) : elle est journalisée.")})
    member_id, email = member.pk, member.email
    _withdraw_registrations(member)
    utiles_forget_member(member=member)  # the « Utile » counts no longer include the departed member
    stored_files = [member.photo.name] if member.photo else []
    for model in apps.get_models():
        if issubclass(model, Moderated):
            drafts = model._base_manager.filter(auteur=member, statut__in=UNPUBLISHED)
            if model._meta.label_lower == "ressources.ressource":
                stored_files += list(
                    FichierVersion.objects.filter(ressource__in=drafts).values_list("fichier", flat=True)
                )
            drafts.delete()
    Invitation.objects.filter(email__iexact=email).delete()
    Courriel.objects.filter(destinataire__iexact=email).delete()
    EmailAddress.objects.filter(user=member).delete()
    _revoke_sessions(member_id)
    member.delete()
    JournalDonnees.objects.create(
        action=JournalDonnees.Action.SUPPRESSION, membre_id=member_id, par=None if own else actor, motif=motif[:500]
    )
    transaction.on_commit(lambda: _delete_files(stored_files))
    logger.info("data rights: member %s deleted (%s)", member_id, "own request" if own else f"by staff {actor.pk}")


def _withdraw_registrations(member: User) -> None:
    from rencontres.models import Inscription
    from rencontres.services import inscription_withdraw

    upcoming = Inscription.objects.actives().filter(membre=member, rencontre__debut__gt=timezone.now())
    for inscription in upcoming.select_related("rencontre"):
        try:
            inscription_withdraw(actor=member, rencontre=inscription.rencontre)
        except (PermissionDenied, ValidationError):
            continue  # the meeting is no longer visible or has started: the row goes with the account


def _revoke_sessions(member_id: int) -> None:
    """Delete the member's sessions (the database session store is scanned once)."""
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(member_id)
    ]
    Session.objects.filter(pk__in=mine).delete()


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)
