"""Sentences and words of a Vietnamese text, with their character offsets.

The words come from underthesea's CRF word segmenter (its model ships inside the package; see
README, "The article reader"): a person's name written after a title ("Bộ trưởng Ngoại giao
Bùi Thanh Sơn") is told from the title by the segmenter's words, not by a list of names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reading.letters import LOW, UP


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # index of the line (paragraph) it sits in
    index: int  # its place among the text's sentences


def sentences(text: str) -> list[Sentence]:
    """The text's sentences, each within one paragraph (a line), with offsets into ``text``."""
    from underthesea import sent_tokenize

    found: list[Sentence] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        if line.strip():
            cursor = 0
            for piece in _split_line(line, sent_tokenize):
                at = line.find(piece, cursor)
                if at < 0:
                    continue
                cursor = at + len(piece)
                found.append(Sentence(offset + at, offset + cursor, number, len(found)))
        offset += len(line) + 1
    return found


def _split_line(line: str, sent_tokenize) -> list[str]:
    pieces: list[str] = []
    for piece in sent_tokenize(line):
        if pieces and re.search(r"\d\.$", pieces[-1]) and re.match(r"\d", piece):
            pieces[-1] = line[line.find(pieces[-1]) : line.find(piece, line.find(pieces[-1])) + len(piece)]
            continue  # "gần 2.800 lượt người" is one number, not the end of a sentence
        # The segmenter keeps "nước.Đón" (a missing space) as one sentence: split it there too.
        pieces.extend(part for part in re.split(rf"(?<=[{LOW})][.!?])(?=[{UP}])", piece.strip()) if part)
    return pieces


@lru_cache(maxsize=4096)
def words(fragment: str) -> tuple[str, ...]:
    """The segmenter's words of ``fragment`` (as written: no spelling normalisation)."""
    from underthesea import word_tokenize

    return tuple(word_tokenize(fragment, use_token_normalize=False))
