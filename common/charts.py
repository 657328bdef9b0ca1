"""Bar charts drawn on the server as inline SVG: no JavaScript, no library.

A chart is a real picture with a <title> and a <desc> for screen readers
(role="img"), and its numbers go into a table beside it
(templates/includes/chart.html), which is the text alternative. Colours are
presentation attributes (fill="#…"), never style attributes, so a strict
Content-Security-Policy holds; they are dark enough to print and to carry white
labels. Every label is escaped as format_html would, so a partner called
"<script>" is drawn as text.

    chart = Chart(
        chart_id="chart-years", title=_("Delegations per year"), description=...,
        categories=["2024", "2025"], series=[Series(_("Outbound"), (3, 5)), Series(_("Inbound"), (2, 1))],
    )
    chart.svg          -> SafeString "<svg …>"
    chart.table_rows   -> [("2024", ["3", "2"], "5"), …]
"""

import html
import math
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from common.formatting import number, vnd

# Dark enough to print on a grey-scale printer and to carry white text (contrast >= 4.5:1).
PALETTE = ("#124f8c", "#b3261e", "#1e6b3a", "#8a5a00", "#5b6675", "#6b3fa0")
INK = "#1c2430"
MUTED = "#4a5563"
GRID = "#c9d0d9"
AXIS = "#5b6675"
WHITE = "#ffffff"

# A narrow picture keeps its labels readable when a phone shrinks it to ~340 px.
WIDTH = 400
FONT = 13
SMALL = 12


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple
    colour: str = ""


def plain_number(value):
    """1.234 or 1,5: the number in the reader's language, at most one decimal."""
    if value is None:
        return ""
    return number(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class Chart:
    """Bars per category; several series are stacked, with the total at the end of each bar."""

    chart_id: str
    title: str
    description: str
    categories: list
    series: list
    horizontal: bool = False
    value_format: object = plain_number
    tick_format: object = None
    table_format: object = None
    axis_label: str = ""
    category_label: str = ""
    note: str = ""
    integer: bool = True
    colours: list = field(init=False)

    def __post_init__(self):
        self.categories = [str(c) for c in self.categories]
        self.series = [Series(s.name, tuple(_to_number(v) for v in s.values), s.colour) for s in self.series]
        self.colours = [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(self.series)]
        self.tick_format = self.tick_format or self.value_format
        self.table_format = self.table_format or self.value_format

    @property
    def is_empty(self):
        return not self.categories or not any(v for s in self.series for v in s.values)

    @cached_property
    def totals(self):
        # Cached: the drawing and the table ask for each category's total.
        return [sum(s.values[i] for s in self.series) for i in range(len(self.categories))]

    @property
    def show_total(self):
        return len(self.series) > 1

    @property
    def table_rows(self):
        """(category, [each series' value], total) as text, for the data table."""
        rows = []
        for i, (category, total) in enumerate(zip(self.categories, self.totals, strict=True)):
            cells = [self.table_format(s.values[i]) for s in self.series]
            rows.append((category, cells, self.table_format(total)))
        return rows

    @cached_property
    def svg(self):
        if self.is_empty:
            return mark_safe("")  # noqa: S308 - nothing to draw
        return _HorizontalDrawing(self).render() if self.horizontal else _VerticalDrawing(self).render()


def money_axis(values):
    """The unit that keeps a VND axis readable: (divisor, "billion đồng")."""
    largest = max((abs(_to_number(v)) for v in values), default=0)
    if largest >= 10**9:
        return 10**9, _("billion đồng")
    if largest >= 10**6:
        return 10**6, _("million đồng")
    return 1, _("đồng")


def money_chart(**kwargs):
    """A bar chart of VND amounts: bars labelled in the axis unit (224,5), the table in full đồng."""
    values = [v for s in kwargs["series"] for v in s.values]
    divisor, unit = money_axis(values)
    kwargs.setdefault("value_format", lambda v: plain_number(Decimal(str(v)) / divisor))
    kwargs.setdefault("table_format", vnd)
    kwargs.setdefault("axis_label", unit)
    kwargs.setdefault("integer", False)
    return Chart(**kwargs)


def nice_ticks(maximum, intervals=4, integer=False):
    """0 and round steps (1, 2, 5 × 10ⁿ; whole numbers when ``integer``) up to a
    top at or above ``maximum``."""
    maximum = float(maximum)
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / intervals
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(step, 1)
    count = math.ceil(round(maximum / step, 9))
    return [round(step * i, 9) for i in range(count + 1)]


def _to_number(value):
    if value is None:
        return 0
    return value if isinstance(value, int | float | Decimal) else Decimal(str(value))


def _n(value):
    """A coordinate for an attribute: at most one decimal, no trailing zero."""
    text = f"{float(value):.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text, size=FONT):
    """A fair guess at the width of ``text`` in pixels: wide for CJK, narrow for i, l, 1."""
    width = 0.0
    for ch in str(text):
        if unicodedata.east_asian_width(ch) in "WF":
            width += 1.0
        elif ch in "il1.,:;|' ":
            width += 0.3
        elif ch.isupper() or ch in "mwMW":
            width += 0.72
        else:
            width += 0.56
    return width * size


def wrap_lines(text, width, size=FONT, lines=2):
    """``text`` broken at spaces into at most ``lines`` lines of ``width`` pixels,
    the last one cut with "…" when the text is longer."""
    words, result = str(text).split(), []
    while words and len(result) < lines:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size) <= width:
            line = f"{line} {words.pop(0)}"
        result.append(line)
    if words:
        result[-1] = f"{result[-1]} {' '.join(words)}"
    return [fit(line, width, size) for line in result]


