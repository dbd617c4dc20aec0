"""Middleware of the platform: hostile input refused before any view sees it."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.template.response import TemplateResponse


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for params in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
        for key, values in params.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False


class RefuseNulBytesMiddleware:
    """A NUL byte in the path, the query string or a form field answers 400.

    No text the platform stores or searches may contain one (PostgreSQL refuses it), and no
    honest browser sends one: refusing it here keeps every view, form and search safe at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if _has_nul(request):
            response = TemplateResponse(request, "400.html", status=400)
            return response.render()
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A page (not a blank screen) when a browser opens an address that only takes a form.

    ``require_POST`` answers 405 with an empty body; a member who reloads or shares such an
    address would see nothing. The status and its ``Allow`` header stay; only the body is added.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if response.status_code == 405 and request.method == "GET" and not getattr(response, "content", b"x"):
            page = TemplateResponse(request, "405.html", status=405).render()
            page["Allow"] = response.get("Allow", "")
            return page
        return response


class HealthCheckMiddleware:
    """``/healthz/`` answered first, before the HTTPS redirect and the allowed-hosts check.

    The container's probe asks ``http://127.0.0.1:8000/healthz/``: neither its scheme nor its
    host are the public ones. The answer is 200 when every check passes, 503 with the failed
    ones otherwise; it is never cached. ``?checks=database,cache`` runs only those.
    """

    PATH = "/healthz/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path != self.PATH:
            return self.get_response(request)
        from .health import CHECKS, as_json, run_checks

        only = [name for name in request.GET.get("checks", "").split(",") if name]
        if set(only) - set(CHECKS):
            return JsonResponse({"status": "erreur", "inconnues": sorted(set(only) - set(CHECKS))}, status=400)
        body = as_json(run_checks(only or None))
        response = JsonResponse(
            body, status=200 if body["status"] == "ok" else 503, json_dumps_params={"ensure_ascii": False}
        )
        response["Cache-Control"] = "no-store"
        return response
