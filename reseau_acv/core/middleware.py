"""Middleware of the platform: hostile input refused before any view sees it."""

from __future__ import annotations

from django.http import HttpRequest
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
