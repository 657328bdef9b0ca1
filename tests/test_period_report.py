"""The period report: the office's tables for any period, and the reported
figures set against what the register holds, over what the viewer may see."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from agreements.models import Agreement, AgreementStatus, Partnership, PartnershipKind, SigningLevel
from delegations.models import Delegation, Direction
from partners.models import LocalUnit, Partner
from projects.models import Currency, Project, ProjectKind, Transaction, TransactionKind
from register.publishable import ReviewState
from sources.models import Indicator, ReportedFigure, Source, Unit
from tests.conftest import english, readable_text

URL = reverse("reports:period")
TERM = {"start": "2021-01-01", "end": "2024-03-31"}
PUBLISHED = {"is_public": True, "review_state": ReviewState.APPROVED}
# Approved but not marked public: an official's report counts it, a visitor's does not.
INTERNAL = {"is_public": False, "review_state": ReviewState.APPROVED}
DRAFT = {"is_public": False, "review_state": ReviewState.DRAFT}


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Tests run with DEBUG off but without collectstatic: the manifest storage
    # would fail on {% static %}.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- Small factories -------------------------------------------------------------------------------------------


def partner(name_en):
    return Partner.objects.get(name_en=name_en)


def unit(name):
    return LocalUnit.objects.get(name=name)


def delegation(direction, start, size=None, partners=(), published=True, host=None, title=None):
    record = Delegation.objects.create(
        direction=direction,
        title=title or f"{direction} delegation of {start}",
        start_date=dt.date.fromisoformat(start),
        size=size,
        host_unit=host,
        **(PUBLISHED if published else INTERNAL),
    )
    record.partners.set(partners)
    return record


def agreement(title, signed_on=None, partners=(), published=True, **fields):
    record = Agreement.objects.create(
        title=title,
        kind="mou",
        signed_on=signed_on and dt.date.fromisoformat(signed_on),
        **fields,
        **(PUBLISHED if published else INTERNAL),
    )
    record.partners.set(partners)
    return record


def project(kind, title, start=None, end=None, published=True, **fields):
    return Project.objects.create(
        kind=kind,
        title=title,
        actual_start=start and dt.date.fromisoformat(start),
        actual_end=end and dt.date.fromisoformat(end),
        **fields,
        **(PUBLISHED if published else INTERNAL),
    )


def report(client, **params):
    headers = {"HTTP_ACCEPT_LANGUAGE": params.pop("HTTP_ACCEPT_LANGUAGE")} if "HTTP_ACCEPT_LANGUAGE" in params else {}
    response = client.get(URL, params, **headers)
    assert response.status_code == 200
    return response


def text_of(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def row_cells(response, marker, *, heading=False):
    """The cells' text of the one table row that contains ``marker`` (with
    ``heading``: whose first cell is ``marker``)."""
    rows = []
    for html in re.findall(r"<tr[^>]*>(.*?)</tr>", response.content.decode(), re.S):
        cells = [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html, re.S)]
        if (cells and cells[0] == marker) if heading else marker in unescape(html):
            rows.append(cells)
    assert len(rows) == 1, f"{len(rows)} rows contain {marker!r}"
    return rows[0]


def the_2021_q1_2024_delegations():
    """Three outbound delegations (5, 7 and no size; the last one unpublished) and
    one published inbound delegation of 4 persons, inside 01/01/2021–31/03/2024."""
    china = partner("China")
    delegation(Direction.OUTBOUND, "2021-03-02", 5, [china])
    delegation(Direction.OUTBOUND, "2023-11-20", 7, [china])
    delegation(Direction.OUTBOUND, "2022-06-01", None, [china], published=False)
    delegation(Direction.INBOUND, "2024-03-31", 4, [partner("Pingxiang")])
    # Outside the period: not counted.
    delegation(Direction.OUTBOUND, "2024-04-01", 9, [china])
    delegation(Direction.OUTBOUND, "2020-12-31", 9, [china])


# --- The reconciliation ----------------------------------------------------------------------------------------


def test_a_visitor_sees_62_510_165_883_beside_the_published_records_and_the_differences(client, seeded):
    the_2021_q1_2024_delegations()
    response = report(client, **TERM)

    # indicator, period, reported, register, difference, coverage, source
    outbound = row_cells(response, "tỉnh đã cử 62 đoàn")
    assert outbound[2].endswith(" 62")
    assert outbound[3:6] == ["2", "-60", "3,2 %"]
    persons = row_cells(response, "510 lượt cán bộ")
    assert persons[2].endswith(" 510")
    assert persons[3:6] == ["12", "-498", "2,4 %"]
    inbound = row_cells(response, "với 165 đoàn")
    assert inbound[2].endswith(" 165")
    assert inbound[3:5] == ["1", "-164"]
    inbound_persons = row_cells(response, "883 lượt người nước ngoài")
    assert inbound_persons[2].endswith(" 883")
    assert inbound_persons[3:5] == ["4", "-879"]
    assert "Đoàn công tác Bộ Ngoại giao làm việc tại tỉnh Lạng Sơn" in outbound[6]


def test_an_official_counts_the_unpublished_delegation_too(official_client, seeded):
    the_2021_q1_2024_delegations()
    response = report(official_client, **TERM)

    assert row_cells(response, "tỉnh đã cử 62 đoàn")[3:5] == ["3", "-59"]
    assert row_cells(response, "510 lượt cán bộ")[3:5] == ["12", "-498"]
    assert response.context["report"]["outbound"]["no_size"] == 1


def test_the_qualifier_stands_next_to_the_reported_value(client, seeded):
    response = report(english(client), **TERM)

    assert row_cells(response, "cử gần 20 đoàn")[2] == "nearly (gần) 20"
    assert row_cells(response, "tỉnh đã cử 62 đoàn")[2] == "exactly 62"


def test_a_district_figure_counts_the_records_of_that_district_and_the_units_under_it(client, seeded):
    # Cao Lộc: "gần 20 đoàn" to China, as of 28/01/2022 (no start: everything up to then).
    dong_dang = unit("Thị trấn Đồng Đăng")  # under Huyện Cao Lộc
    delegation(Direction.OUTBOUND, "2019-05-01", 6, [partner("Pingxiang")], host=dong_dang)
    delegation(Direction.OUTBOUND, "2021-05-01", 3, [partner("China")], host=unit("Huyện Cao Lộc"))
    delegation(Direction.OUTBOUND, "2021-06-01", 8, [partner("China")], host=unit("UBND tỉnh Lạng Sơn"))
    delegation(Direction.OUTBOUND, "2021-07-01", 2, [partner("Laos")], host=dong_dang)
    delegation(Direction.OUTBOUND, "2022-02-01", 2, [partner("China")], host=dong_dang)

    response = report(client, **TERM)

    assert row_cells(response, "cử gần 20 đoàn")[3:5] == ["2", "-18"]
    assert row_cells(response, "hơn 1.000 lượt cán bộ")[3:5] == ["9", "-991"]


def test_aid_value_adds_the_transactions_received_in_the_district(client, seeded):
    # The World Bank's in-kind aid to Cao Lộc's health centre: 84.248.000 + 222.506.000.
    source = Source.objects.get(title__startswith="Huyện Cao Lộc")
    ReportedFigure.objects.create(
        **PUBLISHED,
        indicator=Indicator.AID_VALUE,
        value=300_000_000,
        unit=Unit.VND,
        period_start=dt.date(2010, 1, 1),
        period_end=dt.date(2011, 12, 31),
        scope=LocalUnit.objects.get(name="Huyện Cao Lộc"),
        source=source,
        excerpt="năm 2011 là 222.506.000 đồng",
    )

    cells = row_cells(report(client, start="2010-01-01", end="2011-12-31"), "năm 2011 là 222.506.000 đồng")

    assert cells[2].endswith("300.000.000 ₫")
    assert cells[3:5] == ["306.754.000 ₫", "+6.754.000 ₫"]


def test_aid_from_ngos_and_individuals_is_not_set_against_project_transactions(client, seeded):
    cells = row_cells(report(client, **TERM), "Tổng số viện trợ là 134.525.000 đồng")

    assert cells[2].endswith("134.525.000 ₫")
    assert cells[3].startswith("—")


def test_capital_figures_sum_the_commitments_in_the_figures_unit(client, seeded):
    project(ProjectKind.FDI, "Nhà máy A", "2010-01-01", "2015-12-31", committed_amount=10_000_000, currency="USD")
    project(ProjectKind.FDI, "Nhà máy B", "2013-01-01", committed_amount=5_000_000, currency="USD")
    project(ProjectKind.FDI, "Nhà máy C", "2011-01-01", committed_amount=1_000_000_000, currency="VND")
    project(ProjectKind.ODA, "Đường tỉnh", "2011-01-01", "2014-01-01", committed_amount=300_000_000_000)
    project(ProjectKind.LOAN, "Vay ưu đãi", "2012-06-01", committed_amount=500_000_000_000)

    response = report(client, preset="year", year="2012")

    assert row_cells(response, "28 dự án có vốn đầu tư nước ngoài")[3] == "2"
    assert row_cells(response, "tổng vốn đăng ký 224,5 triệu USD")[3:5] == ["10.000.000 USD", "-214.500.000 USD"]
    # The Global Fund project (since 2008, no end, no value) is under way too.
    assert row_cells(response, "22 dự án ODA được triển khai")[3] == "3"
    assert row_cells(response, "tổng vốn đầu tư trên 700 tỷ đồng")[3:5] == ["800.000.000.000 ₫", "+100.000.000.000 ₫"]


def test_twinning_figures_count_the_pairs_established_by_their_date(client, seeded):
    village = Partner.objects.create(
        **PUBLISHED, name="Bản A", kind="village", country="CN", parent=partner("Pingxiang")
    )
    pair = {"partner": village, "kind": PartnershipKind.VILLAGE_PAIR, **PUBLISHED}
    Partnership.objects.create(local_unit=unit("UBND tỉnh Lạng Sơn"), established_on="2018-01-01", **pair)
    Partnership.objects.create(local_unit=unit("Pác Sắn"), established_on="2021-01-01", **pair)

    response = report(client, preset="year", year="2020")

    assert row_cells(response, "có 12 cặp thôn bản biên giới")[3:5] == ["1", "-11"]
    twinning = response.context["report"]["twinning"]
    village = next(row for row in twinning["rows"] if row["label"] == PartnershipKind.VILLAGE_PAIR.label)
    assert (village["established"], village["new"]) == (1, 0)
    later = report(client, preset="year", year="2021").context["report"]["twinning"]
    assert (later["total"]["established"], later["total"]["new"]) == (2, 1)


def test_undated_figures_are_listed_apart_and_figures_with_no_date_at_all_are_not(client, seeded):
    response = report(client, **TERM)
    page = response.content.decode()

    undated = [row.figure.excerpt for row in response.context["report"]["undated_figures"]]
    assert any("tổng cộng 7 thỏa thuận quốc tế" in excerpt for excerpt in undated)
    assert not any("tổng cộng 7 thỏa thuận" in row.figure.excerpt for row in response.context["report"]["figures"])
    assert "55 dự án phi chính phủ" not in page  # no start, no end: no place in any period
    assert "hơn 1.000 lượt" in page  # "as of 28/01/2022" overlaps 2021
    assert "Từ năm 2008 đến năm 2012, đã có gần 400 đoàn" not in page  # 2008–2012 does not


def test_a_figure_the_register_cannot_compute_shows_a_dash_and_no_difference(client, seeded):
    cells = row_cells(report(english(client), **TERM), "241 suất quà")

    assert cells[3] == "— not computed from records"
    assert cells[4:6] == ["—", "—"]


def test_a_figure_limited_to_a_partner_counts_that_partner_and_the_localities_under_it(client, seeded):
    source = Source.objects.create(**PUBLISHED, title="Báo cáo thử", published_on=dt.date(2024, 4, 1))
    ReportedFigure.objects.create(
        **PUBLISHED,
        indicator=Indicator.OUTBOUND_DELEGATIONS,
        value=10,
        unit=Unit.COUNT,
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2024, 3, 31),
        scope=unit("UBND tỉnh Lạng Sơn"),
        partner=partner("Guangxi Zhuang Autonomous Region"),
        source=source,
        excerpt="10 đoàn sang Quảng Tây",
    )
    delegation(Direction.OUTBOUND, "2022-01-01", 5, [partner("Pingxiang")])
    delegation(Direction.OUTBOUND, "2022-02-01", 5, [partner("Guangxi Zhuang Autonomous Region")])
    delegation(Direction.OUTBOUND, "2022-03-01", 5, [partner("Japan")])

    assert row_cells(report(client, **TERM), "10 đoàn sang Quảng Tây")[3:5] == ["2", "-8"]


# --- The report's tables ---------------------------------------------------------------------------------------


def test_delegations_count_once_under_each_partner_country_and_once_in_the_total(client, seeded):
    china, laos = partner("China"), partner("Laos")
    delegation(Direction.OUTBOUND, "2022-01-10", 10, [partner("Pingxiang")])
    delegation(Direction.OUTBOUND, "2022-02-10", 6, [partner("Guangxi Zhuang Autonomous Region"), partner("Pingxiang")])
    delegation(Direction.OUTBOUND, "2022-03-10", 4, [china, laos])
    delegation(Direction.OUTBOUND, "2022-04-10", None, [partner("World Bank")])
    delegation(Direction.INBOUND, "2022-05-10", 3, [laos])

    response = report(client, **TERM)

    outbound = response.context["report"]["outbound"]
    rows = {str(row["label"]): (row["delegations"], row["persons"], row["no_size"]) for row in outbound["rows"]}
    assert rows["Trung Quốc"] == (3, 20, 0)
    assert rows["Lào"] == (1, 4, 0)
    # The World Bank has no country: "Not recorded" (Không xác định), last.
    assert outbound["rows"][-1]["unknown"]
    assert rows[str(outbound["rows"][-1]["label"])] == (1, 0, 1)
    assert (outbound["delegations"], outbound["persons"], outbound["no_size"]) == (4, 20, 1)
    assert row_cells(response, "Trung Quốc", heading=True)[:4] == ["Trung Quốc", "3", "20", "0"]
    inbound = response.context["report"]["inbound"]
    assert [(str(r["label"]), r["delegations"], r["persons"]) for r in inbound["rows"]] == [("Lào", 1, 3)]


def test_domestic_working_visits_are_counted_and_listed(client, seeded):
    response = report(client, **TERM)

    assert response.context["report"]["domestic"]["count"] == 1
    assert "Tổng Bí thư Nguyễn Phú Trọng thăm và làm việc tại tỉnh Lạng Sơn" in response.content.decode()
    # The Minister's visit of 03/04/2024 falls just after the period.
    assert "Bộ trưởng Bùi Thanh Sơn" not in response.content.decode()


def test_agreements_signed_in_the_period_by_partner_and_level_and_in_force_at_its_end(client, seeded, official):
    guangxi, pingxiang = partner("Guangxi Zhuang Autonomous Region"), partner("Pingxiang")
    level = {"signing_level": SigningLevel.PROVINCIAL_COMMITTEE}
    agreement("Thỏa thuận 2022", "2022-05-10", [guangxi], **level)
    agreement("Biên bản 2023", "2023-09-01", [guangxi, pingxiang], signing_level=SigningLevel.DISTRICT)
    agreement("Ghi nhớ 2019", "2019-03-01", [guangxi], expires_on=dt.date(2030, 1, 1), **level)
    agreement("Hết hạn 2023", "2018-03-01", [guangxi], expires_on=dt.date(2023, 12, 31), **level)
    agreement("Chấm dứt", "2018-03-01", [guangxi], status=AgreementStatus.TERMINATED, **level)
    agreement("Nội bộ 2022", "2022-07-01", [pingxiang], published=False, **level)

    response = report(client, **TERM)

    agreements = response.context["report"]["agreements"]
    assert (agreements["signed"], agreements["in_force"]) == (2, 3)
    assert {row["partner__name"]: row["agreements"] for row in agreements["by_partner"]} == {
        guangxi.name: 2,
        pingxiang.name: 1,
    }
    assert {str(row["label"]): row["agreements"] for row in agreements["by_level"]} == {
        str(SigningLevel.PROVINCIAL_COMMITTEE.label): 1,
        str(SigningLevel.DISTRICT.label): 1,
    }
    assert [a.title for a in agreements["list"]] == ["Thỏa thuận 2022", "Biên bản 2023"]
    # The Cao Lộc–Bằng Tường MoU has no date: not shown to be in force, but said so.
    assert agreements["in_force_undated"] == 1
    client.force_login(official)
    assert report(client, **TERM).context["report"]["agreements"]["signed"] == 3


def test_projects_by_kind_count_active_new_committed_and_disbursed(client, seeded):
    project(ProjectKind.FDI, "Nhà máy", "2022-03-01", committed_amount=2_000_000, currency=Currency.USD)
    project(ProjectKind.FDI, "Khu nghỉ dưỡng", "2015-01-01", "2020-12-31", committed_amount=9_000_000_000)
    ngo = project(ProjectKind.NGO, "Nước sạch", planned_start=dt.date(2021, 5, 1), committed_amount=1_500_000_000)
    Transaction.objects.create(project=ngo, kind=TransactionKind.DISBURSEMENT, date="2021-06-01", amount=500_000_000)
    Transaction.objects.create(project=ngo, kind=TransactionKind.COMMITMENT, date="2021-06-01", amount=900_000_000)
    project(ProjectKind.NGO, "Nội bộ", "2021-01-01", committed_amount=7_000_000_000, published=False)

    response = report(client, **TERM)

    rows = {str(row["label"]): row for row in response.context["report"]["projects"]["rows"]}
    fdi, ngo_row = rows[str(ProjectKind.FDI.label)], rows[str(ProjectKind.NGO.label)]
    assert (fdi["active"], fdi["new"], fdi["committed_usd"]) == (1, 1, Decimal("2000000"))
    assert (ngo_row["active"], ngo_row["new"], ngo_row["committed_vnd"]) == (1, 1, Decimal("1500000000"))
    assert ngo_row["disbursed"] == Decimal("500000000")
    assert row_cells(response, str(ProjectKind.NGO.label), heading=True)[1:] == [
        "1",
        "1",
        "1.500.000.000 ₫",
        "0 USD",
        "500.000.000 ₫",
    ]


@pytest.mark.parametrize(("year", "amount"), [("2010", "84.248.000 ₫"), ("2011", "222.506.000 ₫")])
def test_the_world_bank_in_kind_aid_is_disbursed_in_its_year(client, seeded, year, amount):
    response = report(client, preset="year", year=year)

    oda = row_cells(response, str(ProjectKind.ODA.label), heading=True)
    assert oda[-1] == amount
    assert response.context["report"]["projects"]["total"]["disbursed"] == Decimal(amount[:-2].replace(".", ""))


# --- Visibility -------------------------------------------------------------------------------------------------


def test_an_unpublished_delegation_never_appears_to_a_visitor_and_does_to_an_official(client, seeded, official):
    title = "Đoàn nội bộ Zqx-4471 làm việc tại tỉnh"
    delegation(Direction.DOMESTIC, "2022-05-05", 3, title=title, published=False)
    delegation(Direction.OUTBOUND, "2022-05-06", 11, [partner("Japan")], published=False)

    seen = report(client, **TERM)
    assert title not in seen.content.decode()
    assert seen.context["report"]["domestic"]["count"] == 1
    assert seen.context["report"]["outbound"]["delegations"] == 0
    assert "Nhật Bản" not in [str(row["label"]) for row in seen.context["report"]["outbound"]["rows"]]

    client.force_login(official)
    seen = report(client, **TERM)
    assert title in seen.content.decode()
    assert seen.context["report"]["domestic"]["count"] == 2
    assert row_cells(seen, "Nhật Bản", heading=True)[:3] == ["Nhật Bản", "1", "11"]


# --- Periods ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "start", "end"),
    [
        ({"preset": "quarter", "year": "2024", "quarter": "1"}, "2024-01-01", "2024-03-31"),
        ({"preset": "quarter", "year": "2023", "quarter": "4"}, "2023-10-01", "2023-12-31"),
        ({"preset": "month", "year": "2024", "month": "2"}, "2024-02-01", "2024-02-29"),
        ({"preset": "first_half", "year": "2017"}, "2017-01-01", "2017-06-30"),
        ({"preset": "second_half", "year": "2017"}, "2017-07-01", "2017-12-31"),
        ({"preset": "year", "year": "2023"}, "2023-01-01", "2023-12-31"),
        ({"preset": "term_2020_2025"}, "2020-01-01", "2025-12-31"),
        ({"preset": "term_2025_2030"}, "2025-01-01", "2030-12-31"),
        ({"start": "2021-01-01", "end": "2024-03-31"}, "2021-01-01", "2024-03-31"),
        ({"preset": "custom", "start": "01/01/2021", "end": "31/03/2024"}, "2021-01-01", "2024-03-31"),
    ],
)
def test_presets_and_dates_give_the_period(client, db, params, start, end):
    response = report(client, **params)

    assert (response.context["start"], response.context["end"]) == (
        dt.date.fromisoformat(start),
        dt.date.fromisoformat(end),
    )
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    assert f"{first:%d/%m/%Y}" in text_of(re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S)[1])
    assert f"{last:%d/%m/%Y}" in response.content.decode()


def test_the_title_states_the_period_in_words(client, db):
    response = report(english(client), preset="quarter", year="2024", quarter="1")

    assert "<h1>From 01/01/2024 to 31/03/2024</h1>" in response.content.decode()
    assert "Quarter I/2024" in response.content.decode()


def test_without_parameters_the_report_covers_the_current_year(client, db):
    from django.utils import timezone

    year = timezone.localdate().year
    response = report(client)

    assert (response.context["start"], response.context["end"]) == (dt.date(year, 1, 1), dt.date(year, 12, 31))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2024-03-31", "end": "2021-01-01"}, "is before its start"),
        ({"start": "2024-13-45", "end": "2024-12-31"}, "From: “2024-13-45”: there is no month 13"),
        ({"start": "2024-01-01", "end": "tomorrow"}, "To: “tomorrow” is not a date or a period"),
        ({"preset": "fortnight"}, "“fortnight” is not one of the periods offered"),
        ({"start": "1900-01-01", "end": "2024-12-31"}, "at most 100 years"),
        ({"preset": "quarter", "year": "2024"}, "Choose the quarter"),
        ({"preset": "year", "year": "20244"}, "Year:"),
        ({"start": "2024-01-01"}, "Enter both dates"),
    ],
)
def test_invalid_input_gets_a_clear_message_and_the_form(client, db, params, message):
    response = report(english(client), **params)
    page = response.content.decode()

    assert message in unescape(page)
    assert 'role="alert"' in page
    assert 'name="preset"' in page and 'name="start"' in page
    assert response.context.get("report") is None


@pytest.mark.parametrize(
    ("start", "end"), [("9999-12-31", "9999-12-31"), ("0001-01-01", "0001-01-01"), ("1925-01-01", "2024-12-31")]
)
def test_dates_at_the_edges_of_the_calendar_still_give_a_report(client, db, start, end):
    assert report(client, start=start, end=end).context["report"] is not None


# --- Cost ---------------------------------------------------------------------------------------------------------


def test_the_report_runs_a_fixed_number_of_queries(client, seeded, django_assert_num_queries):
    guangxi = partner("Guangxi Zhuang Autonomous Region")
    agreement("Thỏa thuận 2022", "2022-05-10", [guangxi])
    the_2021_q1_2024_delegations()
    source = Source.objects.get(title__startswith="Đoàn công tác Bộ Ngoại giao")
    ReportedFigure.objects.create(
        **PUBLISHED,
        indicator=Indicator.FDI_PROJECTS,
        value=3,
        unit=Unit.COUNT,
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2022, 12, 31),
        scope=unit("Huyện Cao Lộc"),
        source=source,
        excerpt="3 dự án FDI tại Cao Lộc",
    )
    # 1 reported figures (with source, scope, partner); 2 local units (the scopes' tree); 3 delegation totals
    # and countries (the tally), 3b the countries' names, 3c the figures for the whole province with no partner
    # (the tally's rows of every country); 4 the delegation figures limited to a unit or a partner; 5 domestic
    # visits; 6 agreements by signing level (the agreement tally), their sums the totals, with the province's
    # agreement figures; 7 the agreement figures limited to a partner (the fixtures' "7 agreements with
    # Guangxi"...); 8 agreements by partner, those with no partner included; 9 the signed list; 10 its partners
    # (prefetch; skipped by Django when the list is empty); 11 projects by kind (the project tally), their sums
    # the totals (the province's project figures, when there are any, one more query on it: none here); 12 the
    # project figures limited to a unit or a partner; 13 disbursed by kind (the transaction tally) with the
    # province's aid figures; 14 the aid figures limited to a unit or a partner; 15 twinning pairs by kind,
    # their sums the totals, with the twinning figures; 16 the committed amounts and disbursements not converted
    # to đồng, which the totals name; 17 international conferences by kind.
    with django_assert_num_queries(19):
        report(client, **TERM)

    # More rows and more reported figures cost no more queries.
    for i, indicator in enumerate(Indicator.values):
        ReportedFigure.objects.create(
            **PUBLISHED,
            indicator=indicator,
            value=i + 1,
            unit=Unit.USD if "capital" in indicator else Unit.COUNT,
            period_start=dt.date(2022, 1, 1),
            period_end=dt.date(2022, 12, 31),
            scope=unit("Huyện Cao Lộc"),
            partner=guangxi,
            source=source,
            excerpt="tỉnh đã cử 62 đoàn",
        )
    for day in range(1, 20):
        delegation(Direction.INBOUND, f"2023-01-{day:02d}", day, [partner("Laos"), guangxi])
        agreement(f"Thỏa thuận {day}", f"2023-02-{day:02d}", [guangxi])
    with django_assert_num_queries(19):
        report(client, **TERM)


def test_past_the_list_limit_the_page_sums_the_other_partners_in_one_row(client, seeded, monkeypatch):
    from reports import period

    monkeypatch.setattr(period, "LIST_LIMIT", 1)
    guangxi, pingxiang, ningming = (
        partner("Guangxi Zhuang Autonomous Region"),
        partner("Pingxiang"),
        partner("Ningming County"),
    )
    agreement("Thỏa thuận 2022", "2022-05-10", [guangxi, pingxiang])
    agreement("Biên bản 2023", "2023-09-01", [guangxi, ningming])

    response = report(client, **TERM, HTTP_ACCEPT_LANGUAGE="vi")

    by_partner = response.context["report"]["agreements"]["by_partner"]
    assert len(by_partner) == 3  # The downloads still have every partner.
    assert row_cells(response, guangxi.name, heading=True) == [guangxi.name, "2"]
    assert row_cells(response, "2 đối tác khác (bản tải về liệt kê mọi đối tác)", heading=True)[1] == "2"
    assert f'<tr><td>{pingxiang.name}</td><td class="num">' not in response.content.decode()


# --- Reported figures go through review (issue 13) -------------------------------------------------------------


def staff_figure(source, excerpt, **fields):
    """A figure as staff add it: a draft unless ``fields`` say otherwise."""
    return ReportedFigure.objects.create(
        indicator=Indicator.OUTBOUND_DELEGATIONS,
        value=10,
        unit=Unit.COUNT,
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2024, 3, 31),
        scope=unit("UBND tỉnh Lạng Sơn"),
        source=source,
        excerpt=excerpt,
        **fields,
    )


def test_a_figure_staff_just_added_waits_for_publication_before_a_visitor_sees_it(client, official_client, seeded):
    source = Source.objects.filter(is_public=True).first()
    staff_figure(source, "Mười đoàn chưa duyệt")

    assert "Mười đoàn chưa duyệt" not in report(client, **TERM).content.decode()
    # A draft is in an official's report only when asked for, and the report says so.
    assert "Mười đoàn chưa duyệt" not in report(official_client, **TERM).content.decode()
    assert "Mười đoàn chưa duyệt" in report(official_client, **TERM, in_review="1").content.decode()
    ReportedFigure.objects.filter(excerpt="Mười đoàn chưa duyệt").update(**INTERNAL)
    assert "Mười đoàn chưa duyệt" in report(official_client, **TERM).content.decode()
    assert "Mười đoàn chưa duyệt" not in report(client, **TERM).content.decode()
    ReportedFigure.objects.filter(excerpt="Mười đoàn chưa duyệt").update(**PUBLISHED)
    assert "Mười đoàn chưa duyệt" in report(client, **TERM).content.decode()


def test_a_published_figure_quoting_an_unpublished_source_is_left_out_with_its_source(client, seeded):
    draft_source = Source.objects.create(title="Báo cáo nội bộ chưa duyệt", published_on=dt.date(2024, 4, 1))
    staff_figure(draft_source, "Mười đoàn theo báo cáo nội bộ", **PUBLISHED)

    for path in ("", "export.xlsx", "export.docx"):
        text = readable_text(client.get(URL + path, TERM))
        assert "Mười đoàn theo báo cáo nội bộ" not in text, path
        assert "nội bộ chưa duyệt" not in text, path


def test_the_agreements_by_partner_table_has_no_row_for_an_unpublished_partner(client, official_client, seeded):
    draft = Partner.objects.create(name="Đối tác chưa duyệt", kind="town", country="CN")
    agreement("Thoả thuận đã công bố", "2022-05-05", [draft, partner("Pingxiang")])

    visitors = report(client, **TERM)
    by_partner = [row["partner__name"] for row in visitors.context["report"]["agreements"]["by_partner"]]
    assert "Bằng Tường" in by_partner and "Đối tác chưa duyệt" not in by_partner
    assert "chưa duyệt" not in visitors.content.decode()
    officials = report(official_client, **TERM).context["report"]["agreements"]["by_partner"]
    assert "Đối tác chưa duyệt" in [row["partner__name"] for row in officials]


# --- A period typed as the office says it -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "first", "last"),
    [
        ("2021", "Quý I/2024", dt.date(2021, 1, 1), dt.date(2024, 3, 31)),
        ("tháng 10/2011", "2012", dt.date(2011, 10, 1), dt.date(2012, 12, 31)),
        ("10/2011", "11/6/2024", dt.date(2011, 10, 1), dt.date(2024, 6, 11)),
        ("2024-06-11", "quý 2/2024", dt.date(2024, 6, 11), dt.date(2024, 6, 30)),
    ],
)
def test_a_custom_period_takes_years_months_and_quarters_from_their_first_to_their_last_day(
    client, db, start, end, first, last
):
    response = report(client, start=start, end=end)

    assert (response.context["start"], response.context["end"]) == (first, last)
    assert response.context["report"] is not None


def test_a_day_that_does_not_exist_is_named_as_such_in_the_period_form(client, db):
    page = unescape(report(client, start="30/02/2023", end="2024").content.decode())

    assert "30/02/2023 không phải là một ngày có thật (tháng 2/2023 có 28 ngày)" in page
