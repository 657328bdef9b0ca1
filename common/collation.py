"""Vietnamese alphabetical order, kept as a column that sorts by code point.

The databases compare text by code point (SQLite always; PostgreSQL here runs
with the C.UTF-8 collation), which is not Vietnamese order: "Đoàn" comes after
"Tổng" (Đ is U+0110, past Z) and "Dự án Quỹ" before "Dự án phòng" (capitals
first). ``vietnamese_key()`` rewrites a text so that code-point order is the
dictionary's: syllable by syllable, letters first in the alphabet
a ă â b c d đ e ê … o ô ơ … u ư … y, then the tone (none, huyền, hỏi, ngã, sắc,
nặng), case and punctuation ignored:

    vietnamese_key("Đoàn công tác") == "d{oan1 co|ng tac4"

A record keeps the key of its title in ``title_sort`` (common/title_sort.py), filled
on every save and bulk write like ``search_text``; the list's title order is then
an index range on (title_sort, id), and its keyset pages stay fast at a million
rows, on SQLite and PostgreSQL alike, with no ICU collation to install.

Plain Python, no Django: the synthetic generator's worker processes use it."""

import unicodedata

# A modified letter sorts after every word that continues with its base letter:
# "an" < "ăn" < "âm" < "ba" because "{" "|" "}" come after "z".
_MODIFIER = {"\u0306": "{", "\u0302": "|", "\u031b": "}"}  # breve ă, circumflex â ê ô, horn ơ ư
# The tone, written after its syllable: "ba" < "bà" < "bả" < "bã" < "bá" < "bạ" < "bac".
_TONE = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_LETTER = {"đ": "d{", "ð": "d{", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe"}


def vietnamese_key(text):
    """The sort key of ``text`` (see the module's docstring); "" for no text."""
    syllables, letters, tone = [], [], ""
    for ch in unicodedata.normalize("NFD", str(text or "").casefold()):
        if unicodedata.combining(ch):
            if ch in _MODIFIER and letters:
                letters.append(_MODIFIER[ch])
            elif ch in _TONE:
                tone = _TONE[ch]
            continue  # Other marks (the umlaut of "Müller") do not change the order.
        if ch.isalnum():
            letters.append(_LETTER.get(ch, ch))
            continue
        if letters:  # White space and punctuation end a syllable.
            syllables.append("".join(letters) + tone)
        letters, tone = [], ""
    if letters:
        syllables.append("".join(letters) + tone)
    return " ".join(syllables)
