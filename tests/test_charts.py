"""The dashboard's bar charts: server-drawn SVG with a title, a description,
presentation-attribute colours and escaped labels."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from common.charts import Chart, Series, fit, money_chart, nice_ticks, text_width, wrap_lines


def years_chart(**changes):
    options = {
        "chart_id": "chart-years",
        "title": "Delegations per year",
        "description": "Stacked columns, one per year.",
        "categories": [2024, 2025],
        "series": [Series("Outbound", (3, 5)), Series("Inbound", (2, 1))],
        "category_label": "Year",
    }
    options.update(changes)
    return Chart(**options)


def countries_chart(names, values):
    return Chart(
        chart_id="chart-countries",
        title="Person-trips by country",
        description="One bar per country.",
        categories=names,
        series=[Series("Person-trips", tuple(values))],
        horizontal=True,
    )


@pytest.mark.parametrize("horizontal", [False, True])
def test_a_chart_is_an_svg_image_labelled_by_its_title_and_description(horizontal):
    svg = str(years_chart(horizontal=horizontal).svg)

    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-years-title chart-years-desc"' in svg
    assert '<title id="chart-years-title">Delegations per year</title>' in svg
    assert '<desc id="chart-years-desc">Stacked columns, one per year.</desc>' in svg
    assert 'viewBox="0 0 ' in svg


@pytest.mark.parametrize("horizontal", [False, True])
def test_colours_are_presentation_attributes_never_style_attributes(horizontal):
    svg = str(years_chart(horizontal=horizontal).svg)

    assert "style=" not in svg
    assert "<style" not in svg
    assert 'fill="#b3261e"' in svg or 'fill="#124f8c"' in svg
    assert re.findall(r'<rect [^>]*fill="#[0-9a-f]{6}"', svg)


def test_stacked_columns_show_each_total_above_its_column():
    svg = str(years_chart().svg)

    # 3 + 2 in 2024, 5 + 1 in 2025, in bold above the columns.
    assert re.search(r'font-weight="bold">5</text>', svg)
    assert re.search(r'font-weight="bold">6</text>', svg)
    assert ">2024</text>" in svg
    assert ">2025</text>" in svg


def test_the_legend_names_every_series():
    svg = str(years_chart().svg)

    assert ">Outbound</text>" in svg
    assert ">Inbound</text>" in svg


def test_a_single_series_has_no_legend():
    svg = str(countries_chart(["Trung Quốc"], [12]).svg)

    assert ">Person-trips</text>" not in svg


def test_labels_are_escaped_in_the_picture():
    svg = str(countries_chart(['<script>alert("x")</script>', "Lào & Campuchia"], [5, 3]).svg)

    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert "Lào &amp; Campuchia" in svg


def test_a_title_and_description_are_escaped():
    chart = years_chart(title="<b>Bold</b>", description='"quoted" & <i>')

    assert "<b>" not in str(chart.svg)
    assert "&lt;b&gt;Bold&lt;/b&gt;" in str(chart.svg)


def test_the_data_table_holds_every_value_and_the_totals():
    chart = years_chart()

    with translation.override("vi"):
        assert chart.table_rows == [("2024", ["3", "2"], "5"), ("2025", ["5", "1"], "6")]
    assert chart.show_total


def test_a_chart_without_values_is_empty_and_draws_nothing():
    chart = countries_chart(["Trung Quốc", "Lào"], [0, None])

    assert chart.is_empty
    assert str(chart.svg) == ""
    assert countries_chart([], []).is_empty


def test_a_money_chart_labels_bars_in_billions_and_the_table_in_full_dong():
    chart = money_chart(
        chart_id="chart-projects",
        title="Committed value",
        description="One bar per kind.",
        categories=["ODA", "FDI"],
        series=[Series("Committed value", (Decimal("224500000000"), Decimal("12500000000")))],
        horizontal=True,
    )

    with translation.override("vi"):
        svg = str(chart.svg)
        rows = chart.table_rows
        assert str(chart.axis_label) == "billion đồng" or "tỷ" in str(chart.axis_label)
    assert ">224,5</text>" in svg
    assert ">12,5</text>" in svg
    assert rows[0] == ("ODA", ["224.500.000.000 ₫"], "224.500.000.000 ₫")


@pytest.mark.parametrize(
    ("maximum", "integer", "ticks"),
    [
        (13, True, [0, 5, 10, 15]),
        (2, True, [0, 1, 2]),
        (1, True, [0, 1]),
        (447, True, [0, 200, 400, 600]),
        (0.4, False, [0, 0.1, 0.2, 0.3, 0.4]),
        (356e9, False, [0, 100e9, 200e9, 300e9, 400e9]),
        (0, True, [0, 1]),
    ],
)
def test_ticks_are_round_steps_from_zero_to_at_least_the_maximum(maximum, integer, ticks):
    assert nice_ticks(maximum, integer=integer) == pytest.approx(ticks)


def test_long_labels_are_cut_with_an_ellipsis_to_fit_their_width():
    label = fit("Đầu tư trực tiếp nước ngoài (FDI) vào khu kinh tế cửa khẩu", 120)

    assert label.endswith("…")
    assert text_width(label) <= 120
    assert fit("Lào", 120) == "Lào"


def test_long_labels_wrap_onto_two_lines_at_spaces():
    lines = wrap_lines("Foreign direct investment (FDI)", 130, 12)

    assert len(lines) == 2
    assert " ".join(lines) == "Foreign direct investment (FDI)"


def test_chinese_characters_count_as_wide():
    assert text_width("凭祥市") > text_width("abc")
