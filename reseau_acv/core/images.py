"""Images accepted anywhere on the platform are refused beyond ``settings.IMAGE_MAX_PIXELS``.

A small file can declare a huge picture (a 30,000 × 30,000 PNG of a few kilobytes): decoding it
would take gigabytes of memory. Only the header is read here, so checking costs nothing.
"""

from __future__ import annotations

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError


def _too_large(pixels: int | None) -> ValidationError:
    limit = settings.IMAGE_MAX_PIXELS // 1_000_000
    if pixels is None:
        message = _("Cette image est trop grande : la limite est de %(max)s millions de pixels.") % {"max": limit}
    else:
        message = _(
            "Cette image compte %(pixels)s millions de pixels : la limite est de %(max)s millions. "
            "Réduisez-la avant de la déposer."
        ) % {"pixels": pixels // 1_000_000, "max": limit}
    return ValidationError(message, code="image_trop_grande")


def image_check_pixels(uploaded) -> None:
    """Raise ``ValidationError`` (French) if the image declares more pixels than allowed.

    Files Pillow cannot read are left to the caller's own checks.
    """
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                width, height = image.size
    except Image.DecompressionBombError as exc:
        raise _too_large(None) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return
    finally:
        uploaded.seek(0)
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise _too_large(width * height)
