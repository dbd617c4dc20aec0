"""Reading CSV files that people give the platform: reference data, press sources, invitations.

Every import checks every row before it writes anything. :func:`csv_read` does the checks
that do not depend on what the rows mean — the encoding, an empty file, the header, rows with
too few or too many fields, duplicated rows — and returns the rows with their line numbers
(as a spreadsheet shows them: the header is line 1). The caller adds its own problems with
:meth:`CsvTable.error`, then calls :meth:`CsvTable.raise_if_problems`: problems are reported
together, each as « fichier, ligne N : raison ».

Commands print :func:`import_failure_message`, so that every import speaks the same way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DELIMITERS = (",", ";", "\t")
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1"}


@dataclass(frozen=True)
class CsvProblem:
    """One reason an import cannot go ahead; ``line`` is None for the file as a whole."""

    filename: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.filename} : {self.reason}"
        return _("%(file)s, ligne %(line)s : %(reason)s") % {
            "file": self.filename,
            "line": self.line,
            "reason": self.reason,
        }


class CsvImportError(Exception):
    """Nothing was imported; ``problems`` says every reason, with file and line."""

    def __init__(self, problems: Iterable[CsvProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class CsvTable:
    filename: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    encoding: str = "UTF-8"
    problems: list[CsvProblem] = field(default_factory=list)

    def error(self, line: int | None, reason: str) -> None:
        self.problems.append(CsvProblem(self.filename, line, reason))

    def raise_if_problems(self) -> None:
        """Every problem found, in the file's line order (the file's own ones first)."""
        if self.problems:
            raise CsvImportError(sorted(self.problems, key=lambda problem: problem.line or 0))


def import_failure_message(error: CsvImportError, *, limit: int = 50) -> str:
    """The text a command prints when an import is refused: a count, then one problem a line."""
    count = len(error.problems)
    lines = [
        ngettext(
            "Import annulé, rien n'a été importé : %(count)s erreur.",
            "Import annulé, rien n'a été importé : %(count)s erreurs.",
            count,
        )
        % {"count": count}
    ]
    lines += [f"  {problem}" for problem in error.problems[:limit]]
    if count > limit:
        lines.append(_("  … et %(n)s autres.") % {"n": count - limit})
    return "\n".join(lines)


def _decode(data: bytes, filename: str, encodings: Sequence[str]) -> tuple[str, str]:
    first_error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding), ENCODING_NAMES.get(encoding, encoding)
        except UnicodeDecodeError as error:
            first_error = first_error or error
    assert first_error is not None  # noqa: S101 (encodings is never empty)
    line = data[: first_error.start].count(b"\n") + 1
    byte = data[first_error.start]
    raise CsvImportError(
        [
            CsvProblem(
                filename,
                line,
                _(
                    "le fichier n'est pas encodé en UTF-8 (octet 0x%(byte)02X, sans doute du Latin-1 ou du "
                    "Windows-1252) ; enregistrez-le au format « CSV UTF-8 » et recommencez"
                )
                % {"byte": byte},
            )
        ]
    )


def _delimiter(header_line: str) -> str:
    return max(DELIMITERS, key=header_line.count)


def csv_read(
    source: Path | str | bytes | BinaryIO,
    *,
    filename: str | None = None,
    required: Sequence[str] = (),
    unique_by: Sequence[str] = (),
    encodings: Sequence[str] = ("utf-8-sig",),
) -> CsvTable:
    """Read a CSV file and check its shape; raise :class:`CsvImportError` if it cannot be read.

    ``source`` is a path, the file's bytes or a binary file. The delimiter (comma, semicolon or
    tab) is the one the header uses. Header names are compared without case or surrounding
    spaces and returned lower-cased; values are stripped. Blank lines are ignored. Problems of
    individual rows (too few or too many fields, a row repeated, a repeated ``unique_by`` key)
    are recorded on the table, not raised: the caller checks its own columns too, then calls
    :meth:`CsvTable.raise_if_problems`.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        filename = filename or path.name
        data = path.read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    filename = filename or "fichier"
    text, encoding = _decode(data, filename, encodings)
    if not text.strip():
        raise CsvImportError([CsvProblem(filename, None, _("le fichier est vide"))])
    if "\x00" in text:
        raise CsvImportError(
            [CsvProblem(filename, None, _("le fichier contient des octets nuls : ce n'est pas un CSV"))]
        )

    first_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True)
    table = CsvTable(filename=filename, columns=[], rows=[], encoding=encoding)
    seen_rows: dict[tuple[str, ...], int] = {}
    seen_keys: dict[tuple[str, ...], int] = {}
    end_of_previous = 0
    header_line = 1
    try:
        for record in reader:
            line = end_of_previous + 1
            end_of_previous = reader.line_num
            if not any(value.strip() for value in record):
                continue
            values = [value.strip() for value in record]
            if not table.columns:
                table.columns = [value.lower() for value in values]
                header_line = line
                missing = [name for name in required if name.lower() not in table.columns]
                if missing:
                    raise CsvImportError(
                        [
                            CsvProblem(
                                filename,
                                line,
                                ngettext(
                                    "colonne manquante dans l'en-tête : %(names)s (en-tête lu : %(header)s)",
                                    "colonnes manquantes dans l'en-tête : %(names)s (en-tête lu : %(header)s)",
                                    len(missing),
                                )
                                % {
                                    "names": ", ".join(f"« {name} »" for name in missing),
                                    "header": ", ".join(values),
                                },
                            )
                        ]
                    )
                continue
            if len(values) != len(table.columns):
                table.error(
                    line,
                    ngettext(
                        "%(found)s champ au lieu des %(expected)s de l'en-tête (séparateur ou guillemet mal placé ?)",
                        "%(found)s champs au lieu des %(expected)s de l'en-tête (séparateur ou guillemet mal placé ?)",
                        len(values),
                    )
                    % {"found": len(values), "expected": len(table.columns)},
                )
                continue
            signature = tuple(value.casefold() for value in values)
            if signature in seen_rows:
                table.error(line, _("ligne identique à la ligne %(line)s") % {"line": seen_rows[signature]})
                continue
            seen_rows[signature] = line
            row = dict(zip(table.columns, values, strict=True))
            if unique_by:
                key = tuple(row.get(name.lower(), "").casefold() for name in unique_by)
                if any(key) and key in seen_keys:
                    shown = " ".join(row.get(name.lower(), "") for name in unique_by)
                    table.error(
                        line,
                        _("%(column)s « %(value)s » déjà présent ligne %(line)s")
                        % {"column": "/".join(unique_by), "value": shown, "line": seen_keys[key]},
                    )
                    continue
                seen_keys[key] = line
            table.rows.append((line, row))
    except csv.Error as error:
        table.error(end_of_previous + 1, _("ligne illisible : %(error)s") % {"error": error})
        raise CsvImportError(table.problems) from None
    if not table.rows and not table.problems:
        raise CsvImportError([CsvProblem(filename, header_line, _("aucune ligne de données après l'en-tête"))])
    return table
