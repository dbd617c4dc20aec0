"""The one way the platform writes a CSV export: safe for spreadsheets, readable in French.

Every export goes through :func:`csv_response`. A cell that a member typed and that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula by a
spreadsheet program (« CSV injection »): it is written with a leading apostrophe, which
spreadsheets show as text. Numbers stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> object:
    """The value as it may safely go into a cell."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(filename: str, rows: Iterable[Iterable]) -> HttpResponse:
    """A downloadable CSV (UTF-8 with BOM, semicolons: what French spreadsheets open as is)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return response
