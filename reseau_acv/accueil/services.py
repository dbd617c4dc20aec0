"""Writes of ``accueil``: preferences, the digest run, the unsubscribe link, staff notices."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reseau_acv.comptes.models import Role, User
from reseau_acv.core import notifications
from reseau_acv.core import selectors as core_selectors
from reseau_acv.core.models import Theme
from reseau_acv.core.outbox import Outgoing, RenderedEmail, outbox_record, outbox_record_many, render_email
from reseau_acv.core.permissions import is_member
from villes.models import Mission, Ville

from . import digest as digest_lib
from .models import SECTION_FIELDS, EnvoiDigest, Frequence, Preferences
from .queues import staff_queues

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "accueil.desabonnement"
DIGEST_PURPOSE = "accueil.digest"
STAFF_PURPOSE = "accueil.equipe_quotidien"
# A member who has not had a digest for long gets at most this much history.
MAX_LOOKBACK = timedelta(days=31)
# Items shown per section; the rest is counted ("and 12 more") with a link to the site.
MAX_ITEMS_PER_SECTION = 10


# --- Preferences ----------------------------------------------------------------------------------


def preferences_get(*, user) -> Preferences:
    """The member's preferences; the defaults (not saved) when they never chose."""
    preferences = Preferences.objects.filter(user=user).first()
    return preferences or Preferences(user=user)


@transaction.atomic
def preferences_update(
    *,
    actor,
    user,
    frequence: str,
    sections: dict[str, bool],
    villes,
    themes,
) -> Preferences:
    """Save a member's choices: frequency and sections here, towns and themes as follows.
    Only the member themself may change them."""
    if actor is None or not actor.is_authenticated or actor.pk != user.pk:
        raise PermissionDenied
    if frequence not in Frequence.values:
        raise ValidationError(_("Fréquence inconnue."))
    preferences, _created = Preferences.objects.select_for_update().get_or_create(user=user)
    preferences.frequence = frequence
    for key, field in SECTION_FIELDS.items():
        setattr(preferences, field, bool(sections.get(key, False)))
    if frequence != Frequence.AUCUNE:
        preferences.desabonne_le = None
    preferences.save()
    notifications.follows_set(actor=actor, model=Ville, chosen=villes)
    notifications.follows_set(actor=actor, model=Theme, chosen=themes)
    return preferences


# --- First steps ----------------------------------------------------------------------------------


@transaction.atomic
def premiers_pas_save(*, actor, villes, themes, frequence: str) -> Preferences:
    """A new member answers the two questions of their first sign-in: the towns and themes they
    follow (core's follows, which the digest reads too), and how often they want the digest."""
    if not is_member(actor):
        raise PermissionDenied
    if frequence not in Frequence.values:
        raise ValidationError(_("Fréquence inconnue."))
    preferences, _created = Preferences.objects.select_for_update().get_or_create(user=actor)
    preferences.frequence = frequence
    if frequence != Frequence.AUCUNE:
        preferences.desabonne_le = None
    preferences.save()
    notifications.follows_set(actor=actor, model=Theme, chosen=themes)
    notifications.follows_set(actor=actor, model=Ville, chosen=villes)
    actor.premiers_pas_le = timezone.now()
    actor.save(update_fields=["premiers_pas_le"])
    return preferences


@transaction.atomic
def premiers_pas_skip(*, actor) -> None:
    """« Plus tard »: the member is not asked again; the dashboard keeps a link to the choices."""
    if not is_member(actor):
        raise PermissionDenied
    if actor.premiers_pas_le is None:
        actor.premiers_pas_le = timezone.now()
        actor.save(update_fields=["premiers_pas_le"])


def unsubscribe_token(user) -> str:
    """A signed, stable token naming the member: the same link in every digest."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user.pk})


def unsubscribe_url(user) -> str:
    return _unsubscribe_prefix(settings.SITE_URL) + unsubscribe_token(user) + "/"


@lru_cache(maxsize=8)
def _unsubscribe_prefix(site_url: str) -> str:
    """The link's address up to its token, reversed once (a signed token is URL-safe as it is)."""
    return site_url + reverse("accueil:preferences-unsubscribe", kwargs={"token": "-"}).removesuffix("-/")


