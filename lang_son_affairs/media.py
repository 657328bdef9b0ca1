"""Uploaded files, served by the application so that each one follows its
record's visibility: a published record's photos and documents to everyone,
an unpublished record's only to signed-in officials (others get the same 404
as for a file that does not exist).

A file is found by the name stored in the database, never by joining the URL
to a folder, so ``../../settings.py`` can only ever be "no such file". Files
are sent with ``nosniff`` and a CSP that runs nothing; PDFs are downloaded as
attachments rather than rendered in the site's origin."""

import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from agreements.models import Agreement
from delegations.models import Delegation, DelegationPhoto
from sources.models import Source


def _photo(user, name):
    photo = DelegationPhoto.objects.filter(image=name).first() or DelegationPhoto.objects.filter(thumbnail=name).first()
    return photo is not None and Delegation.objects.visible_to(user).filter(pk=photo.delegation_id).exists()


def _agreement_document(user, name):
    return Agreement.objects.visible_to(user).filter(document=name).exists()


def _source_file(user, name):
    # Sources (press articles, official reports) are cited on public pages.
    return Source.objects.filter(file=name).exists()


# Upload folder -> who may see a file in it (see each model's upload_to).
OWNERS = {
    "photos": _photo,
    "agreements": _agreement_document,
    "sources": _source_file,
}
ATTACHMENT_TYPES = {"application/pdf"}


@require_GET
def serve(request, path):
    name = posixpath.normpath(path)
    if name != path or name.startswith(("/", "..")) or "\\" in name or "\0" in name:
        raise Http404
    may_see = OWNERS.get(name.split("/", 1)[0])
    if may_see is None or not may_see(request.user, name):
        raise Http404
    try:
        stream = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError):
        raise Http404 from None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        stream,
        content_type=content_type,
        as_attachment=content_type in ATTACHMENT_TYPES,
        filename=posixpath.basename(name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Shared caches may keep only what everyone may see.
    response["Cache-Control"] = "private, max-age=3600" if request.user.is_authenticated else "public, max-age=3600"
    return response
