"""Press sources: the reference list of titles and their feeds, imported from a CSV file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from reseau_acv.core.csvimport import csv_read

from ..models import Source

SOURCES_CSV = settings.BASE_DIR / "data" / "reference" / "press_sources_centre_val_de_loire.csv"
COLUMNS = ["name", "url", "rss_url", "departements", "source"]
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])
_DEPARTEMENT = re.compile(r"(0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6])")


@dataclass
class SourcesImportReport:
    created: int = 0
    updated: int = 0

    @property
    def count(self) -> int:
        return self.created + self.updated


def _address_problem(value: str, label: str, max_length: int) -> str | None:
    if not value:
        return None
    if len(value) > max_length:
        return _("%(label)s trop longue (%(n)s caractères, %(max)s au plus)") % {
            "label": label,
            "n": len(value),
            "max": max_length,
        }
    try:
        _WEB_ADDRESS(value)
    except ValidationError:
        return _("%(label)s refusée : « %(value)s » n'est pas une adresse http:// ou https://") % {
            "label": label,
            "value": value[:80],
        }
    return None


def sources_import(
    *, source: Path | bytes | BinaryIO = SOURCES_CSV, filename: str | None = None
) -> SourcesImportReport:
    """Create or update the press sources of a CSV file (the reference list by default).

    Every row is checked before anything is written (a name, http(s) addresses only, known
    département codes, no row or feed twice); with one problem, nothing is imported and
    :class:`~reseau_acv.core.csvimport.CsvImportError` lists them all with their line.
    """
    table = csv_read(source, filename=filename, required=COLUMNS, unique_by=["name"])
    feeds: dict[str, int] = {}
    for line, row in table.rows:
        if not row["name"]:
            table.error(line, _("le nom de la source est vide"))
        elif len(row["name"]) > Source._meta.get_field("nom").max_length:
            table.error(line, _("nom trop long (160 caractères au plus)"))
        for column, label, max_length in (("url", _("adresse du site"), 200), ("rss_url", _("adresse du flux"), 500)):
            if problem := _address_problem(row[column], label, max_length):
                table.error(line, problem)
        if row["rss_url"]:
            if row["rss_url"] in feeds:
                table.error(line, _("flux déjà donné ligne %(line)s") % {"line": feeds[row["rss_url"]]})
            feeds.setdefault(row["rss_url"], line)
        codes = [code.strip() for code in row["departements"].split(";") if code.strip()]
        if wrong := [code for code in codes if not _DEPARTEMENT.fullmatch(code)]:
            table.error(
                line,
                _("département inconnu : %(codes)s (codes séparés par « ; », ex. 36;37;41)")
                % {"codes": ", ".join(f"« {code} »" for code in wrong)},
            )
    table.raise_if_problems()
    report = SourcesImportReport()
    with transaction.atomic():
        for _line, row in table.rows:
            _source, created = Source.objects.update_or_create(
                nom=row["name"],
                defaults={
                    "site_web": row["url"],
                    "url_flux": row["rss_url"],
                    "departements": row["departements"],
                    "provenance": row["source"],
                },
            )
            report.created += created
            report.updated += not created
    return report
