"""Reads of core: the state of the outbox for the team; a member's notifications, follows and choices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Model, Q
from django.utils import timezone

from .models import ChoixNotification, Courriel, Notification, Suivi
from .permissions import is_member


@dataclass(frozen=True)
class OutboxState:
    pending: int
    failed: int
    sent_last_day: int
    oldest_pending_since: datetime | None

    @property
    def oldest_pending(self) -> timedelta | None:
        return timezone.now() - self.oldest_pending_since if self.oldest_pending_since else None


def outbox_state() -> OutboxState:
    """Counts of the outbox in one query (the pending ones use their partial index)."""
    since = timezone.now() - timedelta(days=1)
    row = Courriel.objects.aggregate(
        pending=Count("pk", filter=Q(statut=Courriel.Statut.EN_ATTENTE)),
        failed=Count("pk", filter=Q(statut=Courriel.Statut.ECHEC)),
        sent_last_day=Count("pk", filter=Q(statut=Courriel.Statut.ENVOYE, envoye_le__gte=since)),
        oldest=Min("cree_le", filter=Q(statut=Courriel.Statut.EN_ATTENTE)),
    )
    return OutboxState(row["pending"], row["failed"], row["sent_last_day"], row["oldest"])


def outbox_abandoned():
    """Abandoned messages, newest first (only what the page shows is loaded)."""
    return (
        Courriel.objects.filter(statut=Courriel.Statut.ECHEC)
        .only("pk", "destinataire", "sujet", "objet_envoi", "tentatives", "derniere_erreur", "cree_le")
        .order_by("-cree_le", "-pk")
    )


# --- Notifications and follows ----------------------------------------------------------------


def notifications_of(*, user):
    """The member's notifications, newest first (the view paginates, then groups by thread)."""
    return Notification.objects.filter(destinataire=user).order_by("-cree_le", "-pk")


@dataclass
class FilNotifications:
    """The notifications of one thread on one page of ``/notifications/``."""

    titre: str
    notifications: list = field(default_factory=list)

    @property
    def non_lues(self) -> int:
        return sum(1 for n in self.notifications if n.lue_le is None)


def group_by_thread(notifications) -> list[FilNotifications]:
    """Group a page of notifications by thread, the thread of the newest first."""
    groups: dict[tuple, FilNotifications] = {}
    for notification in notifications:
        groups.setdefault(notification.fil_key, FilNotifications(titre=notification.fil_titre)).notifications.append(
            notification
        )
    return list(groups.values())


def choices_of(*, user) -> dict[str, str]:
    """The member's e-mail choice for every kind of notification (defaults included)."""
    from .notifications import GENRES

    chosen = dict(ChoixNotification.objects.filter(membre=user).values_list("type", "envoi"))
    return {genre.key: chosen.get(genre.key, genre.default) for genre in GENRES}


def is_following(*, user, target: Model) -> bool:
    if not is_member(user):
        return False
    return Suivi.objects.filter(
        membre=user, cible_type=ContentType.objects.get_for_model(type(target)), cible_id=target.pk
    ).exists()


@dataclass
class SuiviAffiche:
    """A follow as the follows page shows it: the object if the member may still see it."""

    suivi: Suivi
    objet: Model | None
    genre: str


def follows_of(*, user, suivis) -> list[SuiviAffiche]:
    """Resolve a page of follows: one query per kind of object, through its ``visible_to``."""
    by_type: dict[int, list[Suivi]] = {}
    for suivi in suivis:
        by_type.setdefault(suivi.cible_type_id, []).append(suivi)
    shown: dict[int, SuiviAffiche] = {}
    for type_id, rows in by_type.items():
        content_type = ContentType.objects.get_for_id(type_id)
        model = content_type.model_class()
        manager = model._default_manager if model is not None else None
        objects = {}
        if manager is not None:
            queryset = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
            objects = queryset.in_bulk([row.cible_id for row in rows])
        for row in rows:
            shown[row.pk] = SuiviAffiche(
                suivi=row, objet=objects.get(row.cible_id), genre=str(model._meta.verbose_name) if model else ""
            )
    return [shown[suivi.pk] for suivi in suivis]


def _of_model(model: type[Model]) -> Q:
    # By the content type's natural key (a join): no look-up whose cache would vary a page's query count.
    return Q(cible_type__app_label=model._meta.app_label, cible_type__model=model._meta.model_name)


def followed_ids(*, user, model: type[Model]):
    """Ids of the objects of ``model`` the member follows (a queryset, for a subquery)."""
    return Suivi.objects.filter(_of_model(model), membre=user).values("cible_id")


def followed_by(*, user_ids: list[int], models: list[type[Model]]) -> dict[tuple[int, type[Model]], set[int]]:
    """For a batch of members, what each follows among ``models``, in one query."""
    rule = Q(pk__in=[])
    for model in models:
        rule |= _of_model(model)
    by_label = {(m._meta.app_label, m._meta.model_name): m for m in models}
    found: dict[tuple[int, type[Model]], set[int]] = {}
    rows = Suivi.objects.filter(rule, membre_id__in=user_ids).values_list(
        "membre_id", "cible_type__app_label", "cible_type__model", "cible_id"
    )
    for membre_id, app_label, model_name, cible_id in rows:
        found.setdefault((membre_id, by_label[(app_label, model_name)]), set()).add(cible_id)
    return found


def digest_pending(*, user_ids: list[int], until) -> dict[int, list[Notification]]:
    """Notifications waiting for each member's digest (their choice « dans mon récapitulatif »)."""
    pending: dict[int, list[Notification]] = {}
    rows = Notification.objects.filter(
        destinataire_id__in=user_ids, envoi="resume", resume_le__isnull=True, cree_le__lt=until
    ).order_by("cree_le", "pk")
    for notification in rows:
        pending.setdefault(notification.destinataire_id, []).append(notification)
    return pending