def user_for_unsubscribe_token(token: str) -> User:
    """The member a signed link names; ``ValidationError`` if the link was altered."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
        user_pk = int(data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ValidationError(_("Ce lien de désabonnement n'est pas valide.")) from error
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        raise ValidationError(_("Ce lien de désabonnement n'est pas valide."))
    return user


@transaction.atomic
def preferences_unsubscribe(*, token: str) -> User:
    """One-click unsubscribe (RFC 8058): the signed token is the authority; no session needed."""
    user = user_for_unsubscribe_token(token)
    preferences, _created = Preferences.objects.select_for_update().get_or_create(user=user)
    if preferences.frequence != Frequence.AUCUNE:
        preferences.frequence = Frequence.AUCUNE
        preferences.desabonne_le = timezone.now()
        preferences.save(update_fields=["frequence", "desabonne_le", "modifie_le"])
    logger.info("accueil: member %s unsubscribed from the digest", user.pk)
    return user


# --- The digest run -------------------------------------------------------------------------------


@dataclass
class DigestRunResult:
    period: str
    members: int = 0
    sent: int = 0
    empty: int = 0
    batches: int = 0
    more: bool = False  # stopped at its time budget with members still due


def _members_due(frequence: str, period_key: str):
    due = User.objects.filter(is_active=True).exclude(email="")
    if frequence == Frequence.HEBDOMADAIRE:
        due = due.filter(Q(preferences__isnull=True) | Q(preferences__frequence=frequence))
    else:
        due = due.filter(preferences__frequence=frequence)
    return due.exclude(pk__in=EnvoiDigest.objects.filter(periode=period_key).values("user_id"))


# What differs between two members who get the same news: their name and their unsubscribe link.
# The digest is rendered once per distinct content with these marks, then each member's values go in.
NAME_MARK = "NOM7e1f0c4d2b"
LINK_MARK = "LIEN7e1f0c4d2b"
MEMO_MAX = 2000


@dataclass(frozen=True)
class _MarkedUser:
    first_name: str = NAME_MARK
    email: str = NAME_MARK


def _digest_email(*, user, period, sections, since, memo: dict | None = None):
    """One member's digest. Members of a run who get the same news share one rendering (``memo``):
    the templates run once per distinct content, not once per member."""
    signature = (period.key, since, tuple((section.key, tuple(items), more) for section, items, more in sections))
    marked = memo.get(signature) if memo is not None else None
    if marked is None:
        context = {
            "user": _MarkedUser(),
            "period": period,
            "since": since,
            "sections": sections,
            "nb_items": sum(len(items) + more for _section, items, more in sections),
            "unsubscribe_url": LINK_MARK,
            "preferences_url": settings.SITE_URL + reverse("accueil:preferences-edit"),
        }
        marked = render_email("accueil/digest", context)
        if memo is not None:
            if len(memo) >= MEMO_MAX:
                memo.clear()
            memo[signature] = marked
    name, link = user.first_name or user.email, unsubscribe_url(user)
    email = RenderedEmail(
        subject=marked.subject.replace(NAME_MARK, name),
        text=marked.text.replace(NAME_MARK, name).replace(LINK_MARK, link),
        html=marked.html.replace(NAME_MARK, escape(name)).replace(LINK_MARK, escape(link)),
    )
    return email, link


NOTIFICATIONS_SECTION = digest_lib.DigestSection(
    key="notifications", title=gettext_lazy("Vos notifications"), fetch=lambda **kwargs: [], order=0
)


def notification_item(notification) -> digest_lib.DigestItem:
    """A notification the member chose to read in their digest; its link opens it (and reads it)."""
    detail = notification.fil_titre + (f" — « {notification.extrait} »" if notification.extrait else "")
    return digest_lib.DigestItem(
        section="notifications",
        titre=notification.texte,
        url=settings.SITE_URL + reverse("core:notification-open", kwargs={"pk": notification.pk}),
        date=notification.cree_le,
        visibilite="public",
        detail=detail,
    )


def digest_batch(*, period: digest_lib.Period, batch_size: int, memo: dict | None = None) -> tuple[int, int, int]:
    """Build and record the digests of the next ``batch_size`` members due, in one transaction.

    Returns ``(members, sent, empty)``; ``members == 0`` when nobody is left. The members' rows
    are locked with SKIP LOCKED, so an overlapping run takes other members; a member whose
    digest is recorded (even by a run that committed a moment ago) is skipped; a crash rolls the
    whole batch back, messages included, and the next run takes it again. The number of queries
    is fixed per batch, whatever its size: the messages are recorded together.
    """
    with transaction.atomic():
        locked = list(
            _members_due(period.frequence, period.key)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:batch_size]
        )
        if not locked:
            return 0, 0, 0
        ids = [user.pk for user in locked]
        # Read again now that the rows are ours: a run that held them may have just committed.
        done = set(EnvoiDigest.objects.filter(periode=period.key, user_id__in=ids).values_list("user_id", flat=True))
        members = [user for user in locked if user.pk not in done]
        ids = [user.pk for user in members]
        preferences = {p.user_id: p for p in Preferences.objects.filter(user_id__in=ids)}
        followed = core_selectors.followed_by(user_ids=ids, models=[Ville, Theme])
        pending = core_selectors.digest_pending(user_ids=ids, until=period.end)
        mission_villes: dict[int, set[int]] = defaultdict(set)
        for personne_id, ville_id in (
            Mission.objects.current().filter(personne_id__in=ids).values_list("personne_id", "ville_id")
        ):
            mission_villes[personne_id].add(ville_id)
        last_end = dict(
            EnvoiDigest.objects.filter(user_id__in=ids)
            .values("user_id")
            .annotate(fin=Max("fin"))
            .values_list("user_id", "fin")
        )

        sinces = {user.pk: _since(period, last_end.get(user.pk)) for user in members}
        earliest = min(sinces.values(), default=period.start)
        # One fetch per section and visibility level present in the batch.
        representatives: dict[str, User] = {}
        for user in members:
            representatives.setdefault(digest_lib.level_key(user), user)
        fetched: dict[tuple[str, str], list[digest_lib.DigestItem]] = {}
        for section in digest_lib.digest_sections():
            for level, representative in representatives.items():
                fetched[(section.key, level)] = section.fetch(user=representative, since=earliest, until=period.end)

        envois, sent, empty, told = [], 0, 0, []
        outgoing: list[Outgoing] = []
        envois_by_key: dict[str, EnvoiDigest] = {}
        for user in members:
            choice = digest_lib.MemberChoice.of(
                preferences.get(user.pk),
                mission_villes.get(user.pk, set()),
                villes=followed.get((user.pk, Ville)),
                themes=followed.get((user.pk, Theme)),
            )
            level = digest_lib.level_key(user)
            sections = []
            mine = pending.get(user.pk, [])
            if mine:
                told += [n.pk for n in mine]
                items = [notification_item(n) for n in reversed(mine)]
                sections.append(
                    (NOTIFICATIONS_SECTION, items[:MAX_ITEMS_PER_SECTION], max(len(items) - MAX_ITEMS_PER_SECTION, 0))
                )
            for section in digest_lib.digest_sections():
                items = digest_lib.select_items(
                    section=section,
                    items=fetched[(section.key, level)],
                    user=user,
                    choice=choice,
                    since=sinces[user.pk],
                )
                if items:
                    sections.append(
                        (section, items[:MAX_ITEMS_PER_SECTION], max(len(items) - MAX_ITEMS_PER_SECTION, 0))
                    )
            envoi = EnvoiDigest(
                user=user,
                periode=period.key,
                frequence=period.frequence,
                debut=sinces[user.pk],
                fin=period.end,
                nb_elements=sum(len(items) + more for _s, items, more in sections),
            )
            if sections:
                email, link = _digest_email(
                    user=user, period=period, sections=sections, since=sinces[user.pk], memo=memo
                )
                message = Outgoing(
                    purpose=DIGEST_PURPOSE,
                    obj=period.key,
                    to=user.email,
                    email=email,
                    headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
                )
                outgoing.append(message)
                envois_by_key[message.key] = envoi
                sent += 1
            else:
                empty += 1
            envois.append(envoi)
        # All the batch's messages are recorded at once, in the same transaction as its rows.
        recorded, _new = outbox_record_many(outgoing)
        for key, courriel in recorded.items():
            envois_by_key[key].courriel = courriel
        # The unique (member, period) constraint is the last guard: a duplicate rolls back the batch.
        EnvoiDigest.objects.bulk_create(envois)
        notifications.digest_mark_included(notification_ids=told, when=period.end)
        return len(locked), sent, empty


def _since(period: digest_lib.Period, last_end: datetime | None) -> datetime:
    if last_end is None:
        return period.start
    return max(last_end, period.end - MAX_LOOKBACK)


def digest_run(
    *, frequence: str, now: datetime | None = None, batch_size: int = 200, max_seconds: float | None = None
) -> DigestRunResult:
    """Send the digests due for ``frequence`` now, batch after batch, until nobody is left or
    ``max_seconds`` have passed (then ``more`` is set and the caller runs it again).

    Safe to run twice, at the same time, or again after a crash: each member gets one digest
    per period (see :func:`digest_batch`).
    """
    period = digest_lib.period_for(frequence, now)
    result = DigestRunResult(period=period.key)
    started = time.monotonic()
    memo: dict = {}  # renderings shared by members who get the same news
    while True:
        if max_seconds is not None and result.batches and time.monotonic() - started >= max_seconds:
            result.more = True
            break
        members, sent, empty = digest_batch(period=period, batch_size=batch_size, memo=memo)
        if members == 0:
            break
        result.batches += 1
        result.members += members
        result.sent += sent
        result.empty += empty
    logger.info("accueil: digest %s: %s sent, %s empty", period.key, result.sent, result.empty)
    return result


# --- Staff notice ---------------------------------------------------------------------------------


def staff_notify(*, now: datetime | None = None) -> bool:
    """Tell the team once a day what waits in the moderation and curation queues, and which
    press sources fail. Nothing waiting, no message. Returns True if a message was recorded."""
    today = timezone.localdate(now or timezone.now())
    staff = User.objects.filter(is_active=True, role=Role.EQUIPE).order_by("pk").first()
    queues = [queue for queue in staff_queues(user=staff) if queue.count] if staff else []
    if not queues:
        return False
    context = {"queues": queues, "today": today}
    with transaction.atomic():
        _message, created = outbox_record(
            purpose=STAFF_PURPOSE,
            obj=today.isoformat(),
            to=settings.EQUIPE_EMAIL,
            email=render_email("accueil/equipe_quotidien", context),
        )
    return created
