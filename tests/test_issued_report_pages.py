"""The issued reports' pages (issue 18, part 4): /reports/issued/ lists the
issued reports with their files; a visitor sees the public ones of the
province shown, its signed-in users every issued one; the detail page is
written from the frozen snapshot, so a record changed after issue changes
nothing but the notice signed-in users read ("1 record of this period changed
since issue"); the files are sent only to who may read the report."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from delegations.models import Delegation, Direction
from offices import services as office_services
from offices.models import OfficeProfile, StaffProfile
from register.publishable import ReviewState
from reports.issued import services
from tests.conftest import make_user
from tests.issued_fakes import patch_periodic, ready_report

APPROVED = {"review_state": ReviewState.APPROVED}


@pytest.fixture
def periodic(monkeypatch):
    return patch_periodic(monkeypatch)


@pytest.fixture
def issued(db, periodic, approver):
    """Two issued reports of Q1/2024: no. 45 public, no. 46 internal; one approved delegation of the period."""
    delegation = Delegation.objects.create(
        title="Đoàn đi Quảng Tây",
        direction=Direction.OUTBOUND,
        start_date=dt.date(2024, 2, 10),
        end_date=dt.date(2024, 2, 12),
        **APPROVED,
    )
    public = services.issue(ready_report(is_public=True), approver)
    internal = services.issue(ready_report(number=46, title="Báo cáo nội bộ"), approver)
    return {"public": public, "internal": internal, "delegation": delegation}


def detail(report):
    return reverse("reports:issued_detail", args=[report.pk])


def file_url(report, kind="docx"):
    return reverse("reports:issued_file", args=[report.pk, kind])


def without_token(page):
    """A page's bytes without its CSRF token (the language form's, new on every response)."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", page)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_visitor_sees_only_the_public_issued_reports(client, issued):
    page = client.get(reverse("reports:issued")).content.decode()
    assert "45/BC-SNgV" in page and "46/BC-SNgV" not in page
    assert client.get(detail(issued["public"])).status_code == 200
    assert client.get(detail(issued["internal"])).status_code == 404


def test_a_draft_is_on_no_page(client, official_client, periodic):
    draft = ready_report(is_public=True)
    assert client.get(detail(draft)).status_code == 404
    assert official_client.get(detail(draft)).status_code == 404
    assert "45/BC-SNgV" not in official_client.get(reverse("reports:issued")).content.decode()


def test_an_official_of_the_province_sees_every_issued_report(official_client, issued):
    page = official_client.get(reverse("reports:issued")).content.decode()
    assert "45/BC-SNgV" in page and "46/BC-SNgV" in page
    assert official_client.get(detail(issued["internal"])).status_code == 200


def test_the_files_follow_the_report(client, official_client, issued):
    public, internal = issued["public"], issued["internal"]
    response = client.get(file_url(public))
    assert response.status_code == 200
    assert body(response) == public.docx.open("rb").read()
    assert 'filename="45-BC-SNgV-2024.docx"' in response["Content-Disposition"]
    assert client.get(file_url(internal)).status_code == 404
    assert client.get(file_url(internal, "pdf")).status_code == 404
    assert official_client.get(file_url(internal, "xlsx")).status_code == 200
    # The stored file's own address (register/media.py) answers as the report's page does.
    assert client.get(f"/media/{internal.docx.name}").status_code == 404
    assert client.get(f"/media/{public.docx.name}").status_code == 200


def test_another_provinces_official_reads_only_the_public_reports(issued):
    profile = OfficeProfile(**office_services.defaults_for(office_services.find_province("04")))
    profile.full_clean()
    profile.save()
    user = make_user("official04", "official")
    StaffProfile.objects.create(user=user, province_id="04")
    other = Client()
    other.force_login(user)
    assert other.get(detail(issued["internal"])).status_code == 404
    assert other.get(file_url(issued["internal"])).status_code == 404
    assert other.get(f"/p/20{detail(issued['internal'])}").status_code == 404
    assert other.get(f"/p/20{detail(issued['public'])}").status_code == 200
    assert "45/BC-SNgV" not in other.get(reverse("reports:issued")).content.decode()


def test_the_detail_page_shows_the_frozen_figures_and_narrative(client, issued):
    page = client.get(detail(issued["public"])).content.decode()
    assert "Số đoàn" in page and "Cùng kỳ năm trước" in page
    assert "Nguyễn Văn An" in page and "Lưu: VT." in page


