"""International conferences come in from a spreadsheet like the other records: the list's export,
edited in Excel, comes back column for column through the admin's preview, new rows as drafts, an edited
row updating its conference, and an export imported back unchanged changing nothing."""

import datetime as dt
import io

import openpyxl
from django.forms.models import model_to_dict
from django.urls import reverse

from conferences.columns import COLUMNS
from conferences.models import Conference, ConferenceKind
from conferences.resources import ConferenceResource
from partners.models import Partner, PartnerKind
from register.import_admin import read_csv, read_xlsx
from register.publishable import ReviewState
from tests.import_files import HEADER_ROW, confirm, csv_bytes, download, headers, post_file

HEADERS = headers(COLUMNS)


def row(title, **cells):
    values = {"title": title, "kind": "Hội thảo quốc tế", "start_date": "14/03/2025", **cells}
    return [values.get(column.key, "") for column in COLUMNS]


def conferences():
    return {c.pk: {**model_to_dict(c), "partners": set(c.partners.all())} for c in Conference.objects.all()}


def test_staff_import_new_conferences_as_drafts_with_their_partners(staff_client, db):
    Partner.objects.create(
        name="Khu tự trị dân tộc Choang Quảng Tây",
        kind=PartnerKind.REGION,
        country="CN",
        review_state=ReviewState.APPROVED,
        is_public=True,
        aliases="Quảng Tây",
    )
    kind_label = dict(ConferenceKind.choices)[ConferenceKind.SEMINAR]
    data = csv_bytes(
        HEADERS,
        [
            row(
                "Hội thảo thương mại biên giới",
                kind=str(kind_label),
                partners="Quang Tay",
                foreign_participants="35",
                total_participants="120",
                place="TP Lạng Sơn",
            ),
            row("Hội nghị xúc tiến đầu tư", kind=str(kind_label), start_date="05/09/2025"),
        ],
    )

    preview = post_file(staff_client, Conference, data)
    assert preview.status_code == 200, preview.text[:500]
    assert "Hội thảo thương mại biên giới" in preview.text
    assert Conference.objects.count() == 0  # the preview saves nothing
    assert confirm(staff_client, Conference, preview).status_code == 302

    seminar = Conference.objects.get(title="Hội thảo thương mại biên giới")
    assert (seminar.start_date, seminar.foreign_participants, seminar.total_participants) == (
        dt.date(2025, 3, 14),
        35,
        120,
    )
    assert seminar.kind == ConferenceKind.SEMINAR
    assert [p.name for p in seminar.partners.all()] == ["Khu tự trị dân tộc Choang Quảng Tây"]
    assert seminar.review_state == ReviewState.DRAFT and not seminar.is_public
    # No number of foreigners in the file: unknown, never 0.
    assert Conference.objects.get(title="Hội nghị xúc tiến đầu tư").foreign_participants is None


def test_a_bad_row_is_told_with_its_excel_row_and_nothing_is_saved(staff_client, db):
    data = csv_bytes(
        HEADERS,
        [row("Hội thảo A"), row("Hội thảo B", foreign_participants="50", total_participants="20")],
    )

    result = ConferenceResource().import_data(read_csv(data), dry_run=True)

    assert result.has_validation_errors()
    problems = {invalid.number: invalid.error_dict for invalid in result.invalid_rows}
    assert list(problems) == [3], problems  # the header is row 1
    assert Conference.objects.count() == 0


def test_an_export_imported_back_unchanged_changes_nothing_and_an_edited_cell_updates_its_conference(
    client, approver, db
):
    first = Conference.objects.create(
        title="Hội thảo một",
        start_date=dt.date(2025, 1, 10),
        foreign_participants=4,
        review_state=ReviewState.APPROVED,
        is_public=True,
    )
    Conference.objects.create(
        title="Hội thảo hai", start_date=dt.date(2025, 2, 10), review_state=ReviewState.APPROVED, is_public=True
    )
    client.force_login(approver)  # approved records: approvers may still correct them
    before = conferences()

    unchanged = ConferenceResource().import_data(
        read_xlsx(download(client, reverse("conferences:export_xlsx"))), dry_run=False
    )
    assert not unchanged.has_errors() and not unchanged.has_validation_errors()
    assert unchanged.totals["new"] == unchanged.totals["update"] == 0
    assert conferences() == before

    workbook = openpyxl.load_workbook(io.BytesIO(download(client, reverse("conferences:export_xlsx"))))
    sheet = workbook.active
    header = [cell.value for cell in sheet[HEADER_ROW]]
    number, foreign = header.index("Số hồ sơ"), header.index("Số đại biểu nước ngoài")
    edited = next(r for r in sheet.iter_rows(min_row=HEADER_ROW + 1) if r[number].value == first.pk)
    edited[foreign].value = 9
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = post_file(client, Conference, buffer.getvalue(), "hoi-nghi.xlsx")
    assert preview.context["result"].totals["update"] == 1
    assert confirm(client, Conference, preview).status_code == 302
    after = conferences()
    assert after[first.pk]["foreign_participants"] == 9
    assert {pk: r for pk, r in after.items() if pk != first.pk} == {pk: r for pk, r in before.items() if pk != first.pk}
