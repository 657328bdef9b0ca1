"""The province a page of the site shows (docs/PROVINCES.md, steps 3 and 4).

Visitors choose a province by the URL prefix ``/p/<code>/`` (``/p/04/doan/``).
``ProvinceMiddleware`` takes the prefix off the path before the URLs are read
and adds it to the script prefix, so every link a page makes (``reverse``,
``{% url %}``) stays in that province's space; the code, checked against the
offices of the database, is kept for the request in ``SHOWN``.

What a page's rows are (``province_view``), by the one choke point every
site queryset passes (register/publishable.py ``PublishableQuerySet.visible_to``,
``counted_for``, ``published``):

- with one office in the database every row is its own: nothing narrows, no
  query is added (an install of one province behaves as it always has);
- with several, the rows of the province the prefix names; without a prefix,
  a province's signed-in user's own province, a national user's every
  province, and a visitor's every province's published rows;
- internal rows (approved, not public; drafts in an official's report "in
  review") only for a signed-in user of that province or a national user: an
  official of one province reading another's pages sees what a visitor sees."""

import contextvars

from django.http import Http404
from django.urls import get_script_prefix, set_script_prefix

from offices import provinces
from offices.profile import current_profile, only_office, profile_for
from offices.scope import has_province, is_national, records_of, writing_province
from register.publishable import signed_in

# The province code of the URL prefix of the request being answered, or None.
SHOWN = contextvars.ContextVar("shown_province", default=None)
PREFIX = "/p/"


def shown_province(user):
    """(the province code a page shows ``user``, or None for every province; whether the
    user may see its internal rows). No query with one office in the database; the
    tallies' readers narrow their sums with it as ``province_view`` narrows rows."""
    internal = signed_in(user)
    if only_office() is not None:
        return None, internal
    shown = SHOWN.get()
    national = internal and is_national(user)
    own = writing_province(user) if internal and not national else None
    if shown is None and not national:
        shown = own
    return shown, internal and (national or (own is not None and own == shown))


def reads_every_province(user):
    """Whether the rows shown to ``user`` come from every province at once: a visitor or a
    national user at the site's root of a database of several offices (its lists and exports
    then name each record's province). No query with one office."""
    return only_office() is None and shown_province(user)[0] is None


def site_root(request):
    """The site's own root, before any province's prefix: "/" (or the WSGI SCRIPT_NAME's)."""
    return request.META.get("SCRIPT_NAME", "").rstrip("/") + "/"


def shown_profile(user=None):
    """The office whose pages and documents these are: the shown province's
    (``shown_province``), else the install's only office, else neutral names
    (a national user's view of every province, a visitor's without a prefix)."""
    code, _internal = shown_province(user)
    profile = profile_for(code) if code is not None else None
    return profile or current_profile()


def province_view(queryset, user):
    """(``queryset`` narrowed to the province shown to ``user``, whether its internal rows may be shown)."""
    shown, internal = shown_province(user)
    model = queryset.model
    if has_province(model):
        if shown is not None:
            queryset = queryset.filter(province=shown)
    elif hasattr(model, "created_in_id") and signed_in(user) and only_office() is None:
        # A partner entered by another province is its own until approved (records_of; a national user's all).
        queryset = records_of(queryset, user)
    return queryset, internal


class ProvinceMiddleware:
    """Reads ``/p/<code>/`` off the path (see the module's docstring); an unknown code is a 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(PREFIX):
            return self.get_response(request)
        code, _slash, rest = path[len(PREFIX) :].partition("/")
        if provinces.province(code) is None or profile_for(code) is None:
            raise Http404("No office of that province in this register.")
        request.path_info = "/" + rest
        before = get_script_prefix()
        token = SHOWN.set(code)
        set_script_prefix(f"{before.rstrip('/')}{PREFIX}{code}/")
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(before)
            SHOWN.reset(token)
