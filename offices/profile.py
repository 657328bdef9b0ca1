"""The office profile as every page, document and export reads it: from
Django's cache, so a page costs no query for it.

Why a cache and not a query per page: the header, the footer and the admin's
title show the profile on every page, and the pages' query counts are pinned
(tests: a list page of a visitor runs 6 queries). The profile changes a few
times in the life of an install, so it is read once and kept
``OFFICE_PROFILE_CACHE_SECONDS`` (60 s by default): one query per process per
minute at most. Saving or deleting the profile drops the cached copy at once
(and again when the transaction commits), so the process that saved it shows
the new names on its next page; another gunicorn process shows them within the
timeout, or at once when CACHES names a cache shared by the processes
(Memcached, Redis), since every process then reads the same key.

A database holds one profile per province. ``current_profile()`` is the
office of an install with one: the only profile (with several, the neutral
one, as no office speaks for all of them). ``profile_for(code)`` is the
office of one province, cached the same way under a key of its own.

With no profile in the database (a fresh install, before ``start_province``
or the admin's profile screen), pages show neutral names ("Sở Ngoại vụ",
"Cơ sở dữ liệu đối ngoại") and documents the values of the REPORT_* and
IATI_REPORTING_ORG_* settings, dotted lines where those are unset: an unknown
name stays unknown."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from offices import provinces
from offices.models import OfficeProfile

CACHE_KEY = "offices:profile:1"
# One province's profile: profile_for(code).
CODE_KEY = "offices:profile:code:{}"
# Cached when the database holds no profile, so a fresh install does not query for it on every page.
NO_PROFILE = "no-profile"
# What a document's heading writes where the name is not known, as on a blank form.
UNKNOWN = "……………"
# The IATI identifier of a database without a profile: a placeholder of the right form
# ("VN-COA-" and a code) until the office enters its own; IATI_REPORTING_ORG_REF replaces it.
PLACEHOLDER_REF = "VN-COA-SNGV"

logger = logging.getLogger(__name__)


def neutral_profile():
    """An unsaved profile of neutral names and the settings' values: what a
    database without a profile shows. Never cached itself (its names follow the
    reader's language)."""
    issuer = list(settings.REPORT_ISSUER)
    return OfficeProfile(
        office_name=_("Department of Foreign Affairs"),
        superior_body="\n".join(issuer[:-1]) or UNKNOWN,
        heading_name=issuer[-1] if issuer else UNKNOWN,
        place=settings.REPORT_PLACE or UNKNOWN,
        report_symbol=f"BC-{settings.REPORT_SYMBOL}",
        signer_title=settings.REPORT_SIGNER_TITLE,
        iati_org_name=settings.IATI_REPORTING_ORG["name"] or _("Department of Foreign Affairs"),
        iati_org_ref=settings.IATI_REPORTING_ORG["ref"] or PLACEHOLDER_REF,
        iati_org_type=settings.IATI_REPORTING_ORG["type"],
        site_title=_("Foreign-affairs register"),
    )


def only_office():
    """The database's one office profile, or None when it holds none or several.
    One query when the cache is cold, none while it holds the answer."""
    cached = cache.get(CACHE_KEY)
    if cached is None:
        offices = list(OfficeProfile.objects.all()[:2])
        cached = offices[0] if len(offices) == 1 else NO_PROFILE
        cache.set(CACHE_KEY, cached, settings.OFFICE_PROFILE_CACHE_SECONDS)
        if len(offices) == 1:  # read once for both: profile_for(its code) needs no query of its own
            cache.set(CODE_KEY.format(cached.province_code), cached, settings.OFFICE_PROFILE_CACHE_SECONDS)
    return cached if isinstance(cached, OfficeProfile) else None


def current_profile():
    """The office's profile on an install with one office (or ``neutral_profile()``
    when there is none, or several)."""
    return only_office() or neutral_profile()


def profile_for(code):
    """The profile of the province of ``code`` ("04"), or None when it has no office
    in this database. Cached per code, as ``current_profile()`` is."""
    key = CODE_KEY.format(code)
    cached = cache.get(key)
    if cached is None:
        cached = OfficeProfile.objects.filter(province_code=code).first() or NO_PROFILE
        cache.set(key, cached, settings.OFFICE_PROFILE_CACHE_SECONDS)
    return cached if isinstance(cached, OfficeProfile) else None


# Every office of the database, in code order: the site's province chooser.
ALL_KEY = "offices:profile:all"


def all_offices():
    """Every office profile of the database, cached as ``current_profile()`` is."""
    cached = cache.get(ALL_KEY)
    if cached is None:
        cached = list(OfficeProfile.objects.order_by("province_code"))
        cache.set(ALL_KEY, cached, settings.OFFICE_PROFILE_CACHE_SECONDS)
    return cached


def cached_profile():
    """The profile if the cache holds it, else the neutral one: never a query,
    for the error pages, which must render with the database down."""
    try:
        cached = cache.get(CACHE_KEY)
    except Exception:  # a shared cache that is down too: the error page still renders
        logger.warning("The cache could not be read for the error page's office names.", exc_info=True)
        cached = None
    return cached if isinstance(cached, OfficeProfile) else neutral_profile()


def _all_keys():
    # Every province's key (34), not only the saved profile's: its code may have changed.
    return [CACHE_KEY, ALL_KEY, *(CODE_KEY.format(code) for code in provinces.provinces())]


def forget_profile(**kwargs):
    """post_save / post_delete of OfficeProfile: the next read takes the saved
    row. Dropped now for this transaction's own reads, and again at commit, in
    case a page of another thread cached the old row in between."""
    keys = _all_keys()
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys), using=kwargs.get("using"))


def remember_profile(profile, timeout=None):
    """Put ``profile`` (None: "no profile") in the cache, as a read would have.
    The tests start each test with a database without a profile this way."""
    cache.delete_many(_all_keys())
    cache.set(CACHE_KEY, profile or NO_PROFILE, timeout)
    if profile is not None:
        cache.set(CODE_KEY.format(profile.province_code), profile, timeout)
