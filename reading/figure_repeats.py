"""Figures proposed twice, or as parts of another: a headline repeating the body, an equivalent written
again, the parts of a total that add up to it. ``find_figures`` (reading/figures.py) drops them."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal


def without_repeats(ctx, found, positions, equivalents):
    found = _without_parts_of_totals(ctx, found, positions)
    found = _totals_of_the_parts_before(found)
    return _without_told_again(_without_equivalents(_without_headline_repeats(ctx, found), equivalents))


def _without_told_again(found):
    """ "… với hơn 1,65 tỷ USD vốn FDI đăng ký" in the lead and "tổng vốn FDI đăng ký … đạt hơn 1,65 tỷ USD" in
    the body: the same indicator, amount, qualifier and period told twice is one figure (the first)."""
    kept, seen = [], set()
    for f in found:
        key = (f.indicator, f.unit, f.value, f.qualifier, f.period_start, f.period_end)
        if key not in seen:
            seen.add(key)
            kept.append(f)
    return kept


def _totals_of_the_parts_before(found):
    """ "… 15 dự án mới với số vốn đăng ký 691,5 triệu USD và điều chỉnh vốn cho 12 dự án với tổng số vốn 877,16
    triệu USD; …" then "Tổng số vốn FDI vào Nghệ An đạt 1,5687 tỷ USD": an amount given with no period that is
    exactly the sum of the amounts of the sentence just before (two or more, one period) is their total, for
    that period."""
    for number, total in enumerate(found):
        if total.period_start is not None or total.period_end is not None or number == 0 or not total.value:
            continue
        previous = found[number - 1].span
        if previous.start == total.span.start:
            continue
        parts = [f for f in found[:number] if f.span == previous and f.unit == total.unit]
        # The parts end on one day; a part whose start was not read shares the others' start.
        ends = {f.period_end for f in parts}
        starts = {(f.period_start, f.period_precision) for f in parts if f.period_start is not None}
        if len(parts) < 2 or len(ends) != 1 or None in ends or len(starts) != 1:
            continue
        if abs(sum(f.value for f in parts) - total.value) <= total.value / 10000:
            (start, precision), end = starts.pop(), ends.pop()
            found[number] = replace(total, period_start=start, period_end=end, period_precision=precision)
    return found


def _without_equivalents(found, equivalents):
    """ "tổng giá trị viện trợ … lên tới 25 tỷ đồng" in the lead, "hơn 1,086 triệu USD (tương đương xấp xỉ
    25 tỷ đồng)" in the body: an amount that is another's equivalent, written again, is that amount."""
    return [f for f in found if (f.unit, f.value) not in equivalents]


_OF_WHICH = re.compile(r"\b[Tt]rong\s+đó\b")
_BRACKET_AFTER = re.compile(r"[^()]{0,80}?\(")


def _without_parts_of_totals(ctx, found, positions):
    """ "toàn tỉnh hiện có 84 dự án FDI …; trong đó, 36 dự án … trong khu kinh tế … và 48 dự án … ngoài khu":
    parts that add up exactly to the total just given in the same sentence (36 + 48 = 84) split it; they
    are not figures of their own."""
    drop = set()
    for total in found:
        of_which = _OF_WHICH.search(ctx.text, positions[id(total)], total.span.end)
        if of_which is not None:
            first, last = of_which.start(), total.span.end
        elif (bracket := _BRACKET_AFTER.match(ctx.text, positions[id(total)], total.span.end)) is not None:
            # "465 dự án … hơn 33,103 tỷ USD (trong KCN 292 dự án …; ngoài KCN 173 dự án …)": the parts in a
            # bracket right after the total.
            first = bracket.end()
            last = ctx.text.find(")", first, total.span.end)
            last = total.span.end if last < 0 else last
        else:
            continue
        parts = [
            f
            for f in found
            if f is not total
            and f.indicator == total.indicator
            and f.span.start == total.span.start
            and first < positions[id(f)] < last
        ]
        if len(parts) >= 2 and total.value and abs(sum(f.value for f in parts) - total.value) <= total.value / 1000:
            drop.update(id(f) for f in parts)
    return [f for f in found if id(f) not in drop]


def _close(headline, body) -> bool:
    """ "gần 18 triệu USD" in the headline is the body's 17,945 triệu USD rounded: a headline's
    approximate figure within 5% of a body figure of the same unit is that figure."""
    if headline.qualifier == "exact" or not headline.value:
        return headline.value == body.value
    return abs(headline.value - body.value) <= headline.value * Decimal("0.05")


def _without_headline_repeats(ctx, found):
    """A headline states again a figure its body gives ("Quảng Ninh thu hút hơn 3 tỷ USD vốn FDI
    trong 10 tháng"): the body's, with its period and qualifier, is the one proposed, even when the
    headline's words alone would name another indicator ("Tiếp nhận hơn 22,4 tỷ đồng viện trợ")."""
    if not ctx.sentences:
        return found
    title = ctx.sentences[0]
    body = [f for f in found if f.span.start != title.start]
    return [f for f in found if f.span.start != title.start or not any(b.unit == f.unit and _close(f, b) for b in body)]