def test_an_issued_report_does_not_change_when_a_record_of_its_period_changes(client, official_client, issued):
    report = issued["public"]
    snapshot = report.snapshot
    files = {field: getattr(report, field).open("rb").read() for field in ("docx", "xlsx", "pdf")}
    visitor_page = client.get(detail(report)).content
    official_page = official_client.get(detail(report)).content.decode()
    assert "đã thay đổi từ khi ban hành" not in official_page

    changed = issued["delegation"]
    changed.title = "Đoàn đi Quảng Tây (sửa sau khi ban hành)"
    changed.size = 12
    changed.save()
    Delegation.objects.create(
        title="Đoàn duyệt sau khi ban hành", direction=Direction.OUTBOUND, start_date=dt.date(2024, 3, 1), **APPROVED
    )

    report.refresh_from_db()
    assert report.snapshot == snapshot
    assert {field: getattr(report, field).open("rb").read() for field in files} == files
    assert without_token(client.get(detail(report)).content) == without_token(visitor_page)
    official_page = official_client.get(detail(report)).content.decode()
    assert "2 hồ sơ của kỳ này đã thay đổi từ khi ban hành" in official_page
    assert changed.get_absolute_url() in official_page
    assert "Đoàn đi Quảng Tây (sửa sau khi ban hành)" in official_page
    # The delegation approved since issue is named as counted since, not as changed.
    assert 'Đoàn duyệt sau khi ban hành</a> <span class="muted">(được tính từ sau khi ban hành)' in official_page


def test_a_record_deleted_since_issue_is_named_as_deleted(official_client, issued):
    issued["delegation"].delete()
    page = official_client.get(detail(issued["public"])).content.decode()
    assert "1 hồ sơ của kỳ này đã thay đổi từ khi ban hành" in page and "(xoá)" in page


def test_a_visitor_is_not_told_what_changed(client, issued):
    issued["delegation"].save()
    assert "đã thay đổi từ khi ban hành" not in client.get(detail(issued["public"])).content.decode()


def test_a_correction_and_the_report_it_replaces_link_each_other(client, approver, issued):
    report = issued["public"]
    correction = services.correct(report)
    correction.number, correction.day, correction.is_public = 52, dt.date(2024, 4, 20), True
    correction.save()
    services.issue(correction, approver)
    old_page = client.get(detail(report)).content.decode()
    new_page = client.get(detail(correction)).content.decode()
    assert "được thay thế bởi" in old_page and detail(correction) in old_page
    assert "thay thế" in new_page and detail(report) in new_page


def test_the_list_is_linked_from_the_nav_and_the_period_page(client, db):
    page = client.get(reverse("reports:period")).content.decode()
    assert page.count(reverse("reports:issued")) >= 2


def test_the_visitors_list_runs_a_fixed_number_of_queries(client, issued, approver, django_assert_num_queries):
    for number in range(60, 64):
        services.issue(ready_report(number=number, is_public=True), approver)
    # 1. count for the paginator, 2. the reports with what they replace and who issued them,
    # 3. the corrections replacing them.
    with django_assert_num_queries(3):
        response = client.get(reverse("reports:issued"))
    assert response.status_code == 200


def test_the_detail_page_runs_a_fixed_number_of_queries(client, official_client, issued, django_assert_num_queries):
    # 1. the report with what it replaces and who issued it, 2. the corrections replacing it.
    with django_assert_num_queries(2):
        assert client.get(detail(issued["public"])).status_code == 200
    # A signed-in official: those two, the session and the user, the snapshot's delegations' versions,
    # and the records of the period it does not hold: delegations, agreements, projects, their
    # transactions, twinning pairs (10). The same with twenty more delegations in the period.
    with django_assert_num_queries(10):
        assert official_client.get(detail(issued["public"])).status_code == 200
    for n in range(20):
        Delegation.objects.create(
            title=f"Đoàn {n}", direction=Direction.OUTBOUND, start_date=dt.date(2024, 2, 1), **APPROVED
        )
    with django_assert_num_queries(10):
        assert official_client.get(detail(issued["public"])).status_code == 200


def test_the_frozen_counts_and_annexes_read_as_the_periodic_content_writes_them():
    from reports.issued.selectors import annexes, count_rows

    snapshot = {
        "counts": [
            {"key": "outbound", "label": "Đoàn ra", "unit": "đoàn", "value": 12, "previous": 9},
            {"key": "oda", "label": "Vốn ODA", "unit": "đồng", "value": "134525000", "previous": None},
        ],
        "annexes": [
            {
                "key": "I",
                "title": "Phụ lục I",
                "columns": ["STT", "Đoàn"],
                "rows": [["1", "Đoàn đi Quảng Tây"]],
                "record_ids": [["delegations.delegation", 7]],
            }
        ],
    }
    outbound, oda = count_rows(snapshot)
    assert (outbound["value"], outbound["previous"], outbound["change"], outbound["percent"]) == (
        "12",
        "9",
        "+3",
        "+33,3 %",
    )
    assert (oda["value"], oda["previous"], oda["change"], oda["unit"]) == ("134.525.000", "—", "", "đồng")
    (annex,) = annexes(snapshot)
    assert (annex["title"], annex["count"], annex["rows"]) == ("Phụ lục I", 1, [["1", "Đoàn đi Quảng Tây"]])
