"""Health of a running platform: ``/healthz/`` and ``manage.py healthz``.

Each check answers in a second or two and says what failed. The web container's probe asks
``/healthz/``; the worker's and beat's run ``manage.py healthz --only …`` with the checks that
concern them. Celery beat publishes ``core.heartbeat`` every minute (the time it published is
kept), and a worker answers it (the time it ran is kept): a heartbeat older than
``HEALTH_HEARTBEAT_MAX_AGE`` seconds means beat or every worker has stopped.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

BEAT_KEY = "health:beat"
WORKER_KEY = "health:worker"


@dataclass(frozen=True)
class Result:
    ok: bool
    detail: str
    ms: int


def _without_broker() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache() -> str:
    key = f"health:probe:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("la valeur écrite n'est pas relue")
    cache.delete(key)
    return type(cache).__name__


def check_broker() -> str:
    if _without_broker():
        return "aucun broker : tâches exécutées dans le processus web"
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
        broker.ensure_connection(max_retries=1, timeout=2)
    return broker.transport_cls if isinstance(broker.transport_cls, str) else "connecté"


def check_storage() -> str:
    name = default_storage.save(f"healthz/sonde-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise RuntimeError("le fichier écrit n'est pas relu")
    finally:
        default_storage.delete(name)
    return type(default_storage._wrapped).__name__


def _heartbeat(key: str, who: str) -> str:
    if _without_broker():
        return "aucun broker"
    seen = cache.get(key)
    if seen is None:
        raise RuntimeError(f"{who} : aucun battement enregistré")
    age = timezone.now().timestamp() - float(seen)
    if age > settings.HEALTH_HEARTBEAT_MAX_AGE:
        raise RuntimeError(f"{who} : dernier battement il y a {age:.0f} s")
    return f"dernier battement il y a {age:.0f} s"


def check_beat() -> str:
    return _heartbeat(BEAT_KEY, "beat")


def check_worker() -> str:
    return _heartbeat(WORKER_KEY, "worker")


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
    "beat": check_beat,
    "worker": check_worker,
}


def run_checks(only: list[str] | None = None) -> dict[str, Result]:
    results = {}
    for name in only or list(CHECKS):
        started = time.perf_counter()
        try:
            detail, ok = CHECKS[name](), True
        except Exception as exc:  # noqa: BLE001 (a health check reports every failure, whatever it is)
            detail, ok = f"{type(exc).__name__}: {exc}"[:300], False
        results[name] = Result(ok, detail, round((time.perf_counter() - started) * 1000))
    return results


def as_json(results: dict[str, Result]) -> dict:
    return {
        "status": "ok" if all(r.ok for r in results.values()) else "erreur",
        "failed": [name for name, r in results.items() if not r.ok],
        "checks": {name: {"ok": r.ok, "detail": r.detail, "ms": r.ms} for name, r in results.items()},
    }


def record_beat(**_kwargs) -> None:
    """In beat's process, each time it publishes the heartbeat task."""
    cache.set(BEAT_KEY, timezone.now().timestamp(), timeout=None)


def record_worker() -> None:
    """In a worker, each time it runs the heartbeat task."""
    cache.set(WORKER_KEY, timezone.now().timestamp(), timeout=None)
