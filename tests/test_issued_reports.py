"""Issued reports in the admin (issue 18, parts 1 and 4): staff draft a report,
prefill its narrative from the register and download a draft; an approver
issues it on a confirmation page that names what is missing, refuses a number
already used and warns of records still in review; an issued report is frozen,
read-only, never deleted, and corrected by a new report that replaces it.
The periodic report's content and files are stand-ins (tests/issued_fakes.py)."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse

from delegations.models import Delegation, Direction
from register.publishable import ReviewState
from reports.issued import services
from reports.issued.models import PeriodicReport, ReportState
from tests.conftest import make_user
from tests.issued_fakes import draft_report, patch_periodic, ready_report

APPROVED = {"review_state": ReviewState.APPROVED}


def delegation(title="Đoàn đi Quảng Tây", day=dt.date(2024, 2, 10), **fields):
    return Delegation.objects.create(
        title=title, direction=Direction.OUTBOUND, start_date=day, end_date=day, **{**APPROVED, **fields}
    )


def issue_url(report):
    return reverse("admin:reports_periodicreport_issue", args=[report.pk])


def change_url(report):
    return reverse("admin:reports_periodicreport_change", args=[report.pk])


def files_in_storage():
    try:
        folders, files = default_storage.listdir("issued")
    except FileNotFoundError:
        return []
    found = list(files)
    stack = [f"issued/{folder}" for folder in folders]
    while stack:
        folder = stack.pop()
        subfolders, names = default_storage.listdir(folder)
        found += [f"{folder}/{name}" for name in names]
        stack += [f"{folder}/{sub}" for sub in subfolders]
    return found


@pytest.fixture
def periodic(monkeypatch):
    return patch_periodic(monkeypatch)


@pytest.fixture
def approver_client(client, approver):
    client.force_login(approver)
    return client


# --- the database's rules ---------------------------------------------------------------------------------------


def issued_row(report, **fields):
    """Mark ``report`` issued straight in the database, as a forged write would."""
    values = {
        "state": ReportState.ISSUED,
        "issued_year": report.day.year if report.day else 2024,
        "snapshot": {},
        "issued_at": dt.datetime(2024, 4, 5, tzinfo=dt.UTC),
        **fields,
    }
    PeriodicReport.objects.filter(pk=report.pk).update(**values)


def test_the_database_refuses_a_second_issued_report_with_the_same_number_in_a_year(db):
    issued_row(ready_report())
    second = ready_report(day=dt.date(2024, 10, 5))
    with pytest.raises(IntegrityError), transaction.atomic():
        issued_row(second)


def test_the_same_number_may_be_used_again_the_next_year_and_by_drafts(db):
    issued_row(ready_report())
    issued_row(ready_report(day=dt.date(2025, 1, 5)), issued_year=2025)
    ready_report()  # a draft holds any number until issue
    assert PeriodicReport.objects.issued().count() == 2


def test_the_database_refuses_an_issued_report_without_a_signer(db):
    report = ready_report(signer_name="")
    with pytest.raises(IntegrityError), transaction.atomic():
        issued_row(report)


def test_the_database_refuses_an_issued_report_without_a_number(db):
    report = ready_report(number=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        issued_row(report)


def test_the_database_refuses_a_period_ending_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        draft_report(start=dt.date(2024, 3, 31), end=dt.date(2024, 1, 1))


# --- the draft ----------------------------------------------------------------------------------------------------


def test_staff_draft_a_quarterly_report_with_the_period_presets(staff_client):
    data = {
        "kind": "quarter",
        "preset": "quarter",
        "year": "2024",
        "quarter": "1",
        "title": "Công tác đối ngoại quý I năm 2024",
        "symbol": "BC-SNgV",
        "place": "Thành phố",
        "recipients": "- UBND tỉnh;",
        "authority": "",
    }
    response = staff_client.post(reverse("admin:reports_periodicreport_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    report = PeriodicReport.objects.get()
    assert (report.start, report.end, report.state) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31), "draft")


def test_a_period_ending_before_it_starts_is_refused_in_words(staff_client):
    data = {
        "kind": "theme",
        "preset": "custom",
        "start": "31/03/2024",
        "end": "01/01/2024",
        "title": "Chuyên đề",
        "symbol": "BC-SNgV",
        "place": "Thành phố",
        "authority": "",
    }
    response = staff_client.post(reverse("admin:reports_periodicreport_add"), data)
    assert response.status_code == 200
    assert "Ngày cuối kỳ (01/01/2024) trước ngày đầu kỳ (31/03/2024)." in response.content.decode()
    assert not PeriodicReport.objects.exists()


@pytest.mark.parametrize(
    ("preset", "start", "end"), [("custom", "31/02/2024", "31/03/2024"), ("custom", "", ""), ("quarter", "", "")]
)
def test_a_period_not_given_or_not_a_date_is_refused_not_an_error_page(staff_client, preset, start, end):
    data = {"kind": "theme", "preset": preset, "year": "2024", "start": start, "end": end, "title": "Chuyên đề"}
    response = staff_client.post(reverse("admin:reports_periodicreport_add"), {**data, "symbol": "BC", "place": "X"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not PeriodicReport.objects.exists()


def test_a_new_drafts_recipients_come_from_the_office_profile(staff_client):
    from offices.profile import current_profile

    page = staff_client.get(reverse("admin:reports_periodicreport_add"))
    assert current_profile().report_recipients.splitlines()[0] in page.content.decode()


def test_the_draft_form_names_a_number_already_used_that_year(staff_client, periodic, approver):
    services.issue(ready_report(), approver)
    data = {
        "kind": "quarter",
        "preset": "custom",
        "start": "01/04/2024",
        "end": "30/06/2024",
        "title": "Quý II",
        "number": "45",
        "symbol": "BC-SNgV",
        "day": "05/07/2024",
        "place": "Thành phố",
        "authority": "",
    }
    response = staff_client.post(reverse("admin:reports_periodicreport_add"), data)
    assert response.status_code == 200
    assert "Số 45/BC-SNgV đã được dùng cho một báo cáo đã ban hành năm 2024." in response.content.decode()
    assert PeriodicReport.objects.count() == 1


def test_prefill_fills_the_empty_sections_and_keeps_what_staff_wrote(staff_client, periodic):
    delegation()
    report = draft_report(results="Đoạn cán bộ tự viết.")
    data = {
        "kind": "quarter",
        "preset": "custom",
        "start": "01/01/2024",
        "end": "31/03/2024",
        "title": report.title,
        "symbol": "BC-SNgV",
        "place": "Thành phố",
        "authority": "",
        "results": "Đoạn cán bộ tự viết.",
        "_prefill": "1",
    }
    response = staff_client.post(change_url(report), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assessment == "Trong kỳ, tỉnh đã tiếp nhận và cử 1 đoàn."
    assert report.results == "Đoạn cán bộ tự viết."

    staff_client.post(change_url(report), {**data, "assessment": report.assessment, "replace_written": "on"})
    report.refresh_from_db()
    assert report.results == "Kết quả theo lĩnh vực."


def test_the_draft_docx_is_made_now_and_marked_as_a_draft(staff_client, periodic):
    report = draft_report()
    response = staff_client.get(reverse("admin:reports_periodicreport_preview", args=[report.pk, "docx"]))
    assert response.status_code == 200
    assert b'"draft": true' in response.content
    assert response["Content-Disposition"].startswith("attachment")


# --- issuing ------------------------------------------------------------------------------------------------------


def test_a_clerk_cannot_issue(staff_client, periodic):
    report = ready_report()
    assert staff_client.get(issue_url(report)).status_code == 403
    assert staff_client.post(issue_url(report), {"in_review": "without"}).status_code == 403
    assert "/issue/" not in staff_client.get(change_url(report)).content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_the_issue_page_names_what_is_missing(approver_client, periodic):
    report = draft_report()
    page = approver_client.get(issue_url(report)).content.decode()
    for missing in ("số của báo cáo", "ngày của dòng địa danh, ngày tháng", "họ tên người ký", "chức vụ người ký"):
        assert missing in page
    approver_client.post(issue_url(report), {"in_review": "without"})
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_a_place_of_dots_is_no_place(approver_client, periodic):
    """The neutral profile's "……………" (an install of several offices, outside the admin's form) is named."""
    report = ready_report(place="……………")
    assert "địa danh của dòng địa danh, ngày tháng" in approver_client.get(issue_url(report)).content.decode()
    approver_client.post(issue_url(report), {"in_review": "without"})
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    assert services.missing_at_issue(ready_report(place="Thành phố")) == []
    assert [str(m) for m in services.missing_at_issue(ready_report(recipients=" "))] == ["nơi nhận"]


def test_the_issue_page_refuses_a_number_already_used_in_the_year(approver_client, approver, periodic):
    services.issue(ready_report(), approver)
    second = ready_report(day=dt.date(2024, 7, 5), start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30))
    response = approver_client.post(issue_url(second), {"in_review": "without"})
    assert "Số 45/BC-SNgV đã được dùng cho một báo cáo đã ban hành năm 2024." in response.content.decode()
    second.refresh_from_db()
    assert second.state == ReportState.DRAFT


def test_an_approver_issues_the_report_with_its_files(approver_client, approver, periodic):
    delegation()
    report = ready_report()
    response = approver_client.post(issue_url(report), {"in_review": "without"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.issued_year, report.issued_by) == (ReportState.ISSUED, 2024, approver)
    assert report.snapshot["counts"]["delegations"]["value"] == 1
    assert report.snapshot["meta"]["signer_name"] == "Nguyễn Văn An"
    assert report.snapshot["meta"]["draft"] is False
    for field in (report.docx, report.xlsx, report.pdf):
        assert default_storage.exists(field.name)


def test_without_libreoffice_the_report_is_issued_without_a_pdf_and_says_so(approver_client, periodic, monkeypatch):
    monkeypatch.setattr(services, "pdf_available", lambda: False)
    monkeypatch.setattr(services, "render", lambda s, m, pdf=True: (b"DOCX", b"XLSX", None))
    report = ready_report()
    response = approver_client.post(issue_url(report), {"in_review": "without"}, follow=True)
    report.refresh_from_db()
    assert report.is_issued and not report.pdf
    assert "Không tạo được tệp PDF" in response.content.decode()


def test_records_in_review_are_named_and_left_out_or_included_as_chosen(approver_client, approver, periodic):
    delegation()
    delegation("Đoàn còn là bản nháp", review_state=ReviewState.DRAFT)
    report = ready_report()
    page = approver_client.get(issue_url(report)).content.decode()
    assert "1 hồ sơ của kỳ này còn đang chờ duyệt" in page
    assert "Chờ duyệt xong" in page

    approver_client.post(issue_url(report), {"in_review": "without"})
    report.refresh_from_db()
    assert report.snapshot["counts"]["delegations"]["value"] == 1 and not report.include_in_review

    other = ready_report(number=46)
    approver_client.post(issue_url(other), {"in_review": "include"})
    other.refresh_from_db()
    assert other.snapshot["counts"]["delegations"]["value"] == 2 and other.include_in_review


def test_a_failing_render_leaves_no_issued_report_and_no_file(approver_client, periodic, monkeypatch):
    def broken(snapshot, meta, pdf=True):
        raise RuntimeError("LibreOffice crashed")

    monkeypatch.setattr(services, "render", broken)
    report = ready_report()
    with pytest.raises(RuntimeError):
        approver_client.post(issue_url(report), {"in_review": "without"})
    report.refresh_from_db()
    assert (report.state, report.snapshot, report.docx.name) == (ReportState.DRAFT, None, "")
    assert files_in_storage() == []


def test_a_failing_save_removes_the_files_already_written(approver, periodic, monkeypatch):
    report = ready_report()

    def refused(self, *args, **kwargs):
        raise IntegrityError("the database refused the row")

    monkeypatch.setattr(PeriodicReport, "save", refused)
    with pytest.raises(services.IssueRefused):
        services.issue(report, approver)
    monkeypatch.undo()
    assert PeriodicReport.objects.get(pk=report.pk).state == ReportState.DRAFT
    assert files_in_storage() == []


# --- an issued report ---------------------------------------------------------------------------------------------


def test_an_issued_report_is_read_only_but_for_whether_it_is_public(approver_client, approver, periodic):
    report = services.issue(ready_report(), approver)
    response = approver_client.post(change_url(report), {"is_public": "on", "title": "Đổi tiêu đề"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_public and report.title == "Công tác đối ngoại quý I năm 2024"


def test_a_clerk_cannot_publish_an_issued_report(staff_client, approver, periodic):
    report = services.issue(ready_report(), approver)
    staff_client.post(change_url(report), {"is_public": "on"})
    report.refresh_from_db()
    assert not report.is_public


def test_an_issued_report_cannot_be_deleted(approver_client, approver, periodic):
    report = services.issue(ready_report(), approver)
    response = approver_client.post(reverse("admin:reports_periodicreport_delete", args=[report.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert PeriodicReport.objects.filter(pk=report.pk).exists()


def test_a_correction_is_a_new_draft_that_replaces_the_issued_report(approver_client, approver, periodic):
    report = services.issue(ready_report(), approver)
    response = approver_client.post(reverse("admin:reports_periodicreport_correct", args=[report.pk]))
    correction = PeriodicReport.objects.get(replaces=report)
    assert response.url == change_url(correction)
    assert (correction.state, correction.number, correction.title) == ("draft", None, report.title)

    correction.number, correction.day = 52, dt.date(2024, 4, 20)
    correction.save()
    approver_client.post(issue_url(correction), {"in_review": "without"})
    page = approver_client.get(change_url(report)).content.decode()
    assert "thay thế bởi" in page and "Số: 52/BC-SNgV" in page


def test_another_provinces_staff_do_not_see_the_report_in_the_admin(periodic, approver):
    from django.test import Client

    from offices import services as office_services
    from offices.models import OfficeProfile, StaffProfile

    profile = OfficeProfile(**office_services.defaults_for(office_services.find_province("04")))
    profile.full_clean()
    profile.save()
    report = services.issue(ready_report(province_id="20"), approver)
    other = make_user("approver04", "approver", is_staff=True)
    StaffProfile.objects.create(user=other, province_id="04")
    client = Client()
    client.force_login(other)
    assert client.get(change_url(report)).status_code in (302, 404)
    assert client.get(issue_url(report)).status_code == 403
    listing = client.get(reverse("admin:reports_periodicreport_changelist")).content.decode()
    assert report.title not in listing
