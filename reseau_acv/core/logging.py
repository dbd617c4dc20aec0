"""Structured logs: one JSON line per event, each carrying the id of the request it belongs to.

Caddy gives every request an ``X-Request-ID`` (a UUID); without one, the platform makes its
own. The id is answered in the response's ``X-Request-ID`` header, so a member's report
(« the page failed at 10:42 ») leads to the lines of that request.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

from django.http import HttpRequest

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access_logger = logging.getLogger("reseau_acv.requests")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RequestIdMiddleware:
    """Takes the proxy's request id (or makes one), answers it, and logs one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if VALID_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            access_logger.log(
                logging.DEBUG if request.path == "/healthz/" else logging.INFO,  # probes every 15 s
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)