def fit(text, width, size=FONT):
    """``text`` cut with "…" so that it fits in ``width`` pixels."""
    text = str(text)
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _escape(value):
    """What format_html does to each argument (conditional_escape), quicker for
    the plain strings and numbers that make up most of a drawing: a chart of
    ten years draws some two hundred elements, and Django's escape() costs
    a lazy-string check and a SafeString on each."""
    if type(value) is str:
        return html.escape(value)  # exactly Django's escape() of a plain str
    if type(value) in (int, float):
        return value  # formatted as str() would, nothing to escape
    return conditional_escape(value)  # lazy translations, safe strings, anything else


class _Drawing:
    def __init__(self, chart):
        self.chart = chart
        self.parts = []

    def add(self, template, *args):
        """format_html(template, *args), kept as a plain piece: the whole picture
        is marked safe once, in wrap()."""
        self.parts.append(template.format(*map(_escape, args)))

    def text(self, x, y, label, *, size=FONT, fill=INK, anchor="start", weight="normal"):
        self.add(
            '<text x="{}" y="{}" font-size="{}" fill="{}" text-anchor="{}" font-weight="{}">{}</text>',
            _n(x),
            _n(y),
            size,
            fill,
            anchor,
            weight,
            label,
        )

    def legend(self, top):
        """Swatches and names, wrapped onto as many lines as they need; returns the height used."""
        if len(self.chart.series) < 2:
            return 0
        x, y = 0.0, top
        for series, colour in zip(self.chart.series, self.chart.colours, strict=True):
            item = 18 + text_width(series.name, SMALL) + 18
            if x > 0 and x + item > WIDTH:
                x, y = 0.0, y + 20
            self.add('<rect x="{}" y="{}" width="12" height="12" fill="{}"/>', _n(x), _n(y), colour)
            self.text(x + 18, y + 11, series.name, size=SMALL)
            x += item
        return y - top + 24

    def wrap(self, height):
        chart = self.chart
        head = format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" viewBox="0 0 {w} {h}" width="{w}" '
            'height="{h}" role="img" aria-labelledby="{id}-title {id}-desc">'
            '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
            w=WIDTH,
            h=_n(height),
            id=chart.chart_id,
            title=chart.title,
            desc=chart.description,
        )
        return mark_safe(head + "".join(self.parts) + "</svg>")  # noqa: S308 - every argument escaped in add()

    def bar(self, x, y, width, height, colour, label):
        self.add(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
            _n(x),
            _n(y),
            _n(width),
            _n(height),
            colour,
            label,
        )


