"""The public lists of twinning pairs (/twinnings/) and of reported figures
(/figures/): a visitor reads the published rows of the province the page
shows, an official their own province's, internal rows included; filters,
sorting, exports (CSV and XLSX, the same rows) and the site's navigation."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Partnership, PartnershipKind
from offices import services
from offices.models import OfficeProfile, StaffProfile
from partners.models import LocalUnit, LocalUnitKind, Partner, PartnerKind
from register.publishable import ReviewState
from sources.models import Indicator, ReportedFigure, Source, Unit
from tests.conftest import make_user
from tests.import_files import export_rows

PUBLISHED = {"review_state": ReviewState.APPROVED, "is_public": True}
INTERNAL = {"review_state": ReviewState.APPROVED, "is_public": False}
HOME, OTHER = "20", "04"


@pytest.fixture
def places(db):
    """Partners (Guangxi with a county under it, and Laos), our units and a source,
    all published; one unpublished partner."""
    guangxi = Partner.objects.create(name="Quảng Tây", kind=PartnerKind.REGION, country="CN", **PUBLISHED)
    ningming = Partner.objects.create(
        name="Ninh Minh", kind=PartnerKind.COUNTY, country="CN", parent=guangxi, **PUBLISHED
    )
    laos = Partner.objects.create(name="Phông-xả-lỳ", kind=PartnerKind.REGION, country="LA", **PUBLISHED)
    hidden = Partner.objects.create(name="Đối tác chưa công bố", kind=PartnerKind.COUNTY, country="CN")
    district = LocalUnit.objects.create(name="Huyện Biên Giới", kind=LocalUnitKind.DISTRICT, **PUBLISHED)
    village = LocalUnit.objects.create(name="Thôn Hữu Nghị", kind=LocalUnitKind.VILLAGE, **PUBLISHED)
    source = Source.objects.create(title="Báo cáo tổng kết", body="Đã ký 7 thỏa thuận.", **PUBLISHED)
    return {
        "guangxi": guangxi,
        "ningming": ningming,
        "laos": laos,
        "hidden": hidden,
        "district": district,
        "village": village,
        "source": source,
    }


def pair(unit, partner, kind, established_on=None, state=PUBLISHED, **fields):
    return Partnership.objects.create(
        local_unit=unit, partner=partner, kind=kind, established_on=established_on, **state, **fields
    )


def counterpart(n, places):
    """A published village under Guangxi: pairs of one unit, one kind, many counterparts."""
    return Partner.objects.create(
        name=f"Bản {n:02d}", kind=PartnerKind.VILLAGE, country="CN", parent=places["guangxi"], **PUBLISHED
    )


def figure(indicator, value, end, places, start=None, partner=None, state=PUBLISHED, **fields):
    return ReportedFigure.objects.create(
        indicator=indicator,
        value=Decimal(value),
        unit=Unit.COUNT,
        period_start=start,
        period_end=end,
        scope=places["district"],
        partner=partner,
        source=places["source"],
        excerpt="Đã ký 7 thỏa thuận.",
        **state,
        **fields,
    )


@pytest.fixture
def pairs(places):
    return {
        "county": pair(
            places["district"],
            places["ningming"],
            PartnershipKind.DISTRICT_PAIR,
            dt.date(2015, 3, 4),
            note="Kết nghĩa hữu nghị biên giới",
        ),
        "region": pair(places["village"], places["guangxi"], PartnershipKind.VILLAGE_PAIR, dt.date(2018, 1, 1)),
        "laos": pair(places["village"], places["laos"], PartnershipKind.SISTER_CITY, dt.date(2020, 6, 1)),
        "internal": pair(places["district"], places["laos"], PartnershipKind.OTHER, dt.date(2021, 1, 1), INTERNAL),
        # Published itself, but its counterpart is not: a visitor does not see the pair.
        "hidden_side": pair(places["district"], places["hidden"], PartnershipKind.BORDER_POST_PAIR),
    }


@pytest.fixture
def figures(places):
    return {
        "q1": figure(
            Indicator.AGREEMENTS_SIGNED, "7", dt.date(2024, 3, 31), places, dt.date(2024, 1, 1), places["guangxi"]
        ),
        "year": figure(Indicator.OUTBOUND_DELEGATIONS, "12", dt.date(2023, 12, 31), places, dt.date(2023, 1, 1)),
        "as_of": figure(Indicator.TWINNING_VILLAGE_PAIRS, "5", dt.date(2012, 6, 30), places, None, places["ningming"]),
        "internal": figure(Indicator.INBOUND_DELEGATIONS, "3", dt.date(2024, 2, 1), places, state=INTERNAL),
        "draft": figure(Indicator.ODA_PROJECTS, "2", dt.date(2024, 2, 1), places, state={}),
    }


def listed(client, app, params=None, prefix=""):
    response = client.get(prefix + reverse(f"{app}:list"), params or {})
    assert response.status_code == 200
    return {row.pk for row in response.context["object_list"]}


def exported(client, app, file_format, params=None, prefix=""):
    """The record numbers of the export's rows."""
    response = client.get(prefix + reverse(f"{app}:export_{file_format}"), params or {})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        rows = export_rows(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0])
    assert rows[0][0] == "Số hồ sơ"
    return {int(row[0]) for row in rows[1:]}


