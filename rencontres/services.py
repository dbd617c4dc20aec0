"""State changes of meetings: create, edit, publish, cancel, register, withdraw, attendance,
reminders and follow-up.

Every e-mail goes through the outbox in the transaction of the change that causes it, under a
key that makes it go exactly once per person: re-running a service records nothing new.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from reseau_acv.comptes.models import User
from reseau_acv.core import notifications
from reseau_acv.core.markdown import markdown_to_text
from reseau_acv.core.notifications import Audience, notify, wanting_email
from reseau_acv.core.outbox import Attachment, Outgoing, outbox_record, outbox_record_many, render_email
from reseau_acv.core.permissions import may_animate
from reseau_acv.core.visibility import Visibilite, max_level_for
from ressources import services as ressources_services
from ressources.models import Ressource, Statut

from . import ical
from .models import FluxCalendrier, Inscription, PointOrdreDuJour, Rencontre, hash_feed_token
from .recherche import refresh as search_refresh

# Fields whose change is announced to the registered members.
ANNOUNCED_FIELDS = ("debut", "fin", "format", "ville", "adresse", "lien_visio")
EDITABLE_FIELDS = (
    "type",
    "titre",
    "resume",
    "debut",
    "fin",
    "format",
    "ville",
    "adresse",
    "lien_visio",
    "ordre_du_jour",
    "compte_rendu",
    "visibilite",
    "capacite",
    "date_limite_inscription",
)
REMINDERS = {"j7": timedelta(days=7), "j1": timedelta(days=1)}


def invitation_audience(rencontre: Rencontre) -> QuerySet:
    """Members invited when ``rencontre`` is published: those who may see it and want the
    invitation by e-mail (core's notification choices say so)."""
    return wanting_email("invitation", User.objects.able_to_see(rencontre.visibilite)).order_by("pk")


def _require_staff(actor) -> None:
    if not may_animate(actor):
        raise PermissionDenied


def _ics_attachment(rencontre: Rencontre, *, with_video_link: bool) -> Attachment:
    return Attachment(
        filename="rencontre.ics",
        content=ical.rencontre_ics(rencontre, with_video_link=with_video_link),
        mimetype="text/calendar",
    )


def _record(
    *, purpose: str, obj: object, membre: User, template: str, context: dict, attachment: Attachment | None = None
) -> bool:
    _message, created = outbox_record(
        purpose=purpose,
        obj=obj,
        to=membre.email,
        email=render_email(f"rencontres/{template}", {"membre": membre, **context}),
        attachments=[attachment] if attachment else None,
    )
    return created


def _outgoing(
    *, purpose: str, obj: object, membre: User, template: str, context: dict, attachment: Attachment | None = None
) -> Outgoing:
    return Outgoing(
        purpose=purpose,
        obj=obj,
        to=membre.email,
        email=render_email(f"rencontres/{template}", {"membre": membre, **context}),
        attachments=[attachment] if attachment else None,
    )


def _record_many(messages: list[Outgoing]) -> int:
    """Record a batch of e-mails in a fixed number of queries; returns how many were new."""
    _recorded, created = outbox_record_many(messages)
    return created


class RencontreChanged(ValidationError):
    """The meeting changed while its e-mails were being written: nothing was recorded."""

    def __init__(self):
        super().__init__(_("La rencontre vient d'être modifiée par quelqu'un d'autre : rechargez la page."))


def _lock_unchanged(rencontre: Rencontre, **expected) -> Rencontre:
    """Lock the meeting's row, and check that it is still as it was read (``modifie_le`` and
    ``expected``). The e-mails of a fan-out are rendered and recorded *before* this: the row
    stays locked only for the final write, not while thousands of messages are written."""
    locked = Rencontre.objects.select_for_update(of=("self",)).get(pk=rencontre.pk)
    if locked.modifie_le != rencontre.modifie_le or any(getattr(locked, k) != v for k, v in expected.items()):
        raise RencontreChanged
    return locked


def _still_allowed(inscriptions, rencontre: Rencontre):
    """Registrations of members who may still see the meeting (active, and of its level)."""
    return inscriptions.filter(membre__in=User.objects.able_to_see(rencontre.visibilite)).select_related("membre")


def _validate(data: dict) -> None:
    debut, fin = data.get("debut"), data.get("fin")
    if debut and fin and fin <= debut:
        raise ValidationError({"fin": _("La fin doit suivre le début.")})
    limite = data.get("date_limite_inscription")
    if limite and debut and limite > debut:
        raise ValidationError({"date_limite_inscription": _("La date limite doit précéder le début.")})
    if data.get("format") in {Rencontre.Format.PRESENTIEL, Rencontre.Format.HYBRIDE} and not (
        data.get("ville") or data.get("adresse")
    ):
        raise ValidationError({"adresse": _("Indiquez le lieu d'une rencontre en présentiel.")})


# --- Meetings ----------------------------------------------------------------------------------


def _set_points(rencontre: Rencontre, points: list[dict] | None) -> None:
    if points is None:
        return
    rencontre.points.all().delete()
    PointOrdreDuJour.objects.bulk_create([PointOrdreDuJour(rencontre=rencontre, **point) for point in points])


def rencontre_create(
    *, actor: User, data: dict, themes=(), materiaux=(), points: list[dict] | None = None
) -> Rencontre:
    """Create a meeting as a draft."""
    _require_staff(actor)
    _validate(data)
    with transaction.atomic():
        rencontre = Rencontre(cree_par=actor, statut=Rencontre.Statut.BROUILLON)
        for field in EDITABLE_FIELDS:
            if field in data:
                setattr(rencontre, field, data[field])
        rencontre.full_clean(exclude=["themes", "materiaux"])
        rencontre.save()
        rencontre.themes.set(themes)
        rencontre.materiaux.set(materiaux)
        _set_points(rencontre, points)
        search_refresh(rencontre)
    return rencontre


def rencontre_update(
    *, actor: User, rencontre: Rencontre, data: dict, themes=None, materiaux=None, points: list[dict] | None = None
) -> Rencontre:
    """Edit a meeting. A change of date, place or link of a published meeting raises its
    version and tells the registered members (and the waiting list) once per version.

    The change notices are rendered and recorded first, the meeting's row locked last (and
    checked unchanged since it was read): the lock is held for the write, not the fan-out."""
    _require_staff(actor)
    _validate(data)
    with transaction.atomic():
        rencontre = Rencontre.objects.select_related("ville").get(pk=rencontre.pk)
        read = Rencontre(pk=rencontre.pk, modifie_le=rencontre.modifie_le)
        before = {field: getattr(rencontre, f"{field}_id" if field == "ville" else field) for field in ANNOUNCED_FIELDS}
        old_capacite = rencontre.capacite
        for field in EDITABLE_FIELDS:
            if field in data:
                setattr(rencontre, field, data[field])
        after = {field: getattr(rencontre, f"{field}_id" if field == "ville" else field) for field in ANNOUNCED_FIELDS}
        changed = [field for field in ANNOUNCED_FIELDS if before[field] != after[field]]
        fields = [field for field in EDITABLE_FIELDS if field in data]
        if changed and rencontre.statut == Rencontre.Statut.PUBLIEE:
            rencontre.version += 1
            fields.append("version")
        if before["debut"] != after["debut"]:
            rencontre.rappel_j7_le = rencontre.rappel_j1_le = None
            fields += ["rappel_j7_le", "rappel_j1_le"]
        rencontre.full_clean(exclude=["themes", "materiaux"])
        if changed and rencontre.statut == Rencontre.Statut.PUBLIEE:
            _notify_change(rencontre, changed=changed, actor=actor)
        _lock_unchanged(read)
        rencontre.save(update_fields=[*fields, "modifie_le"])
        if themes is not None:
            rencontre.themes.set(themes)
        if materiaux is not None:
            rencontre.materiaux.set(materiaux)
        _set_points(rencontre, points)
        search_refresh(rencontre)
        if rencontre.capacite is None or (old_capacite is not None and rencontre.capacite > old_capacite):
            _promote_waiting(rencontre)
    return rencontre


def _tell_registered(
    rencontre: Rencontre, *, actor: User | None, event: str, text: str, purpose: str, template: str, context: dict
) -> int:
    """Registered members and the waiting list (kind « rencontre »), then the meeting's
    followers (« suivi »), each once if they may still see it: a notification, and the e-mail
    as they chose — for the registered, the meeting's own message with its calendar file."""
    registrations = {i.membre_id: i for i in rencontre.inscriptions.actives()}
    attachments = {
        True: _ics_attachment(rencontre, with_video_link=True),
        False: _ics_attachment(rencontre, with_video_link=False),
    }

    def email(membre: User) -> Outgoing | None:
        inscription = registrations.get(membre.pk)
        if inscription is None:
            return None  # a follower: the notification's own message
        return _outgoing(
            purpose=purpose,
            obj=event.partition(":")[2],
            membre=membre,
            template=template,
            context={"inscription": inscription, **context},
            attachment=attachments[
                inscription.statut == Inscription.Statut.INSCRIT and purpose != "rencontre_annulation"
            ],
        )

    return notify(
        event=event,
        actor=actor,
        target=rencontre,
        visible_to=Rencontre.objects.visible_to,
        url=rencontre.get_absolute_url(),
        audiences=[
            Audience("rencontre", list(registrations), text),
            Audience("suivi", notifications.followers(rencontre), text),
        ],
        email=email,
    ).emails


def _notify_change(rencontre: Rencontre, *, changed: list[str], actor: User | None = None) -> int:
    labels = [str(Rencontre._meta.get_field(field).verbose_name) for field in changed]
    return _tell_registered(
        rencontre,
        actor=actor,
        event=f"rencontre_modification:{rencontre.pk}.v{rencontre.version}",
        text=_("La rencontre change : %(champs)s") % {"champs": ", ".join(labels)},
        purpose="rencontre_modification",
        template="modification",
        context={"rencontre": rencontre, "changements": labels},
    )


def rencontre_publish(*, actor: User, rencontre: Rencontre) -> Rencontre:
    """Publish a draft and invite the members of its audience, each once.

    The invitations (thousands, at national scale) are rendered and recorded in one batch
    first; the meeting's row is locked last, checked still a draft and unchanged, and
    published: the lock is held for that write only. A concurrent change rolls it all back."""
    _require_staff(actor)
    with transaction.atomic():
        rencontre = Rencontre.objects.select_related("ville").get(pk=rencontre.pk)
        if rencontre.statut != Rencontre.Statut.BROUILLON:
            raise ValidationError(_("Seul un brouillon peut être publié."))
        read = Rencontre(pk=rencontre.pk, modifie_le=rencontre.modifie_le)
        rencontre.statut = Rencontre.Statut.PUBLIEE
        rencontre.publiee_le = timezone.now()
        if rencontre.fin > timezone.now():
            attachment = _ics_attachment(rencontre, with_video_link=False)
            _record_many(
                [
                    _outgoing(
                        purpose="rencontre_invitation",
                        obj=rencontre.pk,
                        membre=membre,
                        template="invitation",
                        context={"rencontre": rencontre},
                        attachment=attachment,
                    )
                    for membre in invitation_audience(rencontre)
                ]
            )
        _lock_unchanged(read, statut=Rencontre.Statut.BROUILLON)
        rencontre.save(update_fields=["statut", "publiee_le", "modifie_le"])
    return rencontre


def rencontre_cancel(*, actor: User, rencontre: Rencontre) -> Rencontre:
    """Cancel a meeting and tell the registered members and the waiting list, each once
    (recorded first, the meeting's row locked last, as for publishing)."""
    _require_staff(actor)
    with transaction.atomic():
        rencontre = Rencontre.objects.select_related("ville").get(pk=rencontre.pk)
        if rencontre.statut not in {Rencontre.Statut.PUBLIEE, Rencontre.Statut.BROUILLON}:
            raise ValidationError(_("Cette rencontre ne peut plus être annulée."))
        read = Rencontre(pk=rencontre.pk, modifie_le=rencontre.modifie_le)
        was = rencontre.statut
        rencontre.statut = Rencontre.Statut.ANNULEE
        rencontre.annulee_le = timezone.now()
        rencontre.version += 1
        if was == Rencontre.Statut.PUBLIEE:
            _tell_registered(
                rencontre,
                actor=actor,
                event=f"rencontre_annulation:{rencontre.pk}",
                text=_("La rencontre est annulée"),
                purpose="rencontre_annulation",
                template="annulation",
                context={"rencontre": rencontre},
            )
        _lock_unchanged(read, statut=was)
        rencontre.save(update_fields=["statut", "annulee_le", "version", "modifie_le"])
    return rencontre


def rencontres_mark_held(*, now: datetime | None = None) -> int:
    """Published meetings that ended become « tenue ». Safe to run any number of times."""
    now = now or timezone.now()
    return Rencontre.objects.filter(statut=Rencontre.Statut.PUBLIEE, fin__lt=now).update(
        statut=Rencontre.Statut.TENUE, modifie_le=now
    )


def rencontre_send_followup(*, actor: User, rencontre: Rencontre) -> int:
    """After the meeting, send the minutes and materials to participants and registered
    absentees, each once, each seeing only the materials they may see.

    The materials are read once per visibility level (not once per member); the e-mails are
    recorded in one batch before the meeting's row is locked for its final write."""
    _require_staff(actor)
    with transaction.atomic():
        rencontre = Rencontre.objects.select_related("ville").get(pk=rencontre.pk)
        if (
            rencontre.statut not in {Rencontre.Statut.PUBLIEE, Rencontre.Statut.TENUE}
            or rencontre.debut > timezone.now()
        ):
            raise ValidationError(_("Le suivi s'envoie une fois la rencontre commencée."))
        read = Rencontre(pk=rencontre.pk, modifie_le=rencontre.modifie_le)
        if rencontre.statut == Rencontre.Statut.PUBLIEE and rencontre.fin < timezone.now():
            rencontre.statut = Rencontre.Statut.TENUE
        rencontre.suivi_envoye_le = timezone.now()
        compte_rendu_texte = markdown_to_text(rencontre.compte_rendu)
        # Materials a member may see: read once per visibility level (through ``visible_to`` of the
        # first member of that level, without what that member wrote and is not published), plus
        # each member's own unpublished ones.
        unpublished = list(rencontre.materiaux.exclude(statut=Statut.PUBLIE).order_by("titre"))
        by_level: dict[str, list[Ressource]] = {}
        messages = []
        for inscription in _still_allowed(rencontre.inscriptions.inscrits(), rencontre):
            membre = inscription.membre
            level = max_level_for(membre)
            if level not in by_level:
                shared = Ressource.objects.visible_to(membre).filter(rencontres=rencontre)
                if level != Visibilite.EQUIPE:
                    shared = shared.exclude(~Q(statut=Statut.PUBLIE), auteur=membre)  # theirs come below
                by_level[level] = list(shared.order_by("titre"))
            mine = [m for m in unpublished if m.auteur_id == membre.pk and m not in by_level[level]]
            messages.append(
                _outgoing(
                    purpose="rencontre_suivi",
                    obj=rencontre.pk,
                    membre=inscription.membre,
                    template="suivi",
                    context={
                        "rencontre": rencontre,
                        "inscription": inscription,
                        "materiaux": by_level[level] + mine,
                        "compte_rendu_texte": compte_rendu_texte,
                    },
                )
            )
        sent = _record_many(messages)
        _lock_unchanged(read)
        rencontre.save(update_fields=["statut", "suivi_envoye_le", "modifie_le"])
    return sent


def rencontre_add_materiau(
    *, actor: User, rencontre: Rencontre, titre: str, type: str, visibilite: str, fichier
) -> Ressource:
    """Staff attach a material (slides, minutes, photos): a resource of the library, with its
    own visibility, linked to the meeting and tagged with its themes and host town."""
    _require_staff(actor)
    with transaction.atomic():
        ressource = ressources_services.ressource_create(
            actor=actor,
            data={
                "titre": titre,
                "type": type,
                "visibilite": visibilite,
                "source": "Villes au Carré",
                "date_document": timezone.localdate(rencontre.debut),
                "resume": _("Support de la rencontre « %(titre)s ».") % {"titre": rencontre.titre},
            },
            themes=list(rencontre.themes.all()),
            villes=[rencontre.ville] if rencontre.ville_id else [],
            fichier=fichier,
        )
        rencontre.materiaux.add(ressource)
    return ressource


# --- Reminders --------------------------------------------------------------------------------


def _reminder_due(rencontre: Rencontre, kind: str, now: datetime) -> bool:
    if rencontre.statut != Rencontre.Statut.PUBLIEE or now >= rencontre.debut:
        return False
    if kind == "j7":
        return rencontre.debut - REMINDERS["j7"] <= now < rencontre.debut - REMINDERS["j1"]
    return rencontre.debut - REMINDERS["j1"] <= now


def rencontre_send_reminder(*, rencontre_id: int, kind: str, now: datetime | None = None) -> int:
    """Record the reminder ``kind`` (``j7`` or ``j1``) of one meeting for its registered
    members, each once: the outbox key (reminder, meeting and its date, person) makes a re-run a
    no-op. The messages are rendered and recorded first, in a fixed number of queries; the
    meeting's row is locked last, only to check it did not change meanwhile and to note the
    reminder as sent — two workers at once record it once, and registrations and edits of the
    meeting never wait for the rendering."""
    if kind not in REMINDERS:
        raise ValueError(kind)
    now = now or timezone.now()
    field = f"rappel_{kind}_le"
    with transaction.atomic():
        rencontre = Rencontre.objects.select_related("ville").filter(pk=rencontre_id).first()
        if rencontre is None or getattr(rencontre, field) is not None or not _reminder_due(rencontre, kind, now):
            return 0
        read = Rencontre(pk=rencontre.pk, modifie_le=rencontre.modifie_le)
        attachment = _ics_attachment(rencontre, with_video_link=True)
        obj = f"{rencontre.pk}@{rencontre.debut:%Y%m%dT%H%M}"
        _recorded, sent = outbox_record_many(
            [
                Outgoing(
                    purpose=f"rencontre_rappel_{kind}",
                    obj=obj,
                    to=inscription.membre.email,
                    email=render_email(
                        f"rencontres/rappel_{kind}",
                        {"membre": inscription.membre, "rencontre": rencontre, "inscription": inscription},
                    ),
                    attachments=[attachment],
                )
                for inscription in _still_allowed(rencontre.inscriptions.inscrits(), rencontre)
            ]
        )
        try:
            locked = _lock_unchanged(read, **{field: None})
        except RencontreChanged:
            # Edited, cancelled or reminded by another worker meanwhile: nothing of this run stays;
            # the next pass (every 15 minutes) renders the reminder again if it is still due.
            transaction.set_rollback(True)
            return 0
        setattr(locked, field, now)
        locked.save(update_fields=[field])
    return sent


def rencontres_due_reminders(*, now: datetime | None = None) -> list[tuple[int, str]]:
    """The (meeting id, reminder) pairs whose time has come and that were not recorded yet."""
    now = now or timezone.now()
    published = Rencontre.objects.filter(statut=Rencontre.Statut.PUBLIEE, debut__gt=now)
    j7 = published.filter(
        rappel_j7_le__isnull=True, debut__lte=now + REMINDERS["j7"], debut__gt=now + REMINDERS["j1"]
    ).values_list("pk", flat=True)
    j1 = published.filter(rappel_j1_le__isnull=True, debut__lte=now + REMINDERS["j1"]).values_list("pk", flat=True)
    return [(pk, "j7") for pk in j7] + [(pk, "j1") for pk in j1]


def rencontres_send_due_reminders(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(
        rencontre_send_reminder(rencontre_id=pk, kind=kind, now=now) for pk, kind in rencontres_due_reminders(now=now)
    )


# --- Registrations -------------------------------------------------------------------------------


def _locked_visible(actor: User, rencontre: Rencontre) -> Rencontre:
    locked = Rencontre.objects.visible_to(actor).select_for_update(of=("self",)).filter(pk=rencontre.pk).first()
    if locked is None:
        raise PermissionDenied
    return locked


def inscription_register(*, actor: User, rencontre: Rencontre) -> Inscription:
    """Register ``actor``; over capacity they join the waiting list.

    The meeting row is locked for the count and the write: two members taking the last place
    at the same moment are served one after the other, and the second waits in line.
    """
    if not actor.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        rencontre = _locked_visible(actor, rencontre)
        if not rencontre.registration_open:
            raise ValidationError(_("Les inscriptions à cette rencontre sont closes."))
        inscription = Inscription.objects.filter(rencontre=rencontre, membre=actor).first()
        if inscription is not None and inscription.statut != Inscription.Statut.DESINSCRIT:
            return inscription
        full = (
            rencontre.capacite is not None
            and Inscription.objects.filter(rencontre=rencontre).inscrits().count() >= rencontre.capacite
        )
        if inscription is None:
            inscription = Inscription(rencontre=rencontre, membre=actor)
        inscription.statut = Inscription.Statut.ATTENTE if full else Inscription.Statut.INSCRIT
        inscription.attente_depuis = timezone.now() if full else None
        inscription.version += 1
        inscription.save()
        _record(
            purpose="rencontre_inscription",
            obj=f"{inscription.pk}.{inscription.version}",
            membre=actor,
            template="inscription",
            context={"rencontre": rencontre, "inscription": inscription},
            attachment=None if full else _ics_attachment(rencontre, with_video_link=True),
        )
    return inscription


def inscription_withdraw(*, actor: User, rencontre: Rencontre) -> Inscription | None:
    """Withdraw ``actor``; a freed place goes to the first on the waiting list, who is told."""
    if not actor.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        rencontre = _locked_visible(actor, rencontre)
        if rencontre.debut <= timezone.now():
            raise ValidationError(_("Cette rencontre a commencé : la désinscription n'est plus possible."))
        inscription = Inscription.objects.actives().filter(rencontre=rencontre, membre=actor).first()
        if inscription is None:
            return None
        was_registered = inscription.statut == Inscription.Statut.INSCRIT
        inscription.statut = Inscription.Statut.DESINSCRIT
        inscription.attente_depuis = None
        inscription.version += 1
        inscription.save(update_fields=["statut", "attente_depuis", "version", "modifie_le"])
        if was_registered:
            _promote_waiting(rencontre)
    return inscription


def _promote_waiting(rencontre: Rencontre) -> list[Inscription]:
    """Move people up from the waiting list while places are free (meeting row locked)."""
    if rencontre.statut != Rencontre.Statut.PUBLIEE:
        return []
    taken = Inscription.objects.filter(rencontre=rencontre).inscrits().count()
    free = None if rencontre.capacite is None else max(rencontre.capacite - taken, 0)
    # Only members who may still see the meeting move up: the promotion e-mail carries its video link.
    waiting = _still_allowed(Inscription.objects.filter(rencontre=rencontre).en_attente(), rencontre)
    promoted = list(waiting if free is None else waiting[:free])
    attachment = _ics_attachment(rencontre, with_video_link=True) if promoted else None
    now = timezone.now()
    for inscription in promoted:
        inscription.statut = Inscription.Statut.INSCRIT
        inscription.attente_depuis = None
        inscription.version += 1
        inscription.modifie_le = now
    Inscription.objects.bulk_update(promoted, ["statut", "attente_depuis", "version", "modifie_le"])
    _record_many(
        [
            _outgoing(
                purpose="rencontre_promotion",
                obj=f"{inscription.pk}.{inscription.version}",
                membre=inscription.membre,
                template="promotion",
                context={"rencontre": rencontre, "inscription": inscription},
                attachment=attachment,
            )
            for inscription in promoted
        ]
    )
    return promoted


def inscription_set_attendance(*, actor: User, rencontre: Rencontre, presents: set[int]) -> int:
    """Mark who attended: the registered members whose registration id is in ``presents``."""
    _require_staff(actor)
    with transaction.atomic():
        rencontre = Rencontre.objects.select_for_update().get(pk=rencontre.pk)
        if rencontre.debut > timezone.now():
            raise ValidationError(_("La présence se note une fois la rencontre commencée."))
        inscriptions = Inscription.objects.filter(rencontre=rencontre).inscrits()
        inscriptions.filter(pk__in=presents).update(present=True, modifie_le=timezone.now())
        inscriptions.exclude(pk__in=presents).update(present=False, modifie_le=timezone.now())
    return len(presents)


# --- Calendar feed ---------------------------------------------------------------------------------


def flux_renew(*, actor: User) -> str:
    """Create or renew ``actor``'s private feed; the old address stops working. Returns the
    secret token, which is shown once and stored only as a hash."""
    if not actor.is_authenticated:
        raise PermissionDenied
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        FluxCalendrier.objects.update_or_create(
            membre=actor, defaults={"token_hash": hash_feed_token(token), "renouvele_le": timezone.now()}
        )
    return token


def flux_mark_accessed(*, membre: User, now: datetime | None = None) -> None:
    """Note when a calendar app last read the feed (at most one write an hour)."""
    now = now or timezone.now()
    FluxCalendrier.objects.filter(membre=membre).filter(
        Q(dernier_acces__isnull=True) | Q(dernier_acces__lt=now - timedelta(hours=1))
    ).update(dernier_acces=now)


def flux_revoke(*, actor: User) -> None:
    if not actor.is_authenticated:
        raise PermissionDenied
    FluxCalendrier.objects.filter(membre=actor).delete()
