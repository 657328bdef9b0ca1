"""Validators for uploaded photos and documents.

A photo is accepted only if Pillow identifies it as JPEG, PNG or WebP, its
header announces at most 40 megapixels (checked before any pixel is decoded,
so a decompression bomb of a few KB is refused without inflating it), it
decodes completely, and the file is at most 10 MB.
"""

import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MAX_PDF_BYTES = 20 * 1024 * 1024


def _rewind(f):
    if hasattr(f, "seek"):
        f.seek(0)


def inspect_photo(f):
    """Validate the upload and return Pillow's format name ("JPEG", "PNG", "WEBP")."""
    size = getattr(f, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is larger than 10 MB."), code="photo_too_large")
    _rewind(f)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it; make every
            # oversized image an error, then apply our stricter limit below.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(f) as img:
                fmt = img.format
                width, height = img.size
                if fmt not in PHOTO_FORMATS:
                    raise ValidationError(
                        _("Only JPEG, PNG or WebP photos are accepted."), code="photo_format"
                    )
                if width * height > MAX_PHOTO_PIXELS:
                    raise ValidationError(
                        _("The photo has more than 40 megapixels (%(w)s×%(h)s)."),
                        code="photo_too_many_pixels",
                        params={"w": width, "h": height},
                    )
                img.verify()
            _rewind(f)
            with Image.open(f) as img:
                img.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The photo has too many pixels (at most 40 megapixels)."), code="photo_too_many_pixels"
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            _("The file is not a JPEG, PNG or WebP image that can be opened."), code="photo_invalid"
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(_("The image file is damaged or incomplete."), code="photo_damaged") from None
    finally:
        _rewind(f)
    return fmt


def validate_photo(f):
    inspect_photo(f)


def validate_pdf(f):
    """A PDF starts with ``%PDF-``; a renamed file of another kind is refused."""
    size = getattr(f, "size", None)
    if size is not None and size > MAX_PDF_BYTES:
        raise ValidationError(_("The document is larger than 20 MB."), code="pdf_too_large")
    _rewind(f)
    head = f.read(5)
    _rewind(f)
    if head != b"%PDF-":
        raise ValidationError(_("Only PDF documents are accepted."), code="pdf_invalid")
