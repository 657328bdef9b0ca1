"""Scores the reader against hand annotations (tests/reading/README.md, "When an item counts as found").

- a delegation: direction, start date at the annotated precision, the leader's family and given
  name (middle names may differ); an annotation without a leader does not compare it, one without
  a start is matched on direction and partners;
- a figure: indicator, value, qualifier and period;
- an agreement: kind, signing date at the annotated precision and the same set of parties, names
  compared after trimming administrative words, bracketed and trailing country names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from reading.gazetteer import key

KINDS = ("delegations", "agreements", "figures")


@dataclass
class Score:
    annotated: int = 0
    extracted: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        return self.found / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.annotated if self.annotated else 1.0


@dataclass
class ArticleResult:
    name: str
    misses: dict = field(default_factory=dict)  # kind -> annotated items not found
    false: dict = field(default_factory=dict)  # kind -> extracted items that match nothing


def _day(value):
    return date.fromisoformat(value) if value else None


def _same_date(annotated, precision, extracted) -> bool:
    if annotated is None or extracted is None:
        return annotated is None and extracted is None
    if precision == "year":
        return annotated.year == extracted.year
    if precision == "month":
        return (annotated.year, annotated.month) == (extracted.year, extracted.month)
    return annotated == extracted


def _name_ends(name: str) -> tuple[str, str]:
    parts = (name or "").split()
    return (parts[0], parts[-1]) if parts else ("", "")


# "… 5 tỉnh biên giới của Việt Nam": a trailing country is trimmed, as the annotation rules say.
_COUNTRY_SUFFIX = re.compile(r"\s+(?:của\s+)?(?:Việt\s+Nam|Trung\s+Quốc|nước\s+CHDCND\s+Lào|CHDCND\s+Lào|Lào)\s*$")


def party_key(name: str) -> str:
    name = re.sub(r"\([^)]*\)", "", name or "")
    name = re.split(r"[,/]|\s+thuộc\s+", name)[0]
    name = re.sub(r"^(?:Tỉnh\s+ủy|Khu\s+ủy|Thành\s+ủy|Sở\s+Ngoại\s+vụ)\s+", "", name.strip(), flags=re.I)
    name = _COUNTRY_SUFFIX.sub("", name)
    return key(name)


def delegation_matches(a: dict, x: dict) -> bool:
    if a["direction"] != x["direction"]:
        return False
    if a.get("leader") and _name_ends(a["leader"]) != _name_ends(x.get("leader") or ""):
        return False
    if a.get("start") is None:
        wanted = {party_key(p) for p in a.get("partners") or []}
        got = {party_key(p["text"]) for p in x.get("partners") or []}
        return not wanted or not got or bool(wanted & got) or x.get("start") is None
    return _same_date(_day(a["start"]), a["start_precision"], _day(x.get("start")))


def figure_matches(a: dict, x: dict) -> bool:
    return (
        a["indicator"] == x["indicator"]
        and Decimal(str(a["value"])) == Decimal(str(x["value"]))
        and a["qualifier"] == x["qualifier"]
        and a.get("period_start") == x.get("period_start")
        and a.get("period_end") == x.get("period_end")
    )


def agreement_matches(a: dict, x: dict) -> bool:
    if a["kind"] != x["kind"]:
        return False
    if not _same_date(_day(a.get("signed")), a.get("signed_precision") or "day", _day(x.get("signed"))):
        return False
    wanted = {party_key(p) for p in a.get("parties") or []}
    got = {party_key(p["text"] if isinstance(p, dict) else p) for p in x.get("parties") or []}
    return wanted == got


MATCHERS = {"delegations": delegation_matches, "agreements": agreement_matches, "figures": figure_matches}


def _pair(kind, annotated, extracted):
    """Greedy one-to-one matching: (found, missed annotations, unmatched extractions)."""
    left = list(extracted)
    missed = []
    found = 0
    for item in annotated:
        hit = next((x for x in left if MATCHERS[kind](item, x)), None)
        if hit is None:
            missed.append(item)
        else:
            left.remove(hit)
            found += 1
    return found, missed, left


def annotated_articles(folder: Path) -> list[tuple[Path, dict]]:
    return [(path.with_suffix(".txt"), json.loads(path.read_text("utf-8"))) for path in sorted(folder.glob("*.json"))]


def evaluate(folder: Path, gazetteer=None, names=None):
    """(scores per kind, results per article) of the reader over ``folder``'s annotated articles."""
    from reading.reader import read

    scores = {kind: Score() for kind in KINDS}
    results = []
    for text_path, annotation in annotated_articles(folder):
        if names is not None and text_path.stem not in names:
            continue
        published = _day(annotation.get("published"))
        reading = read(
            text_path.read_text("utf-8"), published=published, url=annotation.get("url"), gazetteer=gazetteer
        )
        got = reading.as_json()
        result = ArticleResult(text_path.stem)
        for kind in KINDS:
            found, missed, left = _pair(kind, annotation[kind], got[kind])
            score = scores[kind]
            score.annotated += len(annotation[kind])
            score.extracted += len(got[kind])
            score.found += found
            result.misses[kind], result.false[kind] = missed, left
        results.append(result)
    return scores, results


def table(scores) -> str:
    lines = [f"{'kind':<12} {'annotated':>9} {'extracted':>9} {'found':>6} {'precision':>9} {'recall':>7}"]
    for kind, s in scores.items():
        lines.append(f"{kind:<12} {s.annotated:>9} {s.extracted:>9} {s.found:>6} {s.precision:>9.2f} {s.recall:>7.2f}")
    return "\n".join(lines)
