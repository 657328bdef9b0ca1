"""Issuing with the periodic report's own content and files (reports/periodic/),
not the stand-ins of the other issued-report tests: the seeded register's
year-2023 report is issued, a record of its period is changed afterwards, and
the report's snapshot, DOCX, XLSX and page stay as they were, while signed-in
users are told which record changed. The PDF (LibreOffice) is left out here:
tests/test_periodic_documents.py renders it."""

import datetime as dt
import re

from django.apps import apps
from django.test import Client
from django.urls import reverse

from reports.issued import services
from reports.issued.models import PeriodicReport


def without_token(page):
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", page)


def test_the_seeded_years_report_is_issued_and_stays_as_issued(seeded, approver, official_client, monkeypatch):
    from reports.periodic import documents

    monkeypatch.setattr(documents, "pdf_available", lambda: False)
    report = PeriodicReport.objects.create(
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 12, 31),
        kind="year",
        title="Công tác đối ngoại năm 2023",
        number=12,
        day=dt.date(2024, 1, 5),
        signer_name="Nguyễn Văn An",
        signer_title="PHÓ GIÁM ĐỐC",
        authority="KT.",
        authority_title="GIÁM ĐỐC",
        is_public=True,
        place="Thành phố",
        recipients="- UBND tỉnh;\n- Bộ Ngoại giao;\n- Lưu: VT.",
    )
    assert services.fill_sections(report) == ["assessment", "results", "difficulties", "recommendations", "next_tasks"]
    report.save()
    services.issue(report, approver)
    report.refresh_from_db()
    assert report.is_issued and report.docx and report.xlsx and not report.pdf
    assert report.snapshot["records"], "the seeded year has records"
    assert report.snapshot["meta"]["authority"] == "KT."
    snapshot = report.snapshot
    files = {field: getattr(report, field).open("rb").read() for field in ("docx", "xlsx")}
    url = reverse("reports:issued_detail", args=[report.pk])
    visitor = Client()
    page = visitor.get(url)
    assert page.status_code == 200
    assert "Đoàn ra" in page.content.decode()

    entry = snapshot["records"][0]
    record = apps.get_model(entry["model"]).objects.get(pk=entry["pk"])
    record.title = f"{record.title} (sửa sau khi ban hành)"
    record.save()

    report.refresh_from_db()
    assert report.snapshot == snapshot
    assert {field: getattr(report, field).open("rb").read() for field in files} == files
    assert without_token(visitor.get(url).content) == without_token(page.content)
    signed_in = official_client.get(url).content.decode()
    assert "1 hồ sơ của kỳ này đã thay đổi từ khi ban hành" in signed_in
    assert record.title in signed_in


def test_a_conference_approved_after_issue_is_named_but_not_for_a_report_issued_before_conferences_counted(db):
    from conferences.models import Conference
    from offices.models import OfficeProfile
    from reports.issued.selectors import added_since_issue
    from reports.periodic.content import report_content

    province = OfficeProfile.objects.get().province_code
    start, end = dt.date(2024, 1, 1), dt.date(2024, 3, 31)
    snapshot = report_content(province, start, end)
    conference = Conference.objects.create(
        title="Hội thảo duyệt sau", start_date=dt.date(2024, 2, 2), review_state="approved", is_public=True
    )
    report = PeriodicReport(province_id=province, start=start, end=end, snapshot=snapshot)

    assert [(pk, name) for _kind, pk, name, _url in added_since_issue(report)] == [
        (conference.pk, "Hội thảo duyệt sau")
    ]
    # A report issued before conferences were counted read none: none of them was left out of it.
    report.snapshot = {key: value for key, value in snapshot.items() if key != "covers"}
    assert added_since_issue(report) == []
