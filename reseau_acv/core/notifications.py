"""Notifications and follows: how the platform tells a member that something happened.

``notify(...)`` is the one entry point. The service that makes the event calls it inside its
transaction; it records one :class:`~reseau_acv.core.models.Notification` per recipient who may
see the content at that moment (never the actor), and, according to each recipient's choice for
that kind of notification, its e-mail through the outbox at once, a place in the digest (accueil's
digest gathers the pending ones), or nothing. Every step is a fixed number of queries whatever
the number of recipients: the members are read once, visibility is checked once per visibility
level, the choices are read once, the rows and e-mails are written in batches, and the unread
counters are recounted in one statement.

Core imports no app: what a notification or a follow is about is a content type and an id, and
the caller passes the model's ``visible_to`` (``Question.objects.visible_to``). A lower app that
must know whether members want an e-mail (rencontres for an invitation) filters them through
:func:`wanting_email`.

    from reseau_acv.core.notifications import notify

    notify(
        kind="reponse",                      # one of GENRES
        event=f"message:{message.pk}",       # unique per event: a second call tells nobody twice
        actor=actor,                         # never notified
        recipients=[question.auteur_id],     # users, ids or a User queryset
        text=_("%(nom)s a répondu à votre question") % {"nom": nom},
        target=message,                      # what it is about; checked with visible_to
        visible_to=Message.objects.visible_to,
        url=message.get_absolute_url(),      # the exact place (anchor on the answer)
        thread=question,                     # grouping on /notifications/ (default: target)
    )

Several kinds in one event (the author is told « réponse », a mentioned member « mention »,
followers « suivi »): pass ``audiences=[Audience(kind, users, text), …]``; a member in several
is told once, by the first audience that names them.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ChoixNotification, Envoi, Notification, Suivi
from .outbox import Outgoing, outbox_record_many, render_email
from .permissions import is_member
from .visibility import max_level_for

logger = logging.getLogger(__name__)

EMAIL_PURPOSE = "notification"


@dataclass(frozen=True)
class Genre:
    """A kind of notification, and the e-mail choice of a member who never chose."""

    key: str
    label: str
    default: str
    help: str = ""


# Every kind of notification, in the order of the choices page. Addressed to me: at once; what
# I follow: in my digest.
GENRES: list[Genre] = [
    Genre("reponse", gettext_lazy("Une réponse à ma question"), Envoi.IMMEDIAT),
    Genre("commentaire", gettext_lazy("Un commentaire sur ma ressource ou ma fiche d'expérience"), Envoi.IMMEDIAT),
    Genre("mention", gettext_lazy("Un membre me mentionne (@Prénom Nom)"), Envoi.IMMEDIAT),
    Genre("reponse_retenue", gettext_lazy("Ma réponse est retenue par l'auteur de la question"), Envoi.IMMEDIAT),
    Genre("moderation", gettext_lazy("Ma contribution est publiée ou renvoyée par l'équipe"), Envoi.IMMEDIAT),
    Genre("sollicitation", gettext_lazy("On me sollicite pour répondre à une question"), Envoi.IMMEDIAT),
    Genre(
        "rencontre",
        gettext_lazy("Une rencontre où je suis inscrit·e change de date, de lieu ou de lien, ou est annulée"),
        Envoi.IMMEDIAT,
    ),
    Genre(
        "invitation",
        gettext_lazy("L'invitation à une nouvelle rencontre ouverte à mon profil"),
        Envoi.IMMEDIAT,
        gettext_lazy("Dans le récapitulatif, elle figure parmi les rencontres à venir."),
    ),
    Genre(
        "suivi",
        gettext_lazy("Une réponse ou un commentaire dans ce que je suis (question, ressource, fiche, rencontre)"),
        Envoi.RESUME,
    ),
    Genre(
        "nouvelle_question", gettext_lazy("Une nouvelle question sur un thème ou une ville que je suis"), Envoi.RESUME
    ),
]
GENRES_BY_KEY = {genre.key: genre for genre in GENRES}


def genre(key: str) -> Genre:
    try:
        return GENRES_BY_KEY[key]
    except KeyError:
        raise ValueError(f"type de notification inconnu : {key!r}") from None


@dataclass(frozen=True)
class Audience:
    """Members told of an event with one kind and one sentence."""

    kind: str
    users: Iterable = ()  # users, user ids, a User queryset, or followers(…)
    text: str = ""


@dataclass
class Notified:
    """What :func:`notify` recorded: members told, new notifications, new e-mails."""

    recipients: list[int] = field(default_factory=list)
    created: int = 0
    emails: int = 0


def _ids(users) -> list[int]:
    if isinstance(users, models.QuerySet):
        if users.model is get_user_model():
            return list(users.values_list("pk", flat=True))
        return list(users)  # ids already, as followers() gives them
    return [user if isinstance(user, int) else user.pk for user in users if user is not None]


def who_may_see(users: list, visible_to: Callable, pk) -> list:
    """The users for whom ``visible_to(user)`` holds the object ``pk``, in a query per level.

    ``visible_to`` depends on the user's visibility level, and identity can only widen it (the
    author sees their own draft). So it is asked once per level, for a stand-in of that level
    who owns nothing: if the stand-in sees the object, every member of the level does. Only for
    a level that may not see it is each member asked (the author of hidden content, say).
    """
    by_level: dict[str, list] = {}
    for user in users:
        if is_member(user):
            by_level.setdefault(str(max_level_for(user)), []).append(user)
    allowed = []
    for members in by_level.values():
        stand_in = copy.copy(members[0])
        stand_in.pk = -1  # the same role, and nothing of their own
        if visible_to(stand_in).filter(pk=pk).exists():
            allowed += members
        else:
            allowed += [user for user in members if visible_to(user).filter(pk=pk).exists()]
    return allowed


def _choices(user_ids: list[int], kinds: set[str]) -> dict[tuple[int, str], str]:
    rows = ChoixNotification.objects.filter(membre_id__in=user_ids, type__in=kinds).values_list(
        "membre_id", "type", "envoi"
    )
    return {(membre_id, kind): envoi for membre_id, kind, envoi in rows}


def _default_email(*, text: str, thread_title: str, excerpt: str, url: str) -> object:
    from django.urls import reverse

    return render_email(
        "core/notification",
        {
            "texte": text,
            "fil_titre": thread_title,
            "extrait": excerpt,
            "url": url,
            "choix_url": reverse("core:notification-choices"),
        },
    )


@transaction.atomic
def notify(
    *,
    event: str,
    actor,
    target: models.Model,
    visible_to: Callable,
    url: str,
    kind: str = "",
    recipients: Iterable = (),
    text: str = "",
    audiences: list[Audience] | None = None,
    thread: models.Model | None = None,
    excerpt: str = "",
    email: Callable | None = None,
    now: datetime | None = None,
) -> Notified:
    """Tell members of an event, each once, if they may see ``target``; never the actor.

    ``email(user)`` may build the e-mail (an :class:`~reseau_acv.core.outbox.Outgoing`) of a
    member who wants it at once (a meeting change carries its calendar file); where it gives
    ``None``, one message rendered once says the text, the thread and the link. Returns what was
    recorded.
    """
    audiences = list(audiences or []) + ([Audience(kind, recipients, text)] if kind else [])
    for audience in audiences:
        genre(audience.kind)
    told: dict[int, Audience] = {}
    for audience in audiences:
        for user_id in _ids(audience.users):
            told.setdefault(user_id, audience)
    told.pop(getattr(actor, "pk", None), None)
    if not told:
        return Notified()
    User = get_user_model()  # noqa: N806 (a model class)
    users = list(User.objects.filter(pk__in=list(told), is_active=True).order_by("pk"))
    users = who_may_see(users, visible_to, target.pk)
    if not users:
        return Notified()
    ids = [user.pk for user in users]
    choices = _choices(ids, {audience.kind for audience in audiences})
    now = now or timezone.now()
    target_type = ContentType.objects.get_for_model(type(target))
    thread = thread or target
    thread_type = ContentType.objects.get_for_model(type(thread))
    thread_title = str(thread)[:255]
    excerpt = " ".join(excerpt.split())[:297] + ("…" if len(" ".join(excerpt.split())) > 297 else "")
    rows, outgoing, rendered = [], [], {}
    for user in users:
        audience = told[user.pk]
        envoi = choices.get((user.pk, audience.kind), genre(audience.kind).default)
        rows.append(
            Notification(
                destinataire_id=user.pk,
                acteur_id=getattr(actor, "pk", None),
                type=audience.kind,
                cle=event[:200],
                objet_type=target_type,
                objet_id=target.pk,
                fil_type=thread_type,
                fil_id=thread.pk,
                texte=audience.text[:300],
                fil_titre=thread_title,
                extrait=excerpt,
                url=url[:500],
                envoi=envoi,
                cree_le=now,
            )
        )
        if envoi == Envoi.IMMEDIAT and user.email:
            message = email(user) if email is not None else None
            if message is not None:
                outgoing.append(message)
                continue
            if audience.text not in rendered:
                rendered[audience.text] = _default_email(
                    text=audience.text, thread_title=thread_title, excerpt=excerpt, url=url
                )
            outgoing.append(Outgoing(purpose=EMAIL_PURPOSE, obj=event, to=user.email, email=rendered[audience.text]))
    before = Notification.objects.filter(cle=event[:200], destinataire_id__in=ids).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    _recorded, emails = outbox_record_many(outgoing) if outgoing else ({}, 0)
    recount_unread(ids)
    return Notified(recipients=ids, created=len(rows) - before, emails=emails)


# --- Reading state --------------------------------------------------------------------------


def recount_unread(user_ids: list[int]) -> None:
    """Write each member's unread count on their account row, in one statement."""
    if not user_ids:
        return
    unread = (
        Notification.objects.filter(destinataire=OuterRef("pk"), lue_le__isnull=True)
        .order_by()
        .values("destinataire")
        .annotate(n=Count("pk"))
        .values("n")
    )
    get_user_model().objects.filter(pk__in=user_ids).update(
        notifications_non_lues=Coalesce(Subquery(unread, output_field=models.IntegerField()), 0)
    )


