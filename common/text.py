"""Text folding for accent-insensitive search.

Vietnamese needs more than NFKD: "đ" has no decomposition, so it is mapped
by hand. The folded form is stored next to the record (``search_text``) so
that one indexable column answers "bang tuong" on SQLite and PostgreSQL alike.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

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


# The words of a query: runs of letters and digits; punctuation separates them.
_WORD = re.compile(r"[^\W_]+")
# A folded Vietnamese, English or pinyin word: its letters and digits are these,
# and any other character (a space, punctuation, a new line) ends a syllable.
_LATIN = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Term:
    """One word of a search, folded. A Latin word matches whole syllables only:
    "vi" finds "vị" and "Vì", not "việc"; the last word of the query is taken
    as still being typed and matches the start of a syllable ("bang tu" finds
    "Bằng Tường"). A word in a script written without spaces (凭祥) matches
    anywhere, as there is no syllable boundary to look for."""

    word: str
    prefix: bool = False

    @property
    def bounded(self):
        return all(ch in _LATIN for ch in self.word)

    def implies(self, other):
        """A text that has this term necessarily has ``other``."""
        if not other.bounded:
            return other.word in self.word
        if not self.bounded:
            return False
        if other.prefix:
            return self.word.startswith(other.word)
        return not self.prefix and self.word == other.word

    def starts(self, folded):
        """The positions in ``folded`` (a fold()ed text) where the term matches."""
        word, size = self.word, len(self.word)
        start = folded.find(word)
        while start != -1:
            end = start + size
            if not self.bounded or (
                (start == 0 or folded[start - 1] not in _LATIN)
                and (self.prefix or end == len(folded) or folded[end] not in _LATIN)
            ):
                yield start
                start = folded.find(word, end)
            else:
                start = folded.find(word, start + 1)

    def found_in(self, folded):
        return next(self.starts(folded), None) is not None


def search_phrase(query):
    """The words of ``query`` folded and joined by single spaces: "Bằng Tường (Pingxiang)"
    -> "bang tuong pingxiang"."""
    return " ".join(_WORD.findall(fold(query)))


def search_terms(query):
    """The terms a record must match, longest first, each once: a term another
    one implies ("tu" beside "tuan", a repeated word) is left out."""
    words = search_phrase(query).split()
    terms = {Term(word, prefix=index == len(words) - 1) for index, word in enumerate(words)}
    kept = []
    for term in sorted(terms, key=lambda term: (-len(term.word), term.prefix, term.word)):
        if not any(other.implies(term) for other in kept):
            kept.append(term)
    return kept


def _as_terms(query):
    return query if isinstance(query, list) else search_terms(query)


def match_spans(text, query):
    """(start, end) ranges of ``text`` where a term of ``query`` (a query string,
    or its search_terms()) matches, accent- and case-insensitively, sorted and
    merged where only white space separates them: "bang tuong" in "Đến Bằng
    Tường" -> [(4, 14)]; "km 0" in "Km 0 năm 2020" -> [(0, 4)]."""
    terms = _as_terms(query)
    if not text or not terms:
        return []
    folded, origin = _folded_with_positions(text)
    spans = []
    for term in terms:
        for start in term.starts(folded):
            first, last = origin[start], origin[start + len(term.word) - 1]
            end = last + 1
            # Combining marks after the last letter belong to it (NFD input).
            while end < len(text) and not _fold_char(text[end]):
                end += 1
            spans.append((first, end))
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
    terms = _as_terms(query)
    spans = match_spans(text, terms)
    window_start, window_end = 0, len(text)
    if around is not None and len(text) > around:
        window_start, window_end = _window(text, _best_span(text, spans, terms), around)
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


def _best_span(text, spans, terms):
    """The first match holding the most terms of the query: "Bằng Tường" rather
    than an earlier "tượng" when the query is "bang tuong"."""
    if not spans:
        return (0, 0)
    return max(spans, key=lambda span: (sum(t.found_in(fold(text[span[0] : span[1]])) for t in terms), -span[0]))


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
