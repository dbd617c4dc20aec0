"""Helpers shared by the test modules: browser launch, axe, a real Celery worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (bundled by axe-playwright-python) on the page; return the serious and
    critical violations as ``{"id", "impact", "help", "nodes"}`` dicts."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
        if v["impact"] in impacts
    ]


def login(page, live_server_url: str, email: str, password: str = "mot-de-passe-test") -> None:  # noqa: S107 (test password)
    page.goto(f"{live_server_url}/compte/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/compte/login/" not in url)


@contextmanager
def celery_worker(*, queues: str | None = None):
    """Start a real Celery worker process against Redis and the current test database.

    The worker reads the same database as the test (its name is taken from the live
    connection), so the test must use ``transaction=True`` for the worker to see its rows.
    """
    db = connection.settings_dict
    queues = queues or settings.CELERY_TASK_DEFAULT_QUEUE
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "reseau_acv.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_WORKER_MODE": "real",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "reseau_acv",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queues,
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until(predicate, *, timeout: float = 30.0, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


@contextmanager
def real_broker(broker_url: str | None = None):
    """In this test process, send tasks through a broker instead of running them inline.

    With ``broker_url`` (e.g. an address where nothing listens) the broker is replaced, to
    simulate a broker that is down.
    """
    from reseau_acv.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    if broker_url is not None:
        app.conf.broker_url = broker_url
    app._pool = None  # forget connections made to the previous broker
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
        app._pool = None


class SmtpSink:
    """A real local SMTP server (aiosmtpd) that keeps what it receives.

    ``drop_after_data`` makes it store the next N messages and then cut the connection before
    answering, as a server that crashed after writing the message to disk.
    """

    def __init__(self, port: int = 0):
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per SMTP command otherwise
        self.messages: list = []
        self.drop_after_data = 0
        self.controller = Controller(self, hostname="127.0.0.1", port=port or _free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        from email import message_from_bytes

        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        if self.drop_after_data:
            self.drop_after_data -= 1
            server.transport.abort()
            return "451 connexion perdue"
        return "250 OK"

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_sink(settings, port: int = 0):
    """Start a local SMTP server and point Django's SMTP backend at it."""
    sink = SmtpSink(port).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", sink.port, False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield sink
    finally:
        sink.stop()
