"""A local SMTP server that accepts and discards everything, for the benchmarks (``bench_outbox``,
``bench_digest``): ``python -m aiosmtpd`` with its discarding handler, in its own process.

aiosmtpd is a development dependency: the benchmarks run where it is installed, never in production.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time

from django.core.management.base import CommandError


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class SinkServer:
    """``python -m aiosmtpd`` with its discarding handler, in its own process."""

    def __init__(self, port: int):
        self.port = port
        self.process = None

    def start(self) -> None:
        command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [*command, "-c", "aiosmtpd.handlers.Sink"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 15
        while not listening(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise CommandError("Le serveur SMTP local n'a pas démarré (aiosmtpd est-il installé ?).")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def settings(self) -> dict:
        """The e-mail settings that send to this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }
