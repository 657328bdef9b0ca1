"""Stored file names are generated: what the uploader called the file never
becomes a path on disk (``../../settings.py`` included)."""

import os
import uuid

from django.utils import timezone

_SAFE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".pdf"}


def generated_upload_path(folder, filename, extension=None):
    """``folder/2024/04/<uuid>.<ext>``; the extension is kept only if it is one we serve."""
    ext = (extension or os.path.splitext(filename or "")[1]).lower()
    if ext not in _SAFE_EXTENSIONS:
        ext = ""
    today = timezone.localdate()
    return f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}{ext}"
