"""The register's own names as a gazetteer: partners (name, English and native names, aliases,
the Sino-Vietnamese reading of a Chinese name) and cooperation mechanisms.

Matching keeps Vietnamese diacritics ("Bằng Tường" is not "Bảng Tường") but not case, spacing or
the old and new placement of a tone mark ("Thị uỷ" = "Thị ủy", "QuảngNinh" = "Quảng Ninh");
administrative words before a name ("thị", "thành phố", "huyện", "châu", "tỉnh", "Khu tự trị dân
tộc Choang") are not part of it.

``gazetteer_for(office)`` loads it in three queries and keeps it for the process. Each call asks
the database for a fingerprint of both tables (one query: row counts, highest ids and the latest
audit-trail entry, which every save and delete writes) and reloads when it changed, so an edit in
another process is seen at the next reading; a reload is forced at least every ``MAX_AGE`` seconds
for writes that bypass the audit trail (a bulk ``update()``).
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field

from django.db import DatabaseError
from django.utils.translation import gettext

from register.office_import.matching import sino_vietnamese

MAX_AGE = 300
ADMIN_PREFIX = re.compile(
    r"^(?:(?:khu\s+tự\s+trị(?:\s+dân\s+tộc\s+\w+)?|thành\s+phố|thị\s+xã|thị\s+trấn|thị|huyện|châu|tỉnh|trấn|xã|"
    r"quận|khu|nước|cộng\s+hòa|vùng|bang|chính\s+quyền\s+nhân\s+dân|chính\s+phủ\s+nhân\s+dân|ủy\s+ban\s+nhân\s+dân|"
    r"ubnd|tổ\s+chức)\s+)+",
    re.IGNORECASE,
)
_TONES = str.maketrans(
    {
        "ỳ": "ỳ",
        "ý": "ý",
        "ỷ": "ỷ",
        "ỹ": "ỹ",
        "ỵ": "ỵ",
    }
)
_OLD_TONES = [
    ("oà", "òa"),
    ("oá", "óa"),
    ("oả", "ỏa"),
    ("oã", "õa"),
    ("oạ", "ọa"),
    ("oè", "òe"),
    ("oé", "óe"),
    ("oẻ", "ỏe"),
    ("oẽ", "õe"),
    ("oẹ", "ọe"),
    ("uỳ", "ùy"),
    ("uý", "úy"),
    ("uỷ", "ủy"),
    ("uỹ", "ũy"),
    ("uỵ", "ụy"),
]


def key(name: str) -> str:
    """The form two names are compared in: diacritics kept, case, spacing and tone placement not."""
    text = unicodedata.normalize("NFC", name or "").casefold().translate(_TONES)
    for old, new in _OLD_TONES:
        text = re.sub(old + r"(?!\w)", new, text)
    text = ADMIN_PREFIX.sub("", text.strip())
    return re.sub(r"[\s\-.'’_]+", "", text)


@dataclass
class Entry:
    id: int
    name: str
    parent_id: int | None
    kind: str
    country: str


@dataclass
class Gazetteer:
    partners: dict[str, list[Entry]] = field(default_factory=dict)
    by_id: dict[int, Entry] = field(default_factory=dict)
    mechanisms: dict[str, int] = field(default_factory=dict)

    def add_partner(self, entry: Entry, names):
        self.by_id[entry.id] = entry
        for name in names:
            k = key(name)
            if k and entry not in self.partners.setdefault(k, []):
                self.partners[k].append(entry)

    def find(self, name: str, within: int | None = None) -> Entry | None:
        """The partner ``name`` means (one under ``within`` when several share the name)."""
        found = self.partners.get(key(name), [])
        if within is not None and len(found) > 1:
            under = [e for e in found if self.is_under(e, within)]
            found = under or found
        return found[0] if found else None

    def is_under(self, entry: Entry, ancestor: int) -> bool:
        seen = 0
        while entry is not None and seen < 12:
            if entry.parent_id == ancestor:
                return True
            entry = self.by_id.get(entry.parent_id)
            seen += 1
        return False

    def is_foreign(self, name: str) -> bool:
        entry = self.find(name)
        return entry is not None and entry.country not in ("", "VN")

    def place_words(self) -> frozenset[str]:
        return frozenset(e.name.lower() for e in self.by_id.values() if e.country not in ("", "VN"))

    def mechanism(self, name: str) -> int | None:
        return self.mechanisms.get(key(name))


EMPTY = Gazetteer()
_lock = threading.Lock()
_cache: dict = {}


def _visible_partners(office):
    """The partners an office's staff may see (offices/scope.py records_of): the shared ones, the
    approved ones and the office's own drafts."""
    from django.db.models import Q

    from partners.models import Partner

    shown = Q(created_in__isnull=True) | Q(review_state="approved")
    if office is not None:
        shown |= Q(created_in=office.province_code)
    return Partner.objects.filter(shown)


def _fingerprint():
    from django.db.models import Count, Max

    from partners.models import CooperationMechanism, Partner

    history = Partner.history.model
    partner = Partner.objects.aggregate(n=Count("pk"), top=Max("pk"))
    changed = history.objects.aggregate(top=Max("history_id"))
    mechanism = CooperationMechanism.objects.aggregate(n=Count("pk"), top=Max("pk"))
    mechanism_changed = CooperationMechanism.history.model.objects.aggregate(top=Max("history_id"))
    return (partner["n"], partner["top"], changed["top"], mechanism["n"], mechanism["top"], mechanism_changed["top"])


def load(office=None) -> Gazetteer:
    """Builds the gazetteer: one query for the partners, one for the mechanisms."""
    from partners.models import CooperationMechanism

    gazetteer = Gazetteer()
    rows = _visible_partners(office).values_list(
        "pk", "name", "name_en", "name_native", "aliases", "parent_id", "kind", "country"
    )
    for pk, name, name_en, native, aliases, parent_id, kind, country in rows.order_by("pk"):
        names = [name, name_en, native, *sino_vietnamese(native), *(aliases or "").splitlines()]
        gazetteer.add_partner(Entry(pk, name, parent_id, kind, country), names)
    mechanisms = CooperationMechanism.objects.all()
    if office is not None:
        mechanisms = mechanisms.filter(province=office.province_code)
    for pk, name, name_en in mechanisms.values_list("pk", "name", "name_en"):
        for value in (name, name_en):
            if value:
                gazetteer.mechanisms.setdefault(key(value), pk)
    return gazetteer


def gazetteer_for(office=None) -> Gazetteer:
    """The office's gazetteer, reloaded when the partners or mechanisms changed (see module doc)."""
    code = getattr(office, "province_code", None)
    stamp = _fingerprint()
    with _lock:
        cached = _cache.get(code)
        if cached and cached[0] == stamp and time.monotonic() - cached[1] < MAX_AGE:
            return cached[2]
    gazetteer = load(office)
    with _lock:
        _cache[code] = (stamp, time.monotonic(), gazetteer)
    return gazetteer


def clear():
    with _lock:
        _cache.clear()


def gazetteer_or_none(office=None, warn=None) -> Gazetteer:
    """``gazetteer_for(office)``, or an empty gazetteer when the register's database cannot be read
    (not migrated yet, not reachable): the command line still reads the article, matching no
    partner, and ``warn`` is told why. The admin's page needs the database and never comes here."""
    try:
        return gazetteer_for(office)
    except DatabaseError:
        if warn is not None:
            warn(
                gettext(
                    "The register's database cannot be read (has `manage.py migrate` been run?): the article "
                    "is read without matching the register's partners."
                )
            )
        return Gazetteer()
