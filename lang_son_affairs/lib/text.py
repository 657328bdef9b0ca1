"""Text folding for accent-insensitive search.

Vietnamese needs more than NFKD: "đ" has no decomposition, so it is mapped
by hand. The folded form is stored next to the record (``search_text``) so
that one indexable column answers "bang tuong" on SQLite and PostgreSQL alike.
"""

import re
import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe"})
_SPACES = re.compile(r"\s+")


def fold(text):
    """Lower-case, strip diacritics, collapse white space: 'Bằng Tường' -> 'bang tuong'."""
    if not text:
        return ""
    text = str(text).translate(_EXTRA)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold().translate(_EXTRA)).strip()


def search_blob(*parts):
    """The folded text of several fields, one per line, with the originals kept
    for scripts that have no accents to strip (凭祥)."""
    return "\n".join(fold(p) for p in parts if p)
