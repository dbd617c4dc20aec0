"""Logs and error reports: JSON lines with a request id; Sentry when SENTRY_DSN is set; ADMINS."""

from __future__ import annotations

import gzip
import io
import json
import logging
import logging.config
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.core.test_settings import PRODUCTION_ENV, _manage


@pytest.fixture
def json_log():
    """The platform's JSON formatter and request-id filter, writing to a buffer."""
    buffer = io.StringIO()
    config = django_settings.LOGGING
    handler = logging.StreamHandler(buffer)
    formatter_config = dict(config["formatters"]["json"])
    factory = formatter_config.pop("()")
    module, _, name = factory.rpartition(".")
    formatter_class = getattr(__import__(module, fromlist=[name]), name)
    handler.setFormatter(formatter_class(fmt=formatter_config.pop("format"), **formatter_config))
    handler.addFilter(logging.Filter())
    from reseau_acv.core.logging import RequestIdFilter

    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("reseau_acv.requests")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield buffer
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_the_proxy_request_id(json_log):
    """The id Caddy sends comes back in the response and in the request's JSON log line."""
    response = Client().get("/villes/", HTTP_X_REQUEST_ID="0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    assert response["X-Request-ID"] == "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    [line] = [json.loads(raw) for raw in json_log.getvalue().splitlines()]
    assert line["request_id"] == "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    assert (line["method"], line["path"], line["status"], line["level"]) == ("GET", "/villes/", 200, "INFO")
    assert line["duration_ms"] >= 0


@pytest.mark.django_db
def test_a_request_without_an_id_or_with_a_forged_one_gets_a_fresh_id(json_log):
    """No header, or a header carrying something else than an id: the platform makes its own."""
    first = Client().get("/villes/")["X-Request-ID"]
    second = Client().get("/villes/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert len(first) == 32
    assert second not in {first, "<script>"}


def test_production_logs_json_and_reads_admins():
    """Production settings write JSON logs and take ADMINS from DJANGO_ADMINS."""
    command = (
        "from django.conf import settings; import json; "
        "print(json.dumps([settings.LOGGING['handlers']['console']['formatter'], settings.ADMINS]))"
    )
    env = {**PRODUCTION_ENV, "DJANGO_ADMINS": "Équipe technique <technique@example.org>"}
    result = _manage("shell", "-v", "0", "-c", command, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["json", [["Équipe technique", "technique@example.org"]]]


class _Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 (http.server's hook name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        _Collector.received.append(self.path.encode() + b" " + body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        return


def test_an_error_reaches_sentry_when_a_dsn_is_set():
    """With SENTRY_DSN set, an exception raised in the platform is sent to that Sentry (a local collector)."""
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Collector.received = []
    dsn = f"http://clepublique@127.0.0.1:{server.server_port}/42"
    command = (
        "import sentry_sdk\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    sentry_sdk.capture_exception()\n"
        "sentry_sdk.flush(timeout=10)\n"
    )
    try:
        result = _manage("shell", "-v", "0", "-c", command, env={**PRODUCTION_ENV, "SENTRY_DSN": dsn})
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert any(b"/api/42/envelope/" in item and b"ZeroDivisionError" in item for item in _Collector.received)
