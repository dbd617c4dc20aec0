"""What waits for the team: moderation and curation queues, failing press sources.

Each domain app read by ``accueil`` contributes a :class:`StaffQueue` (registered in
``accueil.integrations``). The staff dashboard panel and the daily staff e-mail both read this
list, so they always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class StaffQueue:
    key: str
    label: str
    count: Callable[..., int]  # count(user=staff_member) -> int, one query
    url: Callable[[], str]
    order: int = 100


@dataclass(frozen=True)
class QueueCount:
    key: str
    label: str
    count: int
    url: str


_QUEUES: dict[str, StaffQueue] = {}


def register_staff_queue(queue: StaffQueue) -> None:
    _QUEUES[queue.key] = queue


def unregister_staff_queue(key: str) -> None:
    _QUEUES.pop(key, None)


def staff_queues(*, user) -> list[QueueCount]:
    return [
        QueueCount(queue.key, queue.label, queue.count(user=user), queue.url())
        for queue in sorted(_QUEUES.values(), key=lambda q: (q.order, q.key))
    ]