class _VerticalDrawing(_Drawing):
    """Stacked columns, one per category (years), ticks on the left."""

    PLOT_HEIGHT = 220

    def render(self):
        chart = self.chart
        legend_height = self.legend(0)
        ticks = nice_ticks(max(chart.totals), integer=chart.integer)
        tick_labels = [chart.tick_format(t) for t in ticks]
        left = max(text_width(label, SMALL) for label in tick_labels) + 10
        top = legend_height + (22 if chart.axis_label else 8) + 12
        bottom = top + self.PLOT_HEIGHT
        plot_width = WIDTH - left - 4
        scale = self.PLOT_HEIGHT / ticks[-1]
        if chart.axis_label:
            self.text(0, top - 14, chart.axis_label, size=SMALL, fill=MUTED)
        for tick, label in zip(ticks, tick_labels, strict=True):
            y = bottom - tick * scale
            self.add('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', _n(left), _n(y), WIDTH, _n(y), GRID)
            self.text(left - 6, y + 4, label, size=SMALL, fill=MUTED, anchor="end")
        band = plot_width / len(chart.categories)
        bar_width = min(band * 0.62, 56)
        for i, category in enumerate(chart.categories):
            x = left + band * i + (band - bar_width) / 2
            y = bottom
            for series, colour in zip(chart.series, chart.colours, strict=True):
                value = series.values[i]
                if not value:
                    continue
                height = float(value) * scale
                y -= height
                formatted = chart.value_format(value)
                self.bar(x, y, bar_width, height, colour, f"{category} · {series.name}: {formatted}")
                if chart.show_total and height >= SMALL + 4 and text_width(formatted, SMALL) <= bar_width - 4:
                    self.text(x + bar_width / 2, y + height / 2 + 4, formatted, size=SMALL, fill=WHITE, anchor="middle")
            total = chart.value_format(chart.totals[i])
            self.text(x + bar_width / 2, y - 5, total, size=SMALL, anchor="middle", weight="bold")
            self.text(x + bar_width / 2, bottom + 18, fit(category, band - 2, SMALL), size=SMALL, anchor="middle")
        self.add('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', _n(left), bottom, WIDTH, bottom, AXIS)
        return self.wrap(bottom + 26)


class _HorizontalDrawing(_Drawing):
    """Bars across, one row per category (countries, kinds, statuses), ticks
    below; a long category name takes two lines."""

    ROW = 34
    BAR = 20
    LABEL_MAX = 130
    LINE = 13

    def render(self):
        chart = self.chart
        legend_height = self.legend(0)
        top = legend_height + 6
        value_labels = [chart.value_format(t) for t in chart.totals]
        label_width = min(max(text_width(c, SMALL) for c in chart.categories), self.LABEL_MAX)
        label_width = max(label_width, text_width(chart.axis_label, SMALL))
        left = label_width + 10
        right = WIDTH - max(text_width(v, SMALL) for v in value_labels) - 10
        ticks = nice_ticks(max(chart.totals), integer=chart.integer)
        scale = (right - left) / ticks[-1]
        bottom = top + self.ROW * len(chart.categories)
        for tick in ticks:
            x = left + tick * scale
            self.add('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', _n(x), top, _n(x), _n(bottom), GRID)
            self.text(x, bottom + 16, chart.tick_format(tick), size=SMALL, fill=MUTED, anchor="middle")
        for i, category in enumerate(chart.categories):
            y = top + self.ROW * i + (self.ROW - self.BAR) / 2
            lines = wrap_lines(category, label_width, SMALL)
            first = y + self.BAR / 2 + 4 - (len(lines) - 1) * self.LINE / 2
            for n, line in enumerate(lines):
                self.text(left - 8, first + n * self.LINE, line, size=SMALL, anchor="end")
            x = left
            for series, colour in zip(chart.series, chart.colours, strict=True):
                value = series.values[i]
                if not value:
                    continue
                width = float(value) * scale
                formatted = chart.value_format(value)
                self.bar(x, y, width, self.BAR, colour, f"{category} · {series.name}: {formatted}")
                x += width
            self.text(x + 5, y + self.BAR / 2 + 4, value_labels[i], size=SMALL, weight="bold")
        self.add('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', _n(left), top, _n(left), _n(bottom), AXIS)
        # The unit sits on the tick row, under the category names: "persons  0  200  400".
        self.text(left - 8, bottom + 16, chart.axis_label, size=SMALL, fill=MUTED, anchor="end")
        return self.wrap(bottom + 24)
