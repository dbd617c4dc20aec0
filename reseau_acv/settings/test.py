"""Test settings: the suite runs on PostgreSQL and Redis, for real."""

from .base import *  # noqa: F403 (settings modules extend the base namespace)
from .base import env

DEBUG = False
SECRET_KEY = "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105 (tests only)
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/reseau_acv"),
    # The embedded default (``make run``): the search engine's tests run on both backends.
    "sqlite": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}
# Each parallel test process (pytest-xdist: gw0, gw1…) gets its own Redis database, since
# tests clear the cache (FLUSHDB) between them. ``TEST_SLOT`` (0–7) lets several checkouts run
# their suites side by side on one machine: each slot takes two other Redis databases and its
# own Celery queues (give each checkout its own ``DATABASE_URL`` name too).
_XDIST_INDEX = int(env.str("PYTEST_XDIST_WORKER", default="gw0").removeprefix("gw") or 0)
_TEST_SLOT = env.int("TEST_SLOT", default=0)
REDIS_URL = env.str("REDIS_URL", default=f"redis://127.0.0.1:6379/{15 - (_TEST_SLOT * 2 + _XDIST_INDEX % 2) % 16}")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = REDIS_URL
# Tasks run inline in tests, after the commit that queues them; the worker tests start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Uploaded files too: each parallel test process and slot has its own folder (two processes saving
# « camille.jpg » in one folder saw each other's file come and go).
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / f"{_TEST_SLOT}-{env.str('PYTEST_XDIST_WORKER', default='main')}"  # noqa: F405
SITE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "reset_password": "20/m/ip,5/m/key"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A real worker started by a test (tests/helpers.py) runs tasks for real, through Redis.
if env.str("CELERY_WORKER_MODE", default="") == "real":
    CELERY_TASK_ALWAYS_EAGER = False
# Parallel test processes (pytest-xdist) each have their own database: each gets its own queue
# too, so that a real worker started by one never runs the tasks of another.
CELERY_TASK_DEFAULT_QUEUE = env.str(
    "CELERY_TASK_DEFAULT_QUEUE", default=f"tests-{_TEST_SLOT}-" + env.str("PYTEST_XDIST_WORKER", default="main")
)
