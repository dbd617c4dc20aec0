"""Uploads judged by their content (magic bytes), never by their name.

Accepted: PDF, OpenDocument and Office Open XML documents (odt/ods/odp/docx/xlsx/pptx), PNG,
JPEG, WebP and GIF images (within ``settings.IMAGE_MAX_PIXELS``), CSV and plain text, within
``settings.UPLOAD_MAX_BYTES``. Refused:
HTML, SVG, scripts, executables and anything else. A refused file is never stored.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from reseau_acv.core.images import image_check_pixels

HEAD_BYTES = 64 * 1024

DIRECT_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/gif": "gif",
}
TEXT_TYPES = {"text/plain", "text/csv", "application/csv"}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OOXML_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
# Markers of active content that a "plain text" file must not carry.
ACTIVE_MARKERS = (b"<script", b"<html", b"<svg", b"<!doctype", b"<?xml", b"<iframe", b"#!")


@dataclass(frozen=True)
class FichierVerifie:
    type_mime: str
    extension: str
    taille: int


def _refuse() -> ValidationError:
    return ValidationError(
        _(
            "Ce type de fichier n'est pas accepté. Déposez un PDF, un document bureautique "
            "(odt, ods, odp, docx, xlsx, pptx), une image (PNG, JPEG, WebP, GIF), un CSV ou un "
            "texte brut. Les pages HTML, les images SVG, les scripts et les exécutables sont refusés."
        ),
        code="type_refuse",
    )


def _office_type(uploaded) -> tuple[str, str] | None:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in ODF_TYPES:
                    return declared, ODF_TYPES[declared]
                return None
            if "[Content_Types].xml" in names:
                for prefix, found in OOXML_TYPES.items():
                    if any(name.startswith(prefix) for name in names):
                        return found
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    return None


def _is_plain_text(head: bytes) -> bool:
    lowered = head.lower().lstrip()
    if any(marker in lowered for marker in ACTIVE_MARKERS) or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a multi-byte character cut by the head is fine
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def verify_upload(uploaded) -> FichierVerifie:
    """Return the type judged from the content, or raise ``ValidationError`` (French message)."""
    size = uploaded.size
    if size is None or size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("Ce fichier dépasse la taille maximale de %(max)s.") % {"max": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="trop_gros",
        )
    if size == 0:
        raise ValidationError(_("Ce fichier est vide."), code="vide")
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    detected = magic.from_buffer(head, mime=True)
    if detected in DIRECT_TYPES:
        if detected.startswith("image/"):
            image_check_pixels(uploaded)
        return FichierVerifie(detected, DIRECT_TYPES[detected], size)
    if (
        detected in {"application/zip", "application/octet-stream"}
        or detected in ODF_TYPES
        or (detected.startswith("application/vnd.openxmlformats"))
    ):
        office = _office_type(uploaded)
        if office is not None:
            return FichierVerifie(office[0], office[1], size)
        raise _refuse()
    if detected in TEXT_TYPES and _is_plain_text(head):
        name = (getattr(uploaded, "name", "") or "").lower()
        if detected != "text/plain" or name.endswith(".csv"):
            return FichierVerifie("text/csv", "csv", size)
        return FichierVerifie("text/plain", "txt", size)
    raise _refuse()
