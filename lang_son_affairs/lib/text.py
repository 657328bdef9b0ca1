"""Text folding for accent-insensitive search.

Vietnamese needs more than NFKD: "đ" has no decomposition, so it is mapped
by hand. The folded form is stored next to the record (``search_text``) so
that one indexable column answers "bang tuong" on SQLite and PostgreSQL alike.
"""

import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe"})
_SPACES = re.compile(r"\s+")


def fold(text):
    """Lower-case, strip diacritics, collapse white space: 'Bằng Tường' -> 'bang tuong'."""
    if not text:
        return ""
    return _fold(str(text))


# The search page folds the same record texts on every request (its snippets).
@functools.lru_cache(maxsize=4096)
def _fold(text):
    text = text.translate(_EXTRA)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold().translate(_EXTRA)).strip()


def search_blob(*parts):
    """The folded text of several fields, one per line, with the originals kept
    for scripts that have no accents to strip (凭祥)."""
    return "\n".join(fold(p) for p in parts if p)


@functools.lru_cache(maxsize=8192)
def _fold_char(ch):
    """fold() of one character, white space kept as one space: what the
    character contributes to the folded string (often "", for a combining mark)."""
    if ch.isspace():
        return " "
    decomposed = unicodedata.normalize("NFKD", ch.translate(_EXTRA))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().translate(_EXTRA)


def _folded_with_positions(text):
    """The folded text and, for each of its characters, the index of the
    original character it came from ("Bằng" in NFD is five characters, folded four)."""
    folded, origin = [], []
    for index, ch in enumerate(text):
        for out in _fold_char(ch):
            folded.append(out)
            origin.append(index)
    return "".join(folded), origin


def match_spans(text, query):
    """(start, end) ranges of ``text`` where any word of ``query`` occurs, accent-
    and case-insensitively, sorted and merged where only white space separates
    them: "bang tuong" in "Đến Bằng Tường" -> [(4, 14)]."""
    words = set(fold(query).split())
    if not text or not words:
        return []
    folded, origin = _folded_with_positions(text)
    spans = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            first, last = origin[start], origin[start + len(word) - 1]
            end = last + 1
            # Combining marks after the last letter belong to it (NFD input).
            while end < len(text) and not _fold_char(text[end]):
                end += 1
            spans.append((first, end))
            start = folded.find(word, start + len(word))
    spans.sort()
    merged = []
    for first, end in spans:
        if merged and (first <= merged[-1][1] or not text[merged[-1][1] : first].strip()):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((first, end))
    return merged


def highlight(text, query, around=None):
    """``text`` escaped for HTML with every match of ``query`` in <mark>:
    highlight("Bằng Tường", "bang tuong") -> "<mark>Bằng Tường</mark>".

    With ``around`` (a number of characters), a long text is cut to a window of
    about that size around the first match, with "…" where it was cut."""
    text = "" if text is None else str(text)
    spans = match_spans(text, query)
    window_start, window_end = 0, len(text)
    if around is not None and len(text) > around:
        window_start, window_end = _window(text, _best_span(text, spans, query), around)
    pieces = ["…"] if window_start > 0 else []
    position = window_start
    for first, end in spans:
        if end <= window_start or first >= window_end:
            continue
        first, end = max(first, window_start), min(end, window_end)
        pieces.append(escape(text[position:first]))
        pieces.append(f"<mark>{escape(text[first:end])}</mark>")
        position = end
    pieces.append(escape(text[position:window_end]))
    if window_end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of the text is escaped above


def _best_span(text, spans, query):
    """The first match holding the most words of the query: "Bằng Tường" rather
    than an earlier "tượng" when the query is "bang tuong"."""
    if not spans:
        return (0, 0)
    words = set(fold(query).split())
    return max(spans, key=lambda span: (sum(w in fold(text[span[0] : span[1]]) for w in words), -span[0]))


def _window(text, span, size):
    """About ``size`` characters of ``text`` around ``span``, a third of them
    before it, cut at white space so that no word is halved."""
    first, end = span
    start = max(0, min(first - size // 3, len(text) - size))
    stop = min(len(text), start + size)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    if stop < len(text):
        space = text.rfind(" ", max(start, end), stop)
        stop = space if space != -1 else stop
    return start, max(stop, min(end, len(text)))