def pks(records, *names):
    return {records[name].pk for name in names}


# --- what each reader sees ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_visitor_sees_only_the_published_pairs_with_both_sides_published(client, pairs, file_format):
    visible = pks(pairs, "county", "region", "laos")
    assert listed(client, "twinnings") == visible
    assert exported(client, "twinnings", file_format) == visible
    page = client.get(reverse("twinnings:list")).content.decode()
    assert "3 cặp kết nghĩa" in page
    assert "Đối tác chưa công bố" not in page


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_visitor_sees_only_the_published_figures_with_their_source(client, figures, file_format):
    visible = pks(figures, "q1", "year", "as_of")
    assert listed(client, "figures") == visible
    assert exported(client, "figures", file_format) == visible
    figures["q1"].source.__class__.objects.filter(pk=figures["q1"].source_id).update(is_public=False)
    assert listed(client, "figures") == set()  # a figure rests on its source: none without it


def test_an_official_sees_the_internal_rows_too(official_client, pairs, figures):
    assert listed(official_client, "twinnings") == pks(pairs, *pairs)
    assert listed(official_client, "figures") == pks(figures, *figures)
    assert exported(official_client, "figures", "xlsx") == pks(figures, *figures)


@pytest.fixture
def other_province(places):
    """A second office ("04") with a published pair and figure of its own."""
    profile = OfficeProfile(**services.defaults_for(services.find_province(OTHER)))
    profile.full_clean()
    profile.save()
    unit = LocalUnit.objects.create(name="Huyện Bên Kia", kind=LocalUnitKind.DISTRICT, province_id=OTHER, **PUBLISHED)
    their_pair = pair(unit, places["guangxi"], PartnershipKind.DISTRICT_PAIR, dt.date(2016, 1, 1), province_id=OTHER)
    their_figure = ReportedFigure.objects.create(
        indicator=Indicator.AGREEMENTS_SIGNED,
        value=1,
        unit=Unit.COUNT,
        period_end=dt.date(2024, 1, 1),
        scope=unit,
        source=places["source"],
        excerpt="Đã ký 7 thỏa thuận.",
        province_id=OTHER,
        **PUBLISHED,
    )
    return {"pair": their_pair, "figure": their_figure}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_each_province_prefix_shows_that_provinces_published_rows_only(
    client, pairs, figures, other_province, file_format
):
    ours = f"/p/{HOME}"
    theirs = f"/p/{OTHER}"
    assert listed(client, "twinnings", prefix=ours) == pks(pairs, "county", "region", "laos")
    assert listed(client, "twinnings", prefix=theirs) == {other_province["pair"].pk}
    assert exported(client, "twinnings", file_format, prefix=theirs) == {other_province["pair"].pk}
    assert listed(client, "figures", prefix=ours) == pks(figures, "q1", "year", "as_of")
    assert exported(client, "figures", file_format, prefix=theirs) == {other_province["figure"].pk}


def test_an_official_reads_their_own_provinces_rows_and_anothers_as_a_visitor(pairs, figures, other_province):
    user = make_user("home-official", "official")
    StaffProfile.objects.create(user=user, province_id=HOME)
    client = Client()
    client.force_login(user)
    assert listed(client, "twinnings") == pks(pairs, *pairs)
    assert listed(client, "figures") == pks(figures, *figures)
    assert listed(client, "twinnings", prefix=f"/p/{OTHER}") == {other_province["pair"].pk}
    assert exported(client, "figures", "csv", prefix=f"/p/{OTHER}") == {other_province["figure"].pk}


# --- filters and sorting --------------------------------------------------------------------------------------------

