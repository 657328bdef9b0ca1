"""What the period report counts: every delegation of the period once (border
talks as a kind of their own, those with no direction on an "Unclassified"
line, never dropped), and for an official the approved records only, unless
the records still in review are asked for, which every table then says."""

import datetime as dt
import re
from io import BytesIO

import docx
import openpyxl
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from agreements.models import Agreement
from delegations.models import Delegation, Direction
from partners.models import Partner
from register.publishable import ReviewState
from tests.conftest import readable_text

URL = reverse("reports:period")
XLSX_URL = reverse("reports:period_xlsx")
DOCX_URL = reverse("reports:period_docx")
TERM = {"start": "2023-01-01", "end": "2023-12-31"}
PUBLISHED = {"is_public": True, "review_state": ReviewState.APPROVED}
INTERNAL = {"is_public": False, "review_state": ReviewState.APPROVED}
DRAFT = {"is_public": False, "review_state": ReviewState.DRAFT}
SUBMITTED = {"is_public": False, "review_state": ReviewState.SUBMITTED}
IN_REVIEW_NOTE = "Bao gồm cả bản ghi đang chờ duyệt (nháp, đã gửi duyệt)."


def delegation(direction, day, size=None, state=PUBLISHED, title=None, partners=()):
    record = Delegation.objects.create(
        direction=direction,
        title=title or f"Đoàn {direction or 'chưa ghi loại'} {day}",
        start_date=dt.date.fromisoformat(day),
        size=size,
        **state,
    )
    record.partners.set(partners)
    return record


def by_kind(response):
    """{label: delegations} of the page's table of every delegation by kind, and its total."""
    kinds = response.context["report"]["by_kind"]
    return {str(row["label"]): row["delegations"] for row in kinds["rows"]}, kinds["total"]["delegations"]


def table_count(html):
    return len(re.findall(r"<table[\s>]", html))


# --- Every delegation of the period, border talks and no direction included -------------------------------------


def test_a_delegation_with_no_direction_is_counted_on_an_unclassified_line_not_dropped(client, seeded):
    delegation("", "2023-05-02", 6, title="Đoàn không rõ loại Zeta-731")
    delegation(Direction.OUTBOUND, "2023-06-01", 3)

    response = client.get(URL, TERM)
    kinds, total = by_kind(response)
    assert kinds["Chưa phân loại (chưa ghi loại đoàn)"] == 1
    assert total == Delegation.objects.published().in_period(dt.date(2023, 1, 1), dt.date(2023, 12, 31)).count()
    assert total == sum(kinds.values())
    for path in (XLSX_URL, DOCX_URL):
        text = readable_text(client.get(path, TERM))
        assert "Chưa phân loại (chưa ghi loại đoàn)" in text, path
        assert "Tổng: mọi đoàn trong kỳ" in text, path


def test_border_talks_are_a_kind_of_their_own_with_a_table_by_country(client, seeded):
    china = Partner.objects.get(name_en="China")
    talks = delegation(Direction.BORDER, "2023-03-15", 12, partners=[china])
    delegation(Direction.INBOUND, "2023-04-01", 4, partners=[china])

    talks.full_clean()  # a choice the form and the database accept
    response = client.get(URL, TERM)
    report = response.context["report"]
    assert report["border"]["delegations"] == 1
    assert report["border"]["persons"] == 12
    assert [row["delegations"] for row in report["border"]["rows"]] == [1]
    assert report["inbound"]["delegations"] == 1
    kinds, total = by_kind(response)
    assert kinds["Hội đàm tại biên giới / cửa khẩu"] == 1
    assert total == sum(kinds.values())
    assert total == Delegation.objects.published().in_period(dt.date(2023, 1, 1), dt.date(2023, 12, 31)).count()
    page = response.content.decode()
    assert "Hội đàm tại biên giới / cửa khẩu, theo nước" in page
    for path in (XLSX_URL, DOCX_URL):
        assert "Hội đàm tại biên giới / cửa khẩu, theo nước" in readable_text(client.get(path, TERM)), path


def test_border_talks_are_a_choice_of_the_delegation_filter(client, seeded):
    delegation(Direction.BORDER, "2023-03-15", 12, title="Hội đàm tại cửa khẩu Hữu Nghị Omega-552")
    delegation(Direction.OUTBOUND, "2023-03-16", 2, title="Đoàn ra Omega-553")

    page = client.get(reverse("delegations:list"), {"direction": "border"}).content.decode()
    assert "Hội đàm tại cửa khẩu Hữu Nghị Omega-552" in page
    assert "Đoàn ra Omega-553" not in page


