"""Admin imports: staff bring their spreadsheets in through a preview, every
bad row is reported with the number Excel shows and nothing is saved until
every row is good; names, dates and amounts are read as people write them."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from agreements.columns import COLUMNS as AGREEMENT_COLUMNS
from agreements.models import Agreement, AgreementKind
from agreements.resources import AgreementResource
from common.collation import vietnamese_key
from delegations.columns import COLUMNS as DELEGATION_COLUMNS
from delegations.models import Delegation, Direction
from delegations.resources import DelegationResource
from partners.columns import COLUMNS as PARTNER_COLUMNS
from partners.models import LocalUnit, Partner
from partners.resources import PartnerResource
from projects.columns import COLUMNS as PROJECT_COLUMNS
from projects.columns import TRANSACTION_COLUMNS
from projects.models import Project, Transaction
from projects.resources import ProjectResource
from register import import_bulk
from register.import_admin import read_csv, read_xlsx
from register.import_cells import EXCEL_EPOCH, DateWidget, DecimalWidget
from register.publishable import ReviewState
from tests.conftest import make_user
from tests.import_files import confirm, csv_bytes, headers, import_url, post_file, upload, version_of, xlsx_bytes

DELEGATION_HEADERS = headers(DELEGATION_COLUMNS)


def delegation_row(title, **cells):
    """A row of the delegation sheet, as the export writes it, blank but for ``cells``
    (a row of an existing record carries its current version unless told otherwise)."""
    values = {"title": title, "direction": "Đoàn ra", "start_date": "03/04/2024", **cells}
    if values.get("id") and "version" not in values and Delegation.objects.filter(pk=values["id"]).exists():
        values["version"] = version_of(Delegation, values["id"])
    return [values.get(column.key, "") for column in DELEGATION_COLUMNS]


def run(resource, data, fmt="csv", dry_run=False):
    dataset = read_csv(data) if fmt == "csv" else read_xlsx(data)
    with translation.override("vi"):
        return resource.import_data(dataset, dry_run=dry_run)


# --- The admin flow -------------------------------------------------------------------------------------------


def test_staff_imports_delegations_through_the_preview_then_confirms(staff_client, seeded):
    before = Delegation.objects.count()
    page = staff_client.get(import_url(Delegation))
    assert page.status_code == 200
    assert "Kiểm tra tệp" in page.text and "Tự nhận biết từ tệp" in page.text
    data = csv_bytes(
        DELEGATION_HEADERS,
        [
            delegation_row("Đoàn Bằng Tường sang Cao Lộc", partners="bang tuong; Quảng Tây", is_public="Có"),
            delegation_row("Đoàn đi Nam Ninh", direction="out", host_unit="So Ngoai vu", size="12"),
        ],
    )
    preview = post_file(staff_client, Delegation, data)
    assert preview.status_code == 200
    assert "Xem trước" in preview.text and "Đoàn đi Nam Ninh" in preview.text
    assert Delegation.objects.count() == before  # the preview saved nothing

    done = confirm(staff_client, Delegation, preview)
    assert done.status_code == 302
    assert Delegation.objects.count() == before + 2
    trip = Delegation.objects.get(title="Đoàn Bằng Tường sang Cao Lộc")
    assert {p.name for p in trip.partners.all()} == {"Bằng Tường", "Khu tự trị dân tộc Choang Quảng Tây"}
    assert (trip.direction, trip.start_date) == (Direction.OUTBOUND, dt.date(2024, 4, 3))
    # Publication is never set from a file: a new record starts as a draft.
    assert (trip.is_public, trip.review_state) == (False, ReviewState.DRAFT)
    other = Delegation.objects.get(title="Đoàn đi Nam Ninh")
    assert (other.host_unit.name, other.size) == ("Sở Ngoại vụ tỉnh Lạng Sơn", 12)
    followed = staff_client.get(done.url)
    assert "Đã nhập xong: 2 mới, 0 cập nhật, 0 không đổi." in followed.text
    history = LogEntry.objects.filter(object_id__in=[str(trip.pk), str(other.pk)], action_flag=ADDITION)
    assert [entry.get_change_message() for entry in history] == ["Nhập từ tệp bảng tính"] * 2


def test_a_thousand_rows_with_three_bad_ones_report_those_rows_and_save_nothing(staff_client, seeded):
    before = Delegation.objects.count()
    rows = [delegation_row(f"Đoàn số {n}", partners="Quảng Tây", size=str(n)) for n in range(1000)]
    # Spreadsheet rows 18, 503 and 1001: data row n sits on row n + 2 (the header is row 1).
    rows[16] = delegation_row("Về trước khi đi", start_date="10/05/2024", end_date="01/05/2024")
    rows[501] = delegation_row("Đối tác lạ", partners="Quảng Tây; Xứ Sở Thần Tiên")
    rows[999] = delegation_row("Ngày sai", start_date="31/02/2024")
    response = post_file(staff_client, Delegation, xlsx_bytes(("Đoàn", DELEGATION_HEADERS, rows)), "doan.xlsx")

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    result = response.context["result"]
    assert result.bad_rows() == [18, 503, 1001]
    problems = {(number, column): message for _sheet, number, column, message in result.problems()}
    assert problems[(18, "Ngày kết thúc")] == "Ngày kết thúc không được trước ngày bắt đầu."
    assert "Xứ Sở Thần Tiên" in problems[(503, "Đối tác")]
    assert "31/02/2024" in problems[(1001, "Ngày bắt đầu")]
    assert "Có lỗi ở 3 dòng." in response.text and "Chưa có gì được lưu." in response.text
    assert Delegation.objects.count() == before

    # Confirmed regardless (the data changed between preview and confirm): still nothing saved.
    result = run(DelegationResource(), xlsx_bytes(("Đoàn", DELEGATION_HEADERS, rows)), fmt="xlsx")
    assert result.bad_rows() == [18, 503, 1001]
    assert Delegation.objects.count() == before


def test_a_confirmed_import_whose_data_went_bad_since_the_preview_saves_nothing(staff_client, seeded):
    before = Delegation.objects.count()
    data = csv_bytes(
        DELEGATION_HEADERS, [delegation_row("Đoàn một"), delegation_row("Đoàn hai", host_unit="Sở Ngoại vụ")]
    )
    preview = post_file(staff_client, Delegation, data)
    # Meanwhile another unit takes "Sở Ngoại vụ" among its names: the second row is now ambiguous.
    LocalUnit.objects.create(name="Sở Ngoại vụ tỉnh bạn", aliases="Sở Ngoại vụ", kind="department")
    response = confirm(staff_client, Delegation, preview)
    assert response.status_code == 200
    assert "Sở Ngoại vụ tỉnh bạn" in response.text and "Chưa có gì được lưu." in response.text
    assert Delegation.objects.count() == before


# --- Values as people write them -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("134.525.000", Decimal("134525000")),
        ("134.525.000 ₫", Decimal("134525000")),
        ("1.234,50", Decimal("1234.50")),
        ("134525000", Decimal("134525000")),
        ("1234.50", Decimal("1234.50")),
        ("224,5 USD", Decimal("224.5")),
        (134525000, Decimal("134525000")),
        (1234.5, Decimal("1234.5")),
    ],
)
def test_amounts_are_read_as_vietnamese_and_spreadsheets_write_them(cell, expected):
    committed = next(c for c in PROJECT_COLUMNS if c.key == "committed_amount")
    assert DecimalWidget(committed).clean(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        "03/04/2024",
        "3/4/2024",
        "2024-04-03",
        dt.datetime(2024, 4, 3),
        dt.date(2024, 4, 3),
        (dt.date(2024, 4, 3) - EXCEL_EPOCH).days,
    ],
)
def test_dates_are_read_from_text_date_cells_and_serial_numbers(cell):
    assert DateWidget(None).clean(cell) == dt.date(2024, 4, 3)


def test_project_dates_and_amounts_in_vietnamese_forms_are_saved(seeded):
    row = {
        "kind": "ODA",
        "title": "Dự án nước sạch",
        "planned_start": "01/02/2024",
        "planned_end": "2025-03-31",
        "committed_amount": "134.525.000",
        "currency": "VND",
        "sector": "Y tế",
        "status": "dang thuc hien",
    }
    data = csv_bytes(headers(PROJECT_COLUMNS), [[row.get(c.key, "") for c in PROJECT_COLUMNS]])
    result = run(ProjectResource(), data)
    assert not result.has_validation_errors(), result.problems()
    project = Project.objects.get(title="Dự án nước sạch")
    assert (project.planned_start, project.planned_end) == (dt.date(2024, 2, 1), dt.date(2025, 3, 31))
    assert (project.committed_amount, project.committed_vnd) == (Decimal("134525000"), Decimal("134525000"))
    assert (project.sector.code, project.status) == ("12000", 2)


@pytest.mark.parametrize(
    ("written", "partner"),
    [
        ("quang tay", "Khu tự trị dân tộc Choang Quảng Tây"),
        ("QUẢNG TÂY", "Khu tự trị dân tộc Choang Quảng Tây"),
        ("pingxiang", "Bằng Tường"),
        ("WB", "Ngân hàng Thế giới"),
        ("ngan hang the gioi", "Ngân hàng Thế giới"),
    ],
)
def test_partners_are_matched_by_name_english_name_or_alias_without_accents(seeded, written, partner):
    data = csv_bytes(DELEGATION_HEADERS, [delegation_row("Đoàn thử", partners=written)])
    result = run(DelegationResource(), data)
    assert not result.has_validation_errors(), result.problems()
    assert [p.name for p in Delegation.objects.get(title="Đoàn thử").partners.all()] == [partner]


def test_an_unknown_partner_is_a_row_error_naming_it_and_no_partner_is_created(seeded):
    partners = Partner.objects.count()
    data = csv_bytes(DELEGATION_HEADERS, [delegation_row("Đoàn thử", partners="Quảng Tây; Atlantis")])
    result = run(DelegationResource(), data)
    assert [(n, c, m) for _s, n, c, m in result.problems()] == [
        (2, "Đối tác", "Không có đối tác nào tên là “Atlantis”.")
    ]
    assert Partner.objects.count() == partners and not Delegation.objects.filter(title="Đoàn thử").exists()


def test_participants_by_role_are_partners_or_failing_that_local_units(seeded):
    row = {"kind": "ODA", "title": "Dự án y tế", "participants_1": "World Bank", "participants_4": "Huyện Cao Lộc"}
    data = csv_bytes(headers(PROJECT_COLUMNS), [[row.get(c.key, "") for c in PROJECT_COLUMNS]])
    run(ProjectResource(), data)
    project = Project.objects.get(title="Dự án y tế")
    assert sorted((p.role, str(p.party)) for p in project.participants.all()) == [
        (1, "Ngân hàng Thế giới"),
        (4, "Huyện Cao Lộc"),
    ]


# --- Updates instead of duplicates -----------------------------------------------------------------------------


def test_a_row_with_a_record_number_updates_that_delegation(seeded):
    delegation = Delegation.objects.get(pk=2)
    count = Delegation.objects.count()
    data = csv_bytes(DELEGATION_HEADERS, [delegation_row("Tên mới", id="2", size="40", partners="Sùng Tả")])
    result = run(DelegationResource(), data)
    assert result.totals["update"] == 1
    delegation.refresh_from_db()
    assert (delegation.title, delegation.size, Delegation.objects.count()) == ("Tên mới", 40, count)
    # Publication stays as it was: approved and public.
    assert (delegation.is_public, delegation.review_state) == (True, ReviewState.APPROVED)


def test_a_row_with_an_agreement_code_updates_it_instead_of_duplicating(seeded):
    Agreement.objects.filter(pk=1).update(code="01/2019/TTQT")
    row = {"code": "01/2019/TTQT", "title": "Tên đã sửa", "kind": AgreementKind.MOU.label}
    row["version"] = version_of(Agreement, 1)
    data = csv_bytes(headers(AGREEMENT_COLUMNS), [[row.get(c.key, "") for c in AGREEMENT_COLUMNS]])
    assert run(AgreementResource(), data).totals["update"] == 1
    assert list(Agreement.objects.values_list("pk", "title")) == [(1, "Tên đã sửa")]


def test_an_unknown_record_number_or_a_record_twice_is_a_row_error(seeded):
    rows = [delegation_row("A", id="999"), delegation_row("B", id="3"), delegation_row("C", id="3")]
    result = run(DelegationResource(), csv_bytes(DELEGATION_HEADERS, rows))
    messages = {number: message for _s, number, _c, message in result.problems()}
    assert messages == {2: "Không có hồ sơ số 999.", 4: "Hồ sơ này đã có ở dòng 3 của tệp."}


def test_a_partner_may_belong_to_a_partner_created_by_an_earlier_row(seeded):
    rows = [
        {"name": "Thành phố Nam Ninh", "kind": "Thành phố cấp địa khu", "country": "CN", "parent": "quang tay"},
        {"name": "Quận Thanh Tú", "kind": "Huyện, thị (cấp huyện)", "country": "CN", "parent": "thanh pho nam ninh"},
    ]
    data = csv_bytes(headers(PARTNER_COLUMNS), [[row.get(c.key, "") for c in PARTNER_COLUMNS] for row in rows])
    result = run(PartnerResource(), data)
    assert not result.has_validation_errors(), result.problems()
    district = Partner.objects.get(name="Quận Thanh Tú")
    assert [p.name for p in district.ancestors()] == [
        "Trung Quốc",
        "Khu tự trị dân tộc Choang Quảng Tây",
        "Thành phố Nam Ninh",
    ]


def test_imported_partners_carry_the_sort_key_of_their_names(seeded):
    renamed = Partner.objects.get(name="Trung Quốc")
    rows = [
        {"name": "Đồng Hưng", "kind": "Huyện, thị (cấp huyện)", "country": "CN", "parent": "quang tay"},
        {"id": str(renamed.pk), "name": "Ấn Độ", "kind": "Quốc gia", "country": "IN", "version": "0"},
    ]
    data = csv_bytes(headers(PARTNER_COLUMNS), [[row.get(c.key, "") for c in PARTNER_COLUMNS] for row in rows])
    result = run(PartnerResource(), data)
    assert not result.has_validation_errors(), result.problems()
    assert (result.totals["new"], result.totals["update"]) == (1, 1)
    for name in ("Đồng Hưng", "Ấn Độ"):
        assert Partner.objects.get(name=name).name_sort == vietnamese_key(name)


# --- Projects with their transactions -------------------------------------------------------------------------


def project_workbook(transactions):
    project = {"code": "WB-2026", "kind": "ODA", "title": "Dự án mới của Ngân hàng Thế giới"}
    return xlsx_bytes(
        ("Dự án", headers(PROJECT_COLUMNS), [[project.get(c.key, "") for c in PROJECT_COLUMNS]]),
        (
            "Giao dịch",
            headers(TRANSACTION_COLUMNS),
            [[t.get(c.key, "") for c in TRANSACTION_COLUMNS] for t in transactions],
        ),
    )


def test_a_project_workbook_brings_its_transactions_sheet_in_the_same_import(staff_client, seeded):
    transactions = [
        {
            "project_code": "WB-2026",
            "kind": "Giải ngân",
            "date": "15/01/2026",
            "amount": "84.248.000",
            "currency": "VND",
        },
        {
            "project_id": 2,
            "kind": "Hỗ trợ bằng hiện vật",
            "date": dt.datetime(2012, 3, 1),
            "amount": 1000,
            "currency": "VND",
        },
    ]
    preview = post_file(staff_client, Project, project_workbook(transactions), "du-an.xlsx")
    assert "Giao dịch" in preview.text and "2 mới" in preview.text
    assert confirm(staff_client, Project, preview).status_code == 302
    project = Project.objects.get(code="WB-2026")
    assert list(project.transactions.values_list("amount_vnd", flat=True)) == [Decimal("84248000")]
    assert Transaction.objects.filter(project_id=2).count() == 3


def test_a_bad_transaction_row_leaves_the_projects_unsaved_too(staff_client, seeded):
    transactions = [{"project_code": "KHONG-CO", "kind": "Giải ngân", "date": "15/01/2026", "amount": "1"}]
    response = post_file(staff_client, Project, project_workbook(transactions), "du-an.xlsx")
    assert ("Giao dịch", 2, "Mã dự án", "Không có dự án nào có mã “KHONG-CO”.") in response.context["result"].problems()
    assert not Project.objects.filter(code="WB-2026").exists()


def test_transactions_alone_come_from_a_csv(staff_client, seeded):
    data = csv_bytes(headers(TRANSACTION_COLUMNS), [[2, "", "", "Cam kết", "01/01/2010", "", "1.000", "VND"]])
    preview = post_file(staff_client, Project, data, resource="1")
    assert confirm(staff_client, Project, preview).status_code == 302
    assert Transaction.objects.filter(project_id=2, kind="commitment", amount=1000).exists()


# --- Who may import, and what it costs -------------------------------------------------------------------------


def test_only_users_who_may_add_and_change_may_import(client, staff_client, official_client, seeded):
    listing = staff_client.get(import_url(Delegation, "changelist"))
    assert import_url(Delegation) in listing.text
    reader = make_user("reader", "official", is_staff=True)
    client.force_login(reader)
    assert import_url(Delegation) not in client.get(import_url(Delegation, "changelist")).text
    assert client.get(import_url(Delegation)).status_code == 403
    assert client.post(import_url(Delegation, "process_import"), {}).status_code == 403
    # The official outside the admin is sent to the admin's sign-in page.
    assert official_client.get(import_url(Delegation)).status_code == 302


@pytest.mark.parametrize("rows", [50, 100])
def test_a_saving_import_of_new_rows_costs_no_statement_a_row(seeded, rows):
    data = csv_bytes(DELEGATION_HEADERS, [delegation_row(f"Đoàn {n}", partners="Quảng Tây") for n in range(rows)])
    dataset, resource = read_csv(data), DelegationResource()
    with CaptureQueriesContext(connection) as queries, translation.override("vi"):
        result = resource.import_data(dataset, dry_run=False)
    assert result.totals["new"] == rows
    statements = [query["sql"] for query in queries.captured_queries]
    savepoints = [sql for sql in statements if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    # None a row (a new row writes nothing until the batch's bulk write, so it
    # needs no savepoint of its own): those of the import and of the new records' write.
    assert len(savepoints) == 4
    # Once per import: the partners, local units and mechanisms of the name
    # indexes, the existing records of the file's titles and of its start dates
    # (possible duplicates), then one INSERT each for the records, their audit
    # trail, their partner links and the links' audit trail (SQLite splits an
    # INSERT past 999 parameters: as many rows as fit, the audit trail's being the widest).
    others = [sql for sql in statements if sql not in savepoints]
    inserts = Counter(sql.split('"')[1] for sql in others if sql.startswith("INSERT"))
    assert len(others) == 5 + sum(inserts.values())
    assert set(inserts) == {
        "delegations_delegation",
        "delegations_historicaldelegation",
        "delegations_delegation_partners",
        "delegations_historicaldelegation_partners",
    }
    widest = len(Delegation.history.model._meta.concrete_fields)
    assert max(inserts.values()) <= (1 if connection.vendor == "postgresql" else -(-rows * widest // 999))


def test_new_records_written_together_keep_their_search_text_sort_key_links_and_audit_trail(seeded, staff):
    data = csv_bytes(
        DELEGATION_HEADERS,
        [
            delegation_row("Đoàn Đồng Đăng", partners="Quảng Tây; bang tuong", start_date="05/06/2024"),
            delegation_row("Đoàn Ải Chi Lăng", start_date="05/06/2024", size="7"),
        ],
    )
    with translation.override("vi"):
        result = DelegationResource().import_data(read_csv(data), dry_run=False, user=staff)
    assert result.totals["new"] == 2, result.problems()
    trip = Delegation.objects.get(title="Đoàn Đồng Đăng")
    assert "doan dong dang" in trip.search_text and trip.search_text == trip.build_search_text()
    assert trip.title_sort == vietnamese_key("Đoàn Đồng Đăng")
    assert trip.created_at is not None and trip.updated_at is not None
    partners = {"Bằng Tường", "Khu tự trị dân tộc Choang Quảng Tây"}
    assert {p.name for p in trip.partners.all()} == partners
    # One audit record per new record: who imported it, and its partners.
    (created,) = trip.history.all()
    assert (created.history_type, created.history_user, created.title) == ("+", staff, "Đoàn Đồng Đăng")
    assert {link.partner.name for link in created.partners.all()} == partners
    assert [row.number for row in result.valid_rows()] == [2, 3]
    assert [row.object_id for row in result.valid_rows()] == [trip.pk, trip.pk + 1]
    call_command("rebuild_aggregates", "--check")  # the tallies' triggers counted them


def test_new_records_the_database_refuses_together_are_saved_again_one_by_one(seeded, monkeypatch):
    def refuse(model, pending, user):
        raise DatabaseError("could not serialize access")

    monkeypatch.setattr(import_bulk, "write", refuse)
    rows = [delegation_row("Đoàn một", partners="Quảng Tây"), delegation_row("Đoàn hai")]
    result = run(DelegationResource(), csv_bytes(DELEGATION_HEADERS, rows))
    assert result.totals["new"] == 2, result.problems()
    assert Delegation.objects.get(title="Đoàn một").partners.get().name == "Khu tự trị dân tộc Choang Quảng Tây"
    assert Delegation.objects.filter(title="Đoàn hai").exists()


def test_new_records_whose_saves_someone_else_listens_to_are_saved_one_by_one(seeded):
    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append(instance.title)

    post_save.connect(listener, sender=Delegation)
    try:
        rows = [delegation_row("Đoàn một"), delegation_row("Đoàn hai")]
        result = run(DelegationResource(), csv_bytes(DELEGATION_HEADERS, rows))
    finally:
        post_save.disconnect(listener, sender=Delegation)
    assert result.totals["new"] == 2, result.problems()
    assert heard == ["Đoàn một", "Đoàn hai"]


def test_vietnamese_headers_without_accents_and_english_headers_are_accepted(seeded):
    english = headers(DELEGATION_COLUMNS, "en")
    folded = [h.lower().replace("ê", "e").replace("đ", "d") for h in DELEGATION_HEADERS]
    for header_row in (english, folded):
        # Two titles: the second file's row would otherwise be a possible duplicate of the first.
        result = run(DelegationResource(), csv_bytes(header_row, [delegation_row(f"Đoàn {header_row[2]}")]))
        assert result.totals["new"] == 1, result.problems()


def test_a_file_with_a_semicolon_delimiter_and_blank_rows_keeps_excel_row_numbers(seeded):
    data = csv_bytes(DELEGATION_HEADERS, [delegation_row("A"), [], delegation_row("B", start_date="x")], delimiter=";")
    result = run(DelegationResource(), data)
    assert result.bad_rows() == [4]
    assert upload(data).size == len(data)


@pytest.mark.parametrize("rows", [50, 100])
def test_an_update_import_loads_the_records_once_and_then_only_writes(seeded, django_assert_num_queries, rows):
    guangxi = Partner.objects.get(pk=9)
    existing = Delegation.objects.bulk_create(Delegation(title=f"Đoàn {n}", size=n) for n in range(rows))
    for delegation in existing:
        delegation.partners.add(guangxi)
    data = csv_bytes(
        DELEGATION_HEADERS,
        [delegation_row(d.title, id=d.pk, size=str(d.size + 1), partners="Quảng Tây") for d in existing],
    )
    dataset, resource = read_csv(data), DelegationResource()
    # Once per import (11): the 9 of a new import, and the delegations named by
    # record number with their partners (2 queries for up to 500 rows). Per row
    # (7): SAVEPOINT, the UPDATE, its audit-trail record (INSERT, 2 SELECTs, the
    # INSERT of its partner snapshot), RELEASE; the partners are unchanged, so
    # no link is written.
    with django_assert_num_queries(11 + 7 * rows), translation.override("vi"):
        result = resource.import_data(dataset, dry_run=False)
    assert result.totals["update"] == rows
    sizes = Delegation.objects.filter(pk__in=[d.pk for d in existing]).values_list("size", flat=True)
    assert sorted(sizes) == list(range(1, rows + 1))
