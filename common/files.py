"""Validators for uploaded photos and documents.

A photo is accepted only if Pillow identifies it as JPEG, PNG or WebP, its
header announces at most 40 megapixels (checked before any pixel is decoded,
so a decompression bomb of a few KB is refused without inflating it), it
decodes completely, and the file is at most 10 MB. A PNG must end at its
IEND chunk (no HTML or script tail); a JPEG's bytes after its end marker are
not checked, since phones append their own data there.
"""

import os
import struct

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


def _png_has_tail(f):
    """True when bytes follow the PNG's IEND chunk. Pillow ignores them, but a
    browser that sniffs content could read an HTML tail as a page."""
    f.seek(8)  # the signature
    while True:
        header = f.read(8)
        if len(header) < 8:
            return False  # truncated: the full decode reports it
        length, chunk_type = struct.unpack(">I4s", header)
        f.seek(length + 4, os.SEEK_CUR)  # the data and its CRC
        if chunk_type == b"IEND":
            return f.read(1) != b""


def inspect_photo(f):
    """Validate the upload and return Pillow's format name ("JPEG", "PNG", "WEBP").

    Only the JPEG, PNG and WebP parsers are tried, so a file never reaches
    Pillow's other, less used decoders. The size in the header is checked
    before any pixel is decoded. Pillow's own decompression-bomb warning needs
    no special handling: it starts above 89 megapixels, which our check refuses
    anyway; its error, above twice that, is caught below.
    """
    size = getattr(f, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is larger than 10 MB."), code="photo_too_large")
    _rewind(f)
    try:
        with Image.open(f, formats=list(PHOTO_FORMATS)) as img:
            # A camera's multi-picture JPEG (MPO) is a JPEG whose first frame is the photo.
            fmt = "JPEG" if img.format == "MPO" else img.format
            if fmt not in PHOTO_FORMATS:
                raise ValidationError(_("Only JPEG, PNG or WebP photos are accepted."), code="photo_format")
            width, height = img.size
            if width * height > MAX_PHOTO_PIXELS:
                raise ValidationError(
                    _("The photo has more than 40 megapixels (%(w)s×%(h)s)."),
                    code="photo_too_many_pixels",
                    params={"w": width, "h": height},
                )
            img.verify()
        if fmt == "PNG" and _png_has_tail(f):
            raise ValidationError(_("The image file has extra data after its end."), code="photo_trailing_data")
        _rewind(f)
        with Image.open(f, formats=list(PHOTO_FORMATS)) as img:
            img.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The photo has more than 40 megapixels."), code="photo_too_many_pixels") from None
    except UnidentifiedImageError:
        raise ValidationError(
            _("The file is not a JPEG, PNG or WebP image that can be opened."), code="photo_invalid"
        ) from None
    except (OSError, SyntaxError, ValueError, struct.error):
        raise ValidationError(_("The image file is damaged or incomplete."), code="photo_damaged") from None
    finally:
        _rewind(f)
    return fmt


def validate_photo(f):
    inspect_photo(f)


def validate_pdf(f):
    """A PDF starts with ``%PDF-``; a renamed file of another kind is refused.
    A file already stored was checked when it came in (or is the spreadsheet an
    office import keeps as its Source): saving its record again leaves it be."""
    if getattr(f, "_committed", False) and getattr(f, "name", ""):
        return
    size = getattr(f, "size", None)
    if size is not None and size > MAX_PDF_BYTES:
        raise ValidationError(_("The document is larger than 20 MB."), code="pdf_too_large")
    _rewind(f)
    head = f.read(5)
    _rewind(f)
    if head != b"%PDF-":
        raise ValidationError(_("Only PDF documents are accepted."), code="pdf_invalid")