# --- An official's report counts approved records; drafts only when asked -----------------------------------------


def test_an_officials_report_counts_approved_records_and_drafts_only_when_asked(
    client, official_client, seeded, django_assert_num_queries
):
    delegation(Direction.OUTBOUND, "2023-02-01", 5, PUBLISHED, title="Đoàn công khai Alpha-101")
    delegation(Direction.OUTBOUND, "2023-02-02", 7, INTERNAL, title="Đoàn nội bộ đã duyệt Alpha-102")
    delegation(Direction.OUTBOUND, "2023-02-03", 11, DRAFT, title="Đoàn nháp Alpha-103")
    delegation(Direction.OUTBOUND, "2023-02-04", 13, SUBMITTED, title="Đoàn chờ duyệt Alpha-104")
    Agreement.objects.create(title="Thỏa thuận nháp Alpha-105", kind="mou", signed_on=dt.date(2023, 3, 1), **DRAFT)

    def outbound(response):
        return response.context["report"]["outbound"]["delegations"], response.context["report"]["outbound"]["persons"]

    # The seeded figures of this year need no query limited to a unit or a partner: 14 queries
    # (tests/test_period_report.py counts them; one of them the amounts left unconverted, one the
    # province-wide delegation figures, one the international conferences), and the official's session and user.
    with django_assert_num_queries(14):
        base = outbound(client.get(URL, TERM))
    with django_assert_num_queries(16):
        official = official_client.get(URL, TERM)
    # The draft agreement fills the list of agreements signed: its partners are prefetched.
    with django_assert_num_queries(17):
        in_review = official_client.get(URL, {**TERM, "in_review": "1"})
    visitor = client.get(URL, {**TERM, "in_review": "1"})

    assert outbound(official) == (base[0] + 1, base[1] + 7)
    assert outbound(in_review) == (base[0] + 3, base[1] + 7 + 11 + 13)
    assert outbound(visitor) == base  # a visitor's report counts the published records, whatever is asked
    assert official.context["report"]["agreements"]["signed"] + 1 == in_review.context["report"]["agreements"]["signed"]

    page = official.content.decode()
    assert "Chỉ tính các bản ghi đã duyệt, kể cả bản ghi nội bộ; không tính bản ghi đang chờ duyệt." in page
    assert "Tính trên mọi bản ghi" not in page
    assert IN_REVIEW_NOTE not in page
    # Every table of the page says it counts records in review.
    page = in_review.content.decode()
    assert page.count(IN_REVIEW_NOTE) == table_count(page)
    assert IN_REVIEW_NOTE not in visitor.content.decode()


def test_the_in_review_tick_goes_into_the_downloads_and_each_of_their_tables_says_so(official_client, seeded):
    delegation(Direction.OUTBOUND, "2023-02-03", 11, DRAFT, title="Đoàn nháp Beta-201")
    asked = {**TERM, "in_review": "1"}

    page = official_client.get(URL, asked).content.decode()
    assert f'href="{XLSX_URL}?start=2023-01-01&amp;end=2023-12-31&amp;in_review=1"' in page
    assert 'name="in_review" value="1" checked' in page

    def sheets_saying_so(params):
        book = openpyxl.load_workbook(BytesIO(b"".join(official_client.get(XLSX_URL, params).streaming_content)))
        return [
            any(cell == IN_REVIEW_NOTE for row in sheet.iter_rows(values_only=True) for cell in row)
            for sheet in book.worksheets
        ]

    assert not any(sheets_saying_so(TERM))
    marked = sheets_saying_so(asked)
    assert len(marked) > 10 and all(marked)

    def tables_and_notes(params):
        body = docx.Document(BytesIO(b"".join(official_client.get(DOCX_URL, params).streaming_content))).element.body
        tables = body.findall(qn("w:tbl"))
        notes = [p for p in body.findall(qn("w:p")) if IN_REVIEW_NOTE in "".join(p.itertext())]
        return len(tables), len(notes)

    tables, notes = tables_and_notes(asked)
    assert notes == tables - 2  # every table but the letterhead's and the signature's
    assert tables_and_notes(TERM)[1] == 0


@pytest.mark.parametrize("state", [DRAFT, SUBMITTED])
def test_a_record_in_review_is_listed_in_an_officials_report_only_when_asked(official_client, seeded, state):
    delegation(Direction.DOMESTIC, "2023-07-07", 3, state, title="Đoàn công tác chưa duyệt Gamma-301")

    assert "Gamma-301" not in official_client.get(URL, TERM).content.decode()
    assert "Gamma-301" in official_client.get(URL, {**TERM, "in_review": "1"}).content.decode()