@transaction.atomic
def notification_open(*, actor, notification_id: int) -> Notification:
    """The member opens one of their notifications: it is read. Another's answers like none."""
    if not is_member(actor):
        raise PermissionDenied
    notification = Notification.objects.filter(pk=notification_id, destinataire=actor).first()
    if notification is None:
        raise Notification.DoesNotExist
    if notification.lue_le is None:
        notification.lue_le = timezone.now()
        notification.save(update_fields=["lue_le"])
        recount_unread([actor.pk])
    return notification


def notifications_read_thread(*, actor, thread: models.Model) -> int:
    """The member opens a thread's page (from an e-mail, say): its notifications are read.

    Costs nothing to a member with no unread notification (the counter is on their account)."""
    if not is_member(actor) or not getattr(actor, "notifications_non_lues", 0):
        return 0
    with transaction.atomic():
        count = Notification.objects.filter(
            destinataire=actor,
            lue_le__isnull=True,
            fil_type=ContentType.objects.get_for_model(type(thread)),
            fil_id=thread.pk,
        ).update(lue_le=timezone.now())
        if count:
            recount_unread([actor.pk])
            actor.notifications_non_lues = max(actor.notifications_non_lues - count, 0)
    return count


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    """« Tout marquer comme lu »: returns how many were unread."""
    if not is_member(actor):
        raise PermissionDenied
    count = Notification.objects.filter(destinataire=actor, lue_le__isnull=True).update(lue_le=timezone.now())
    recount_unread([actor.pk])
    return count