PAIR_FILTERS = [
    ({"kind": PartnershipKind.VILLAGE_PAIR}, ["region"]),
    ({"partner": "guangxi"}, ["county", "region"]),  # the county under Guangxi too
    ({"country": "LA"}, ["laos", "internal"]),
    ({"year": "2015"}, ["county"]),
    ({"start": "2018", "end": "06/2020"}, ["region", "laos"]),
    ({"q": "hữu nghị biên giới"}, ["county"]),
    ({"q": "huu nghi bien gioi"}, ["county"]),  # accents aside
    ({"q": "Hữu Nghị"}, ["county", "region", "laos"]),  # the words of our unit too
    ({"local_unit": "village"}, ["region", "laos"]),
    ({"published": "internal"}, ["internal"]),
    ({"kind": "no-such-kind"}, ["county", "region", "laos", "internal", "hidden_side"]),  # ignored, and said
]


@pytest.mark.parametrize(("params", "expected"), PAIR_FILTERS)
def test_the_pair_filters_select_their_rows_in_the_list_and_the_export(
    official_client, places, pairs, params, expected
):
    params = {key: places[value].pk if value in places else value for key, value in params.items()}
    assert listed(official_client, "twinnings", params) == pks(pairs, *expected)
    assert exported(official_client, "twinnings", "xlsx", params) == pks(pairs, *expected)


FIGURE_FILTERS = [
    ({"indicator": Indicator.AGREEMENTS_SIGNED}, ["q1"]),
    ({"year": "2024"}, ["q1", "internal", "draft"]),
    ({"year": "Quý IV/2023"}, ["year"]),  # the year 2023 meets its last quarter
    ({"start": "2023", "end": "2023"}, ["year"]),
    ({"end": "2012"}, ["as_of"]),  # an "as of" figure is dated by its end
    ({"partner": "guangxi"}, ["q1", "as_of"]),
    ({"country": "CN"}, ["q1", "as_of"]),
    ({"scope": "village"}, []),
    ({"review_state": ReviewState.DRAFT}, ["draft"]),
]


@pytest.mark.parametrize(("params", "expected"), FIGURE_FILTERS)
def test_the_figure_filters_select_their_rows_in_the_list_and_the_export(
    official_client, places, figures, params, expected
):
    params = {key: places[value].pk if value in places else value for key, value in params.items()}
    assert listed(official_client, "figures", params) == pks(figures, *expected)
    assert exported(official_client, "figures", "csv", params) == pks(figures, *expected)


def test_a_visitor_is_not_offered_the_publication_filters_and_they_do_nothing(client, pairs):
    response = client.get(reverse("twinnings:list"), {"published": "internal"})
    assert "published" not in response.context["filter"].form.fields
    assert {row.pk for row in response.context["object_list"]} == pks(pairs, "county", "region", "laos")


def test_the_lists_sort_newest_first_undated_last_and_by_the_chosen_order(official_client, pairs, figures):
    rows = official_client.get(reverse("twinnings:list")).context["object_list"]
    assert [row.pk for row in rows] == [pairs[name].pk for name in ("internal", "laos", "region", "county")] + [
        pairs["hidden_side"].pk
    ]
    rows = official_client.get(reverse("twinnings:list"), {"sort": "established"}).context["object_list"]
    assert [row.pk for row in rows][:2] == [pairs["county"].pk, pairs["region"].pk]
    rows = official_client.get(reverse("figures:list"), {"sort": "period"}).context["object_list"]
    assert rows[0].pk == figures["as_of"].pk
    assert exported(official_client, "figures", "csv", {"sort": "period"}) == pks(figures, *figures)


def test_the_lists_paginate_like_the_others(client, places):
    for n in range(30):
        pair(places["district"], counterpart(n, places), PartnershipKind.OTHER, dt.date(2000 + n, 1, 1))
    first = client.get(reverse("twinnings:list"))
    assert len(first.context["object_list"]) == 25 and first.context["page_obj"].has_next()
    second = client.get(reverse("twinnings:list"), {"page": 2})
    assert len(second.context["object_list"]) == 5


# --- the pages ------------------------------------------------------------------------------------------------------


def test_the_navigation_links_both_lists_and_marks_the_one_shown(client, pairs):
    html = client.get(reverse("twinnings:list")).content.decode()
    assert f'href="{reverse("twinnings:list")}" aria-current="page"' in html
    assert f'href="{reverse("figures:list")}" ' in html
    assert f'href="{reverse("agreements:list")}" aria-current' not in html


def test_a_pair_links_its_partners_dossier_and_staff_get_the_admin_form(staff_client, pairs):
    county = pairs["county"]
    html = Client().get(reverse("twinnings:list")).content.decode()
    assert f'href="{county.partner.get_absolute_url()}"' in html
    assert "/admin/agreements/" not in html
    html = staff_client.get(reverse("twinnings:list")).content.decode()
    assert f'href="{reverse("admin:agreements_partnership_change", args=[county.pk])}"' in html


