"""One way to cut a list into pages: no page renders a whole table.

page, querystring = paginate(request, queryset, per_page=50)
# template: {% include "includes/_pagination.html" %} with ``page`` and ``querystring``
"""

from __future__ import annotations

import inspect
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.inspect import method_has_no_args

# Past this many rows a list says « plus de 1 000 » rather than counting them all: counting the
# 30,000 resources a partner may see walks the table (the visibility rule has an OR the index cannot
# serve), while counting up to 1,001 stops at the 1,001st row of the page's own index order.
COUNT_CAP = 1000


def querystring_without_page(request) -> str:
    """The request's filters, to carry into the links of the other pages."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def paginate(request, queryset, *, per_page: int) -> tuple[Page, str]:
    """The requested page (the last one if past the end, the first if not a number)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page")), querystring_without_page(request)


class CappedPaginator(Paginator):
    """A paginator that counts at most ``COUNT_CAP`` + 1 rows: ``count`` stops at ``cap`` and
    ``capped`` says there are more (the pages go up to the cap; filters and search narrow the list)."""

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _bounded_count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # Only the keys, in the list's order: no annotation is computed for rows never shown.
            return self.object_list.values("pk")[: self.cap + 1].count()
        counted = getattr(self.object_list, "count", None)
        if callable(counted) and not inspect.isbuiltin(counted) and method_has_no_args(counted):
            return min(counted(), self.cap + 1)  # a sequence that knows its length (a search's ranked ids)
        return len(self.object_list[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    def page(self, number):
        """The page's keys found first, in the list's order, from the index alone where one serves it
        (the rows a filter refuses are skipped without being read), then only those rows are read,
        with their annotations, in the same query."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if isinstance(self.object_list, QuerySet) and not _names_its_table(self.object_list.query.where):
            rows = self.object_list.filter(pk__in=self.object_list.values("pk")[bottom:top])
        else:
            rows = self.object_list[bottom:top]
        return self._get_page(rows, number, self)

    @property
    def capped(self) -> bool:
        return self._bounded_count > self.cap


def _names_its_table(node) -> bool:
    """Whether a filter holds raw SQL (which names the table itself: in a subquery, where the table
    has an alias, it would name the outer query's rows)."""
    if isinstance(node, RawSQL):
        return True
    return any(
        _names_its_table(child)
        for child in getattr(node, "children", None) or getattr(node, "get_source_expressions", list)()
    )
