"""Vietnamese capital and small letters, for regular expressions.

A range such as ``À-Ỹ`` is not "the capitals": the Vietnamese block (U+1EA0–U+1EF9) alternates
capital and small letters, so the classes are spelt out from Unicode's own cases.
"""

_LETTERS = [chr(c) for c in range(0x41, 0x1EFA) if chr(c).isalpha()]
UP = "".join(c for c in _LETTERS if c.isupper() and (c < "\u0250" or c >= "\u1e00"))
LOW = "".join(c for c in _LETTERS if c.islower() and (c < "\u0250" or c >= "\u1e00"))


def starts_upper(word: str) -> bool:
    return bool(word) and word[0].isupper()
