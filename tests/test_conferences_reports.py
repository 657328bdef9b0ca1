"""International conferences in the shared places that list every record kind:
the search (accent-insensitive, on SQLite's FTS index and PostgreSQL's trigram
index alike: run this file on both), a partner's dossier, the period report and
the site's navigation."""

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from conferences.models import Conference, ConferenceKind, ConferenceStatus
from partners.models import Partner, PartnerKind
from register import search_sql
from register.publishable import ReviewState
from reports import selectors_dossier
from tests.conftest import PUBLISHED

INTERNAL = {"review_state": ReviewState.APPROVED}


def conference(title, opening=dt.date(2023, 6, 15), **fields):
    values = {"kind": ConferenceKind.SEMINAR, "start_date": opening, "end_date": opening, **fields}
    return Conference.objects.create(title=title, **values)


# Search ------------------------------------------------------------------------------


def found(client, query, kind=""):
    params = {"q": query, **({"kind": kind} if kind else {})}
    response = client.get(reverse("reports:search"), params)
    assert response.status_code == 200
    groups = {group.key: group for group in response.context["groups"]}
    return [record.title for record in groups["conferences"].records] if "conferences" in groups else []


def test_search_finds_a_conference_without_its_accents(client, db):
    conference("Hội thảo quốc tế phát triển du lịch Đồng Đăng", **PUBLISHED)
    assert found(client, "hoi thao dong dang") == ["Hội thảo quốc tế phát triển du lịch Đồng Đăng"]
    assert found(client, "DU LỊCH", kind="conferences") == ["Hội thảo quốc tế phát triển du lịch Đồng Đăng"]


def test_search_finds_a_conference_by_its_place_and_report(client, db):
    conference("Diễn đàn hợp tác", place="Khách sạn Mường Thanh", report_summary="Ký kết ba bản ghi nhớ", **PUBLISHED)
    assert found(client, "muong thanh") == ["Diễn đàn hợp tác"]
    assert found(client, "ban ghi nho") == ["Diễn đàn hợp tác"]


def test_search_does_not_show_a_visitor_an_unpublished_conference(client, official_client, db):
    conference("Hội nghị nội bộ về biên giới", **INTERNAL)
    assert found(client, "hoi nghi noi bo") == []
    assert found(official_client, "hoi nghi noi bo") == ["Hội nghị nội bộ về biên giới"]


def test_the_search_index_knows_the_conference_table(db):
    assert "conferences_conference" in search_sql.TABLES
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'conferences_conference_fts'")
            assert cursor.fetchone() is not None


def test_the_list_filter_finds_words_without_accents(client, db):
    conference("Hội chợ thương mại quốc tế Việt – Trung", kind=ConferenceKind.TRADE_FAIR, **PUBLISHED)
    conference("Hội thảo y tế", **PUBLISHED)
    response = client.get(reverse("conferences:list"), {"q": "viet trung"})
    assert [c.title for c in response.context["page_obj"].object_list] == ["Hội chợ thương mại quốc tế Việt – Trung"]


# The partner's dossier ----------------------------------------------------------------


@pytest.fixture
def korea(db):
    country = Partner.objects.create(name="Hàn Quốc", kind=PartnerKind.COUNTRY, country="KR", **PUBLISHED)
    city = Partner.objects.create(name="Gyeonggi", kind=PartnerKind.REGION, country="KR", parent=country, **PUBLISHED)
    return country, city