def notifications_retention_purge(*, now: datetime | None = None) -> int:
    """Delete notifications read more than ``NOTIFICATION_RETENTION_DAYS`` ago. Returns how many."""
    limit = (now or timezone.now()) - timedelta(days=settings.NOTIFICATION_RETENTION_DAYS)
    deleted, _by_model = Notification.objects.filter(lue_le__lt=limit).delete()
    return deleted


def digest_mark_included(*, notification_ids: list[int], when: datetime) -> int:
    """The digest that told of these notifications was recorded: the next one will not repeat them."""
    return Notification.objects.filter(pk__in=notification_ids, resume_le__isnull=True).update(resume_le=when)


# --- Choices --------------------------------------------------------------------------------


@transaction.atomic
def choices_save(*, actor, user, choices: dict[str, str]) -> None:
    """A member chooses, per kind, e-mail at once, in the digest, or never. Only for themself."""
    if not is_member(actor) or actor.pk != user.pk:
        raise PermissionDenied
    for key, envoi in choices.items():
        genre(key)
        if envoi not in Envoi.values:
            raise ValidationError(_("Choix de courriel inconnu."))
        ChoixNotification.objects.update_or_create(membre=user, type=key, defaults={"envoi": envoi})


def wanting_email(kind: str, users: models.QuerySet) -> models.QuerySet:
    """The members of ``users`` whose choice for ``kind`` is an e-mail at once (a queryset).

    Rencontres filters a meeting's invitations through it: it asks core, no registry needed.
    """
    chosen = ChoixNotification.objects.filter(type=kind)
    if genre(kind).default == Envoi.IMMEDIAT:
        return users.exclude(pk__in=chosen.exclude(envoi=Envoi.IMMEDIAT).values("membre_id"))
    return users.filter(pk__in=chosen.filter(envoi=Envoi.IMMEDIAT).values("membre_id"))


