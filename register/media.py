"""Uploaded files, served by the application so that each one follows its
record's visibility: a published record's photos and documents, a published
source's file and the office's emblem, to everyone; an unpublished one's only to signed-in officials
(others get the same 404 as for a file that does not exist).

No response is ever ``public``: a shared cache (nginx, a proxy) would keep
serving a file after it was unpublished. Every file is ``private, no-cache``
with an ETag and a Last-Modified date, so a browser revalidates each time and
gets a cheap 304 while the file is unchanged and still visible to it, and a 404
as soon as it is not.

A file is found by the name stored in the database, never by joining the URL
to a folder, so ``../../settings.py`` can only ever be "no such file". Files
are sent with ``nosniff`` and a CSP that runs nothing; PDFs are downloaded as
attachments rather than rendered in the site's origin."""

import hashlib
import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from agreements.models import Agreement
from delegations.models import Delegation, DelegationPhoto
from offices.models import OfficeProfile
from sources.models import Source


def _readable(model, user, condition):
    """Whether a row of ``model`` meeting ``condition`` is one ``user`` may read: their
    province's (internal ones included for its officials), or any province's published
    one. A file's URL carries no province prefix (offices/site_scope.py), and a
    published record's file is public wherever its page is read: an official of one
    province reading another's page sees its photos as a visitor does."""
    return (
        model.objects.visible_to(user).filter(condition).exists()
        or model.objects.published().filter(condition).exists()
    )


def _photo(user, name):
    photo = DelegationPhoto.objects.filter(image=name).first() or DelegationPhoto.objects.filter(thumbnail=name).first()
    return photo is not None and _readable(Delegation, user, Q(pk=photo.delegation_id))


def _agreement_document(user, name):
    return _readable(Agreement, user, Q(document=name))


def _office_emblem(user, name):
    # The office's emblem is in every page's header: everyone sees it.
    return OfficeProfile.objects.filter(emblem=name).exists()


def _source_file(user, name):
    # A source's file is seen where its source is: once the source is published.
    return _readable(Source, user, Q(file=name))


# Upload folder -> who may see a file in it (see each model's upload_to).
OWNERS = {
    "photos": _photo,
    "agreements": _agreement_document,
    "sources": _source_file,
    "office": _office_emblem,
}


def register_owner(folder, may_see):
    """Serve the files of ``folder`` to whom ``may_see(user, name)`` says: an app above the
    register adds its own folder from its ``ready()`` (reports: the issued reports' files)."""
    OWNERS[folder] = may_see


ATTACHMENT_TYPES = {"application/pdf"}
# Never in a shared cache, and revalidated at every use: unpublishing takes effect at once.
CACHE_CONTROL = "private, no-cache"


@require_GET
def serve(request, path):
    name = posixpath.normpath(path)
    if name != path or name.startswith(("/", "..")) or "\\" in name or "\0" in name:
        raise Http404
    may_see = OWNERS.get(name.split("/", 1)[0])
    if may_see is None or not may_see(request.user, name):
        raise Http404
    try:
        modified = default_storage.get_modified_time(name)
        size = default_storage.size(name)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise Http404 from None
    # Stored names are never reused (common/storage.py), so name, size and time identify the bytes.
    digest = hashlib.sha256(f"{name}:{size}:{modified.timestamp()}".encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    last_modified = modified.timestamp()
    unchanged = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    if unchanged is not None:
        unchanged["Cache-Control"] = CACHE_CONTROL
        return unchanged
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
    response["Cache-Control"] = CACHE_CONTROL
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response
