"""/healthz/ and manage.py healthz: 200 when everything answers, 503 naming what failed."""

from __future__ import annotations

import json
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from reseau_acv.core import health
from tests.helpers import celery_worker, real_broker, wait_until

pytestmark = pytest.mark.django_db


def _fresh_heartbeats(age: float = 0) -> None:
    now = timezone.now().timestamp()
    cache.set(health.BEAT_KEY, now - age)
    cache.set(health.WORKER_KEY, now - age)


@pytest.fixture
def with_broker(settings):
    """As in production: tasks go through Redis, so beat and workers must show their heartbeat."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return settings


def test_healthz_answers_200_when_everything_answers(with_broker, tmp_path):
    """Database, cache, broker, storage and both heartbeats pass: 200 and every check listed."""
    with_broker.MEDIA_ROOT = tmp_path
    _fresh_heartbeats()
    response = Client().get("/healthz/")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "storage", "beat", "worker"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_ignores_the_host_and_the_https_redirect(with_broker, tmp_path):
    """The container's probe on 127.0.0.1 over plain HTTP gets 200 under production's redirect and hosts."""
    with_broker.MEDIA_ROOT = tmp_path
    with_broker.SECURE_SSL_REDIRECT = True
    with_broker.ALLOWED_HOSTS = ["reseau-acv.example.org"]
    _fresh_heartbeats()
    assert Client().get("/healthz/", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert Client().get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400  # the rest of the site still checks


def test_a_stale_beat_heartbeat_answers_503_naming_beat(with_broker, tmp_path):
    """Beat silent for longer than HEALTH_HEARTBEAT_MAX_AGE: 503 and « beat » among the failures."""
    with_broker.MEDIA_ROOT = tmp_path
    _fresh_heartbeats()
    cache.set(health.BEAT_KEY, timezone.now().timestamp() - with_broker.HEALTH_HEARTBEAT_MAX_AGE - 60)
    response = Client().get("/healthz/")
    assert response.status_code == 503
    assert response.json()["failed"] == ["beat"]


def test_no_worker_ever_answered_is_a_failure(with_broker, tmp_path):
    """Without any worker heartbeat, /healthz/ answers 503 naming the worker."""
    with_broker.MEDIA_ROOT = tmp_path
    _fresh_heartbeats()
    cache.delete(health.WORKER_KEY)
    response = Client().get("/healthz/")
    assert (response.status_code, response.json()["failed"]) == (503, ["worker"])


def test_an_unreachable_broker_answers_503(with_broker, tmp_path):
    """A broker nobody listens to makes /healthz/ answer 503 naming the broker."""
    with_broker.MEDIA_ROOT = tmp_path
    with_broker.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    _fresh_heartbeats()
    response = Client().get("/healthz/")
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]


def test_storage_that_cannot_be_written_answers_503(settings, tmp_path):
    """Media storage that refuses writes (a file where the folder should be) fails the storage check."""
    blocker = tmp_path / "media"
    blocker.write_text("pas un dossier")
    settings.MEDIA_ROOT = blocker
    response = Client().get("/healthz/")
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_an_unreachable_cache_answers_503(settings, tmp_path):
    """A cache server that does not answer fails the cache check."""
    settings.MEDIA_ROOT = tmp_path
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }  # Django's test signals reset the cache connections when CACHES changes
    response = Client().get("/healthz/")
    assert response.status_code == 503
    assert "cache" in response.json()["failed"]


def test_the_command_exits_non_zero_with_the_failed_check(with_broker, capsys):
    """manage.py healthz --only beat fails when beat has never beaten; passes once it has."""
    cache.delete(health.BEAT_KEY)
    with pytest.raises(CommandError) as error:
        call_command("healthz", "--only", "database,beat")
    assert error.value.returncode == 1
    assert "beat" in str(error.value)
    _fresh_heartbeats()
    call_command("healthz", "--only", "database,beat")
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["status"] == "ok"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_answers_the_heartbeat_that_beat_publishes(with_broker):
    """Publishing core.heartbeat records beat's time; a real worker running it records its own."""
    from reseau_acv.core.tasks import heartbeat_task

    cache.delete_many([health.BEAT_KEY, health.WORKER_KEY])
    with real_broker(), celery_worker():
        heartbeat_task.apply_async()
        assert cache.get(health.BEAT_KEY) is not None
        assert wait_until(lambda: cache.get(health.WORKER_KEY) is not None, timeout=60)
    assert abs(float(cache.get(health.WORKER_KEY)) - time.time()) < 120
    assert health.run_checks(["beat", "worker"])["worker"].ok


def test_checks_can_be_restricted_and_unknown_names_are_refused(with_broker, tmp_path):
    """?checks=database,cache runs only those (beat may be down); an unknown name answers 400."""
    with_broker.MEDIA_ROOT = tmp_path
    cache.delete(health.BEAT_KEY)
    response = Client().get("/healthz/?checks=database,cache,storage")
    assert (response.status_code, set(response.json()["checks"])) == (200, {"database", "cache", "storage"})
    assert Client().get("/healthz/").status_code == 503
    assert Client().get("/healthz/?checks=database,lune").status_code == 400
