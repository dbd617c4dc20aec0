"""The PDF of an edition, drawn by WeasyPrint from an HTML template (references only)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string


def _no_fetch(url: str, *args, **kwargs):
    """The PDF needs no outside resource: refuse every fetch (no request leaves the server)."""
    raise ValueError(f"ressource externe refusée : {url[:80]}")


def edition_document(*, edition, sections):
    """The laid-out edition (WeasyPrint document: its ``pages`` can be counted)."""
    from weasyprint import HTML

    context = {"edition": edition, "sections": sections, "SITE_URL": settings.SITE_URL}
    html = render_to_string("panorama/edition_pdf.html", context)
    return HTML(string=html, url_fetcher=_no_fetch).render()


def edition_pdf(*, edition, sections) -> bytes:
    return edition_document(edition=edition, sections=sections).write_pdf()