# --- Follows --------------------------------------------------------------------------------


def _target_q(targets: Iterable[models.Model]) -> Q:
    by_type: dict[int, list] = {}
    for target in targets:
        by_type.setdefault(ContentType.objects.get_for_model(type(target)).pk, []).append(target.pk)
    rule = Q(pk__in=[])
    for type_id, pks in by_type.items():
        rule |= Q(cible_type_id=type_id, cible_id__in=pks)
    return rule


def followers(*targets: models.Model) -> models.QuerySet:
    """Ids of the members who follow any of ``targets`` (a queryset, for a subquery)."""
    return Suivi.objects.filter(_target_q(targets)).values_list("membre_id", flat=True).distinct()


@transaction.atomic
def follow(*, actor, target: models.Model, visible_to: Callable | None = None) -> Suivi:
    """The member follows ``target``; what they may not see cannot be followed."""
    if not is_member(actor):
        raise PermissionDenied
    if visible_to is not None and not visible_to(actor).filter(pk=target.pk).exists():
        raise PermissionDenied
    suivi, _created = Suivi.objects.get_or_create(
        membre=actor, cible_type=ContentType.objects.get_for_model(type(target)), cible_id=target.pk
    )
    return suivi


def follow_automatically(*, users: Iterable, target: models.Model) -> None:
    """The author and whoever answers follow the thread (a member who stopped following and
    answers again follows again)."""
    target_type = ContentType.objects.get_for_model(type(target))
    Suivi.objects.bulk_create(
        [
            Suivi(membre_id=user_id, cible_type=target_type, cible_id=target.pk, automatique=True)
            for user_id in _ids(users)
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def unfollow(*, actor, target: models.Model | None = None, suivi_id: int | None = None) -> bool:
    """Stop following ``target`` (or the follow ``suivi_id``). Returns whether something stopped."""
    if not is_member(actor):
        raise PermissionDenied
    rows = Suivi.objects.filter(membre=actor)
    if target is not None:
        rows = rows.filter(_target_q([target]))
    elif suivi_id is not None:
        rows = rows.filter(pk=suivi_id)
    else:
        return False
    deleted, _by_model = rows.delete()
    return bool(deleted)


@transaction.atomic
def follows_set(*, actor, model: type[models.Model], chosen: Iterable[models.Model]) -> None:
    """The member follows exactly ``chosen`` among the objects of ``model`` (themes, towns):
    the one store of what a member follows, read by notifications, the digest and the dashboard."""
    if not is_member(actor):
        raise PermissionDenied
    content_type = ContentType.objects.get_for_model(model)
    wanted = {obj.pk for obj in chosen}
    Suivi.objects.filter(membre=actor, cible_type=content_type).exclude(cible_id__in=wanted).delete()
    Suivi.objects.bulk_create(
        [Suivi(membre=actor, cible_type=content_type, cible_id=pk) for pk in sorted(wanted)], ignore_conflicts=True
    )
