"""One way to cut a list into pages: no page renders a whole table.

page, querystring = paginate(request, queryset, per_page=50)
# template: {% include "includes/_pagination.html" %} with ``page`` and ``querystring``
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def querystring_without_page(request) -> str:
    """The request's filters, to carry into the links of the other pages."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def paginate(request, queryset, *, per_page: int) -> tuple[Page, str]:
    """The requested page (the last one if past the end, the first if not a number)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page")), querystring_without_page(request)