def test_a_partners_dossier_lists_the_conferences_it_took_part_in(client, korea):
    country, city = korea
    conference("Diễn đàn đầu tư Hàn Quốc", foreign_participants=40, **PUBLISHED).partners.add(city)
    conference("Hội thảo nội bộ với Hàn Quốc", **INTERNAL).partners.add(country)
    response = client.get(country.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Diễn đàn đầu tư Hàn Quốc" in page
    assert "40 đại biểu nước ngoài" in page
    assert "Hội thảo nội bộ với Hàn Quốc" not in page
    assert response.context["dossier"].totals["conferences"] == 1


def test_an_official_sees_the_internal_conference_in_the_dossier(official_client, korea):
    country, _city = korea
    conference("Hội thảo nội bộ với Hàn Quốc", **INTERNAL).partners.add(country)
    response = official_client.get(country.get_absolute_url())
    assert "Hội thảo nội bộ với Hàn Quốc" in response.content.decode()
    assert response.context["dossier"].totals["conferences"] == 1


def test_a_dossier_past_its_timeline_limit_says_at_least_on_the_page_and_in_the_docx(client, korea, monkeypatch):
    monkeypatch.setattr(selectors_dossier, "TIMELINE_LIMIT", 2)
    country, _city = korea
    for n in range(3):
        conference(f"Hội thảo Hàn Quốc {n}", opening=dt.date(2023, 6, n + 1), **PUBLISHED).partners.add(country)
    page = client.get(country.get_absolute_url()).content.decode()
    assert "ít nhất 2" in page and "Ở đây chỉ hiện các hội nghị, hội thảo gần nhất." in page
    response = client.get(reverse("reports:dossier_docx", args=[country.pk]))
    text = "\n".join(cell.text for table in docx.Document(io.BytesIO(b"".join(response.streaming_content))).tables
                     for row in table.rows for cell in row.cells)  # fmt: skip
    assert "ít nhất 2" in text


# The period report ---------------------------------------------------------------------


def period(client, start="2023-01-01", end="2023-12-31", **extra):
    response = client.get(reverse("reports:period"), {"start": start, "end": end, **extra})
    assert response.status_code == 200
    return response


def test_the_period_report_counts_conferences_and_their_foreign_participants(client, db):
    conference("Hội thảo A", foreign_participants=30, total_participants=120, **PUBLISHED)
    conference("Hội nghị B", kind=ConferenceKind.CONFERENCE, foreign_participants=12, **PUBLISHED)
    conference("Hội thảo C, chưa rõ số đại biểu", **PUBLISHED)
    conference("Hội thảo năm sau", opening=dt.date(2024, 2, 1), foreign_participants=99, **PUBLISHED)
    response = period(client)
    total = response.context["report"]["conferences"]["total"]
    assert (total["held"], total["foreign"], total["foreign_unknown"]) == (3, 42, 1)
    page = response.content.decode()
    assert "8. Hội nghị, hội thảo quốc tế" in page
    assert "Trong đó 1 hội nghị chưa rõ số đại biểu nước ngoài" in page


def test_the_period_report_leaves_out_cancelled_conferences_and_says_so(client, db):
    conference("Hội thảo đã hủy", status=ConferenceStatus.CANCELLED, foreign_participants=5, **PUBLISHED)
    response = period(client)
    total = response.context["report"]["conferences"]["total"]
    assert (total["held"], total["foreign"], total["cancelled"]) == (0, 0, 1)
    assert "1 hội nghị, hội thảo bị hủy không được tính." in response.content.decode()


def test_a_visitors_period_report_counts_only_published_conferences(client, official_client, db):
    conference("Hội thảo công khai", foreign_participants=10, **PUBLISHED)
    conference("Hội thảo nội bộ", foreign_participants=20, **INTERNAL)
    conference("Hội thảo nháp", foreign_participants=40)
    assert period(client).context["report"]["conferences"]["total"]["foreign"] == 10
    assert period(official_client).context["report"]["conferences"]["total"]["foreign"] == 30
    in_review = period(official_client, in_review="1").context["report"]["conferences"]["total"]
    assert in_review["foreign"] == 70


def test_the_period_workbook_leaves_an_unknown_foreign_count_blank_and_counts_it(client, db):
    conference("Hội thảo A", foreign_participants=30, **PUBLISHED)
    conference("Hội thảo B, chưa rõ số đại biểu", **PUBLISHED)
    conference("Hội nghị C, chưa rõ số đại biểu", kind=ConferenceKind.CONFERENCE, **PUBLISHED)
    response = client.get(reverse("reports:period_xlsx"), {"start": "2023-01-01", "end": "2023-12-31"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Hội nghị, hội thảo"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(["Loại", "Tổ chức trong kỳ", "Đại biểu nước ngoài", "Chưa rõ số đại biểu nước ngoài"])
    # The conference with no known number is not a conference of 0 foreigners: its cell stays empty.
    assert rows[header + 1 : header + 4] == [
        ["Hội nghị quốc tế", 1, None, 1],
        ["Hội thảo quốc tế", 2, 30, 1],
        ["Tổng cộng", 3, 30, 2],
    ]
    assert any("Trong đó 2 hội nghị chưa rõ số đại biểu nước ngoài" in str(row[0]) for row in rows)


def test_a_period_without_conferences_says_so(client, db):
    assert "Không có hội nghị, hội thảo quốc tế nào khai mạc trong kỳ." in period(client).content.decode()


# The navigation --------------------------------------------------------------------------


def test_every_page_links_to_the_conference_list(client, db):
    page = client.get(reverse("conferences:list")).content.decode()
    assert f'href="{reverse("conferences:list")}" aria-current="page"' in page
