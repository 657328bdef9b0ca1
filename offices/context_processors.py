"""``office`` in every template: the profile's names for the header, the
footer and the page titles. Read from the cache (offices/profile.py): no query
once the process has read it."""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from offices.profile import all_offices, only_office
from offices.scope import is_national, writing_province
from offices.site_scope import reads_every_province, shown_profile, shown_province, site_root


def office(request):
    # Lazy: a template that never names the office (a JSON or XML response) does not read it.
    # The province the page shows (its /p/<code>/ prefix, the user's), else the only office's.
    return {"office": SimpleLazyObject(lambda: shown_profile(getattr(request, "user", None)))}


def province_links(request):
    """The header's province chooser on a database of several offices: (name, URL,
    whether shown) of each office's space (``/p/<code>/``) and of every province's
    (the site's root), and whether the page reads every province. Empty with one office:
    no query, no chooser."""
    if only_office() is not None:
        return {"province_links": [], "every_province": False}

    def links():
        root = site_root(request)
        user = getattr(request, "user", None)
        shown, _internal = shown_province(user)
        # The site's root shows a province's own users their province, not every province's.
        own = writing_province(user) if user is not None and user.is_authenticated and not is_national(user) else None
        every = [] if own is not None else [(_("Every province"), root, shown is None)]
        offices = [(p.province_name, f"{root}p/{p.province_code}/", p.province_code == shown) for p in all_offices()]
        return offices + every

    # The page reads every province at once (a visitor or a national user at the root): its lists
    # name each record's province.
    reads_every = SimpleLazyObject(lambda: reads_every_province(getattr(request, "user", None)))
    return {"province_links": links(), "every_province": reads_every}
