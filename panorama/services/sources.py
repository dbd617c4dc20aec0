"""Press sources: the reference list of titles and their feeds."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings

from ..models import Source

SOURCES_CSV = settings.BASE_DIR / "data" / "reference" / "press_sources_centre_val_de_loire.csv"


def sources_import(*, path: Path = SOURCES_CSV) -> int:
    """Create or update the sources listed in the reference CSV; returns how many rows were read."""
    count = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            Source.objects.update_or_create(
                nom=row["name"].strip(),
                defaults={
                    "site_web": row["url"].strip(),
                    "url_flux": row["rss_url"].strip(),
                    "departements": row["departements"].strip(),
                    "provenance": row["source"].strip(),
                },
            )
            count += 1
    return count