def test_a_figure_shows_its_value_qualifier_unit_period_and_source(staff_client, figures):
    ReportedFigure.objects.filter(pk=figures["q1"].pk).update(qualifier="over", value=Decimal("1234"))
    html = Client().get(reverse("figures:list")).content.decode()
    assert "1.234" in html and "trên" in html
    assert "01/01/2024 – 31/03/2024" in html
    assert "Báo cáo tổng kết" in html and "Đã ký 7 thỏa thuận." in html
    assert "/admin/sources/" not in html
    html = staff_client.get(reverse("figures:list")).content.decode()
    assert reverse("admin:sources_reportedfigure_change", args=[figures["q1"].pk]) in html


def test_the_lists_say_when_nothing_matches(client, pairs, figures):
    assert "Không có cặp kết nghĩa nào khớp" in client.get(reverse("twinnings:list"), {"year": "1990"}).text
    assert "Không có số liệu nào khớp" in client.get(reverse("figures:list"), {"year": "1990"}).text


# --- queries --------------------------------------------------------------------------------------------------------


def test_a_visitors_pair_list_runs_a_fixed_number_of_queries(client, places, pairs, django_assert_num_queries):
    for n in range(20):
        pair(places["village"], counterpart(n, places), PartnershipKind.OTHER, dt.date(2000 + n, 1, 1))
    # 1 the country choices, 2 the count, 3 the page's rows (both sides and the agreement joined),
    # 4 the partners of the picker, 5 the local units of the picker
    with django_assert_num_queries(5):
        client.get(reverse("twinnings:list"))


def test_a_visitors_figure_list_runs_a_fixed_number_of_queries(client, places, figures, django_assert_num_queries):
    for n in range(20):
        figure(Indicator.OTHER, str(n), dt.date(2000 + n, 12, 31), places)
    # 1 the country choices, 2 the count, 3 the page's rows (scope, partner and source joined),
    # 4 the local units of the picker, 5 the partners of the picker
    with django_assert_num_queries(5):
        client.get(reverse("figures:list"))


# --- the export comes back ------------------------------------------------------------------------------------------


def test_the_pair_export_imported_back_unchanged_changes_nothing(staff_client, pairs):
    """The twinning export is the twinning import's layout: title rows and all, it reads back as it was."""
    from agreements.resources import PartnershipResource
    from tests.import_files import download
    from tests.test_imports import run

    before = sorted(Partnership.objects.values_list("pk", "local_unit", "partner", "kind", "established_on", "note"))
    data = download(staff_client, reverse("twinnings:export_xlsx"))
    result = run(PartnershipResource(), data, "xlsx")
    assert not result.has_errors() and not result.has_validation_errors(), result.problems()
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, len(pairs))
    after = sorted(Partnership.objects.values_list("pk", "local_unit", "partner", "kind", "established_on", "note"))
    assert after == before


@pytest.mark.parametrize("app", ["twinnings", "figures"])
def test_a_filtered_xlsx_export_runs_a_fixed_number_of_queries(
    client, places, pairs, figures, app, django_assert_num_queries
):
    from tests.test_exports import CURSOR_PLANNING

    for n in range(20):
        pair(places["village"], counterpart(n, places), PartnershipKind.OTHER, dt.date(2000 + n, 1, 1))
        figure(Indicator.OTHER, str(n), dt.date(2000 + n, 12, 31), places, partner=places["ningming"])
    # 1 the country choices, 2 the chosen partner (validated by the form; its name in the title rows),
    # 3 the rows, their related records' names joined (no query per row, nor per related record)
    # + on PostgreSQL, the SET and RESET that plan the rows' cursor
    with django_assert_num_queries(3 + CURSOR_PLANNING):
        response = client.get(reverse(f"{app}:export_xlsx"), {"partner": places["guangxi"].pk})
        rows = export_rows(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0])
    # The header and the 20 added rows under Guangxi, with the fixture's two published ones under it.
    assert len(rows) == 1 + 20 + 2


def test_an_export_under_a_provinces_prefix_names_that_provinces_office(client, pairs, other_province):
    theirs = OfficeProfile.objects.get(province_code=OTHER)
    response = client.get(f"/p/{OTHER}" + reverse("twinnings:export_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert sheet.cell(row=4, column=1).value == theirs.office_name
    assert [row[0] for row in export_rows(sheet)[1:]] == [other_province["pair"].pk]
