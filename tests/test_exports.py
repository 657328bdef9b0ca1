"""CSV and XLSX exports of the four lists: the same rows as the filtered list in
the same order, Vietnamese headers and labels, typed cells, neutralised
formulas, visibility, streaming, and a number of queries that does not grow
with the rows."""

import csv
import datetime as dt
import io
import math
import re
from decimal import Decimal
from urllib.parse import urlencode

import openpyxl
import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation

from agreements.columns import COLUMNS as AGREEMENT_COLUMNS
from agreements.models import Agreement, AgreementKind
from common.cells import FORMULA_TRIGGERS
from delegations.columns import COLUMNS as DELEGATION_COLUMNS
from delegations.models import Delegation, Direction, Purpose
from partners.columns import COLUMNS as PARTNER_COLUMNS
from partners.models import LocalUnit, Partner, Sector
from projects.columns import COLUMNS as PROJECT_COLUMNS
from projects.columns import TRANSACTION_COLUMNS
from projects.models import Project
from register import copy_csv, exports
from register.publishable import ReviewState
from register.sheets import CHUNK_SIZE
from tests.conftest import PUBLISHED, english
from tests.import_files import HEADER_ROW, TITLE_ROWS, export_rows

INJECTION = '=HYPERLINK("http://x","y")'


def vi(columns, key):
    """The Vietnamese header of the column ``key``."""
    with translation.override("vi"):
        return str(next(column.header for column in columns if column.key == key))


def published(flag=True):
    return {"is_public": flag, "review_state": ReviewState.APPROVED if flag else ReviewState.DRAFT}


def csv_rows(response):
    """The CSV's rows, header first, after checking it is streamed UTF-8 with a BOM."""
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def workbook(response):
    assert isinstance(response, FileResponse) and response.streaming
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def sheet_rows(worksheet):
    """The sheet's header and data rows, below its title rows."""
    return export_rows(worksheet)


def exported_numbers(client, app, file_format, params=None):
    """The record numbers (first column) of an export, in file order."""
    response = client.get(reverse(f"{app}:export_{file_format}"), params or {})
    assert response.status_code == 200
    rows = csv_rows(response)[1:] if file_format == "csv" else sheet_rows(workbook(response).worksheets[0])[1:]
    return [int(row[0]) for row in rows]


def listed_numbers(client, app, params=None):
    """The record numbers of the list page's rows, over all its pages."""
    numbers, page = [], 1
    while True:
        response = client.get(reverse(f"{app}:list"), {**(params or {}), "page": page})
        numbers += [record.pk for record in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            return numbers
        page += 1


@pytest.fixture
def many_records(seeded):
    """Enough delegations for three pages of the list, some unpublished, and an
    agreement, a project and a partner that only officials see or that the filters leave out."""
    guangxi = Partner.objects.get(name_en="Guangxi Zhuang Autonomous Region")
    laos = Partner.objects.get(name_en="Laos")
    for n in range(60):
        delegation = Delegation.objects.create(
            title=f"Đoàn {n:02d}",
            direction=[Direction.INBOUND, Direction.OUTBOUND][n % 2],
            start_date=dt.date(2020 + n % 5, 1 + n % 12, 1 + n % 28),
            size=n,
            **published(n % 3 != 0),
        )
        delegation.partners.set([guangxi] if n % 4 else [guangxi, laos])
    Agreement.objects.create(title="Bản ghi nhớ nội bộ", kind=AgreementKind.MOU, **published(False))
    Project.objects.create(title="Dự án nội bộ", kind="oda", **published(False))


# Each list with filters that select some of its rows (one of them invalid, and
# ignored as the page ignores it) and a sort order that is not the default.
CASES = [
    ("delegations", {"direction": "in", "year": "not-a-year", "sort": "title"}),
    ("delegations", {"partner": "GUANGXI", "sort": "-size"}),
    ("agreements", {"kind": AgreementKind.MOU, "sort": "title"}),
    ("projects", {"kind": "oda", "sort": "title"}),
    ("partners", {"country": "CN", "sort": "kind"}),
]


def resolve(params):
    """Fixture-dependent values: the Guangxi partner's number."""
    if params.get("partner") == "GUANGXI":
        return {**params, "partner": Partner.objects.get(name_en="Guangxi Zhuang Autonomous Region").pk}
    return params


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(("app", "params"), CASES)
@pytest.mark.parametrize("role", ["visitor", "official"])
def test_an_export_holds_the_filtered_list_rows_in_the_list_order(
    request, client, many_records, role, app, params, file_format
):
    if role == "official":
        client.force_login(request.getfixturevalue("official"))
    params = resolve(params)
    listed = listed_numbers(client, app, params)
    assert listed, "the filters select some rows"
    assert exported_numbers(client, app, file_format, params) == listed


def test_the_delegation_filters_leave_rows_out_of_the_export(official_client, many_records):
    everything = exported_numbers(official_client, "delegations", "csv")
    inbound = exported_numbers(official_client, "delegations", "csv", {"direction": "in"})
    assert len(everything) == Delegation.objects.count()
    assert 0 < len(inbound) < len(everything)
    assert set(inbound) == set(Delegation.objects.filter(direction="in").values_list("pk", flat=True))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_visitor_export_leaves_out_unpublished_records_that_an_official_gets(
    client, official_client, seeded, file_format
):
    hidden = Delegation.objects.create(title="Đoàn chưa công bố", direction=Direction.INBOUND, **published(False))
    shown = Delegation.objects.create(title="Đoàn đã công bố", direction=Direction.INBOUND, **published(True))
    params = {"direction": "in"}
    official = exported_numbers(official_client, "delegations", file_format, params)
    visitor = exported_numbers(client, "delegations", file_format, params)
    assert hidden.pk in official and shown.pk in official
    assert hidden.pk not in visitor and shown.pk in visitor


def test_a_visitor_does_not_read_the_title_of_an_unpublished_successor(client, official_client, seeded):
    successor = Agreement.objects.create(title="Thỏa thuận thay thế (dự thảo)", kind="mou", **published(False))
    Agreement.objects.filter(kind="mou").exclude(pk=successor.pk).update(succeeded_by=successor)
    header, *visitor_rows = csv_rows(client.get(reverse("agreements:export_csv")))
    column = header.index(vi(AGREEMENT_COLUMNS, "succeeded_by"))
    assert {row[column] for row in visitor_rows} == {""}
    _header, *official_rows = csv_rows(official_client.get(reverse("agreements:export_csv")))
    assert "Thỏa thuận thay thế (dự thảo)" in {row[column] for row in official_rows}


# --- headers and cells -------------------------------------------------------


def test_the_delegation_csv_has_vietnamese_headers_labels_and_dates(client, seeded):
    response = client.get(reverse("delegations:export_csv"))
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="doan-ra-vao-{today:%Y-%m-%d}.csv"'
    header, *rows = csv_rows(response)
    with translation.override("vi"):
        assert header == [str(column.header) for column in DELEGATION_COLUMNS]
    assert header[:3] == ["Số hồ sơ", "Loại đoàn", "Tiêu đề"]
    mofa = next(dict(zip(header, row, strict=True)) for row in rows if row[2].startswith("Đoàn công tác của Bộ Ngoại"))
    assert mofa[vi(DELEGATION_COLUMNS, "start_date")] == "03/04/2024"
    assert mofa["Loại đoàn"] == "Đoàn công tác của lãnh đạo Trung ương, tỉnh"
    assert mofa[vi(DELEGATION_COLUMNS, "is_public")] == "Có"


def test_an_english_reader_gets_english_headers(client, seeded):
    header = csv_rows(english(client).get(reverse("delegations:export_csv")))[0]
    assert header[:3] == ["Record number", "Direction", "Title"]


def test_numbers_in_the_csv_are_plain_digits_with_a_decimal_point(client, db):
    Project.objects.create(title="Trường học", kind="ngo", committed_amount=Decimal("134525000"), **published())
    Project.objects.create(
        title="Giếng nước", kind="ngo", committed_amount=Decimal("1234.5"), currency="USD", **published()
    )
    header, *rows = csv_rows(client.get(reverse("projects:export_csv"), {"sort": "title"}))
    amount, in_vnd = (
        header.index(vi(PROJECT_COLUMNS, "committed_amount")),
        header.index(vi(PROJECT_COLUMNS, "committed_vnd")),
    )
    assert [(row[3], row[amount], row[in_vnd]) for row in rows] == [
        ("Giếng nước", "1234.50", ""),  # no USD rate recorded: no amount in đồng
        ("Trường học", "134525000.00", "134525000"),
    ]


def test_the_delegation_xlsx_has_typed_cells_a_frozen_bold_header_and_widths(official_client, seeded):
    Delegation.objects.create(
        title="Đoàn có số người", direction=Direction.OUTBOUND, start_date=dt.date(2024, 5, 6), size=12
    )
    response = official_client.get(reverse("delegations:export_xlsx"))
    assert response["Content-Disposition"].endswith(f'filename="doan-ra-vao-{timezone.localdate():%Y-%m-%d}.xlsx"')
    sheet = workbook(response).worksheets[0]
    assert sheet.title == "Đoàn ra, đoàn vào"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[:3] == ["Số hồ sơ", "Loại đoàn", "Tiêu đề"]
    assert all(cell.font.b for cell in sheet[HEADER_ROW])
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width  # title wider than the number
    row = next(row for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[2].value == "Đoàn có số người")
    cells = dict(zip(header, row, strict=True))
    start, size = cells[vi(DELEGATION_COLUMNS, "start_date")], cells[vi(DELEGATION_COLUMNS, "size")]
    assert start.is_date and start.number_format == "dd/mm/yyyy"
    assert start.value.date() == dt.date(2024, 5, 6)
    assert size.value == 12 and size.data_type == "n" and size.number_format == "#,##0"
    assert cells["Loại đoàn"].value == "Đoàn ra"
    assert cells[vi(DELEGATION_COLUMNS, "is_public")].value == "Không"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_title_that_looks_like_a_formula_is_exported_as_text(official_client, db, file_format):
    Delegation.objects.create(title=INJECTION, direction=Direction.INBOUND, leader_name="@SUM(A1)")
    response = official_client.get(reverse(f"delegations:export_{file_format}"))
    if file_format == "csv":
        row = csv_rows(response)[1]
        title, leader = row[2], row[DELEGATION_COLUMNS.index(column("leader_name"))]
    else:
        cells = next(workbook(response).worksheets[0].iter_rows(min_row=HEADER_ROW + 1))
        title, leader = cells[2].value, cells[DELEGATION_COLUMNS.index(column("leader_name"))].value
        assert cells[2].data_type == "s"
    assert title == "'" + INJECTION
    assert leader == "'@SUM(A1)"


def column(key):
    return next(c for c in DELEGATION_COLUMNS if c.key == key)


def test_the_project_xlsx_has_the_world_bank_transactions_on_a_second_sheet(client, seeded):
    book = workbook(client.get(reverse("projects:export_xlsx")))
    projects, transactions = book.worksheets
    assert transactions.title == "Giao dịch"
    assert transactions.freeze_panes == f"A{HEADER_ROW + 1}"
    header, *rows = sheet_rows(transactions)
    world_bank = Project.objects.get(participants__partner__name_en="World Bank")
    mine = [dict(zip(header, row, strict=True)) for row in rows if row[0] == world_bank.pk]
    date, amount, amount_vnd = (vi(TRANSACTION_COLUMNS, key) for key in ["date", "amount", "amount_vnd"])
    assert [(r[date].year, r[amount], r[amount_vnd]) for r in mine] == [
        (2010, 84_248_000, 84_248_000),
        (2011, 222_506_000, 222_506_000),
    ]
    assert {r[vi(TRANSACTION_COLUMNS, "kind")] for r in mine} == {"Hỗ trợ bằng hiện vật"}
    project_header, *project_rows = sheet_rows(projects)
    row = dict(zip(project_header, next(r for r in project_rows if r[0] == world_bank.pk), strict=True))
    assert "Ngân hàng Thế giới" in row["Nhà tài trợ"]


def test_the_project_csv_holds_the_projects_only(client, seeded):
    rows = csv_rows(client.get(reverse("projects:export_csv")))[1:]
    assert sorted(int(row[0]) for row in rows) == sorted(Project.objects.published().values_list("pk", flat=True))


def test_the_partner_export_names_the_parent_and_joins_nothing_else(client, seeded):
    header, *rows = csv_rows(client.get(reverse("partners:export_csv"), {"q": "Bằng Tường"}))
    row = dict(zip(header, rows[0], strict=True))
    pingxiang = Partner.objects.get(name_en="Pingxiang")
    assert int(row["Số hồ sơ"]) == pingxiang.pk
    assert row[vi(PARTNER_COLUMNS, "parent")] == pingxiang.parent.name


# --- links on the lists ------------------------------------------------------


@pytest.mark.parametrize("app", ["delegations", "agreements", "projects", "partners"])
def test_the_list_links_its_exports_with_its_filters_but_not_its_page(client, seeded, app):
    html = client.get(reverse(f"{app}:list"), {"q": "Lạng Sơn", "sort": "title", "page": "1"}).content.decode()
    for file_format in ["csv", "xlsx"]:
        url = reverse(f"{app}:export_{file_format}")
        assert re.search(rf'href="{re.escape(url)}\?q=[^"&]+&amp;sort=title"', html), file_format
        assert f'href="{url}?q' in html and "page=" not in re.search(rf'href="{re.escape(url)}[^"]*"', html).group()


def test_an_unfiltered_list_links_bare_export_urls(client, seeded):
    html = client.get(reverse("delegations:list")).content.decode()
    assert f'href="{reverse("delegations:export_csv")}"' in html
    assert "Tải về:" in html


# --- streaming and queries ---------------------------------------------------


# Queries that plan an export's server-side cursor for all its rows (register/sheets.py).
CURSOR_PLANNING = 2 if connection.vendor == "postgresql" else 0


def bulk_delegations(count):
    """``count`` published delegations, each with two partners, a host unit and dates."""
    partners = [Partner.objects.create(**PUBLISHED, name=f"Đối tác {n}", kind="company") for n in range(2)]
    unit = LocalUnit.objects.create(**PUBLISHED, name="Sở Ngoại vụ", kind="department")
    delegations = Delegation.objects.bulk_create(
        Delegation(
            title=f"Đoàn số {n}",
            direction=Direction.INBOUND,
            purpose=Purpose.WORKING_VISIT,
            start_date=dt.date(2020, 1, 1) + dt.timedelta(days=n % 1500),
            size=n % 40,
            host_unit=unit,
            **published(True),
        )
        for n in range(count)
    )
    Link = Delegation.partners.through
    Link.objects.bulk_create(
        Link(delegation_id=delegation.pk, partner_id=partner.pk) for delegation in delegations for partner in partners
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("rows", [2 * CHUNK_SIZE, 5 * CHUNK_SIZE])
def test_a_large_export_streams_in_a_fixed_number_of_queries(client, db, django_assert_num_queries, file_format, rows):
    bulk_delegations(rows)
    chunks = math.ceil(rows / CHUNK_SIZE)
    url = reverse(f"delegations:export_{file_format}")
    # 1 the filter form's country choices
    # 2 the rows: one SELECT read through a cursor, CHUNK_SIZE rows at a time, the host
    #   unit's and mechanism's names joined, each row's partner ids by a correlated
    #   subquery on the link table (for the CSV on PostgreSQL: one COPY, its cells made
    #   text in SQL, the link table joined); no query per row or chunk
    # 3 the partners' names, once (as many rows as partners, not delegations)
    # = 3 whatever the rows: the same for 4,000 and 10,000 (the blocks below grow instead)
    # + for the XLSX on PostgreSQL, the SET and RESET that plan its cursor for every row
    with django_assert_num_queries(3 + CURSOR_PLANNING * (file_format == "xlsx")):
        response = client.get(url)
        assert response.streaming
        blocks = list(response.streaming_content)
    if file_format == "csv":
        # The BOM and header, then blocks of rows (one per chunk on SQLite, one per
        # BLOCK_SIZE bytes of PostgreSQL's COPY): never the whole file at once.
        assert len(blocks) == 1 + chunks if connection.vendor == "sqlite" else len(blocks) > 2
        assert max(map(len, blocks)) < 0.75 * sum(map(len, blocks))
        lines = b"".join(blocks).decode("utf-8-sig").splitlines()
        assert len(lines) == rows + 1
        first = next(csv.reader([lines[1]]))
        assert first[8:10] == ["Đối tác 0; Đối tác 1", "Sở Ngoại vụ"]  # partners in name order, host unit
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(blocks)), read_only=True).worksheets[0]
        assert sheet.max_row == TITLE_ROWS + 1 + rows


def test_the_official_project_workbook_reads_three_lookups_per_chunk(
    official_client, seeded, django_assert_num_queries
):
    official_client.get(reverse("projects:list"))  # the session and user, as on a running site
    # 1 the session, 2 the signed-in user
    # 3 the project rows (sector name joined, locations' ids by a correlated subquery)
    # 4 the local units' names, once (for the locations)
    # per chunk of 2,000 projects: 5 the participants by role, 6 the transactions
    # (+ on PostgreSQL, the SET and RESET that plan the rows' cursor for every row)
    with django_assert_num_queries(6 + CURSOR_PLANNING):
        response = official_client.get(reverse("projects:export_xlsx"))
        rows = sheet_rows(workbook(response).worksheets[1])
    assert len(rows) == 1 + 2  # the header and the World Bank's two transactions


# --- PostgreSQL's own CSV (register/copy_csv.py) ----------------------------------

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")

# Text that CSV quoting, formula neutralising and the COPY's line markers must all survive.
TRICKY = [
    'Hội nghị "Hai hành lang, một vành đai"',
    "Dòng một\nDòng hai\r\nDòng ba",
    "=1+2",
    "+84 25 3871 234",
    "-Đoàn trừ",
    "@SUM(A1)",
    "\tthụt lề",
    "\r",
    'a,"\r",b,"\r"\nc',
    "",
]


@pytest.fixture
def tricky_records(db):
    """Delegations, agreements and partners whose cells hold every kind of awkward
    value: quotes, commas, line breaks, formulas, Vietnamese, blanks, a code with no
    label, a dozen partners (one named like a formula), unpublished relations."""
    partners = [
        Partner.objects.create(**PUBLISHED, name=f"Đối tác {n:02d}", kind="company", country="CN") for n in range(12)
    ]
    partners.append(
        Partner.objects.create(**PUBLISHED, name='=Đối tác "trích dẫn"', kind="company", notes="-ghi chú\n2")
    )
    unit = LocalUnit.objects.create(**PUBLISHED, name='Sở "Ngoại vụ", Lạng Sơn', kind="department")
    sectors = [Sector.objects.create(code=f"T{n}", name=name) for n, name in enumerate(["=Y tế", "Giáo dục"])]
    for n, text in enumerate(TRICKY):
        delegation = Delegation.objects.create(
            title=text or "Đoàn không tên",
            direction=[Direction.INBOUND, Direction.OUTBOUND][n % 2],
            start_date=dt.date(1999 + n, 1 + n, 2 + n) if n % 3 else None,
            size=n if n % 4 else None,
            host_unit=unit if n % 2 else None,
            leader_name=text,
            outcome=text,
            **published(n % 5 != 0),
        )
        delegation.partners.set(partners[: n + 1] if n < 8 else partners)
        agreement = Agreement.objects.create(
            title=text or "Thỏa thuận", kind=AgreementKind.MOU, summary=text, **published(n % 4 != 1)
        )
        # Two many-to-many columns: up to 3 partners times 2 fields, some with none of either.
        agreement.partners.set(partners[n % 3 : n % 3 + n % 4])
        agreement.fields.set(sectors[: n % 3])
    Delegation.objects.filter(size=1).update(purpose="ma-cu")  # a code removed since: shows as itself
    draft = Agreement.objects.create(title="=Thỏa thuận dự thảo", kind=AgreementKind.MOU, **published(False))
    Agreement.objects.exclude(pk=draft.pk).update(succeeded_by=draft)
    partners[0].parent = partners[-1]
    partners[0].save()


def python_path_csv(client, url, monkeypatch):
    """The CSV that register/exports.py writes in Python, as on SQLite."""
    with monkeypatch.context() as patched:
        patched.setattr(exports, "copied_blocks", lambda *args: None)
        return b"".join(client.get(url).streaming_content)


@on_postgresql
@pytest.mark.parametrize("block_size", [copy_csv.BLOCK_SIZE, 1])
@pytest.mark.parametrize("app", ["delegations", "agreements", "partners"])
@pytest.mark.parametrize("role", ["visitor", "official"])
def test_postgresql_writes_the_very_bytes_of_the_python_csv(
    request, client, tricky_records, monkeypatch, role, app, block_size
):
    if role == "official":
        client.force_login(request.getfixturevalue("official"))
    # At block size 1 every row is a block of its own: a row's copies (one per
    # combination of its links) must still stay together.
    monkeypatch.setattr(copy_csv, "BLOCK_SIZE", block_size)
    copies = []
    monkeypatch.setattr(exports, "copy_blocks", lambda copy: copies.append(copy) or copy_csv.copy_blocks(copy))
    url = reverse(f"{app}:export_csv")
    copied = b"".join(client.get(url, {"sort": "title"}).streaming_content)
    assert copies, "the COPY path wrote the file"
    assert copied == python_path_csv(client, f"{url}?sort=title", monkeypatch)
    assert len(csv_rows_of(copied)) > 5  # the header and rows


@on_postgresql
@pytest.mark.parametrize("block_size", [copy_csv.BLOCK_SIZE, 1])
@pytest.mark.parametrize("by_partner", [False, True])
def test_a_row_with_several_partners_is_one_line_with_all_their_names(
    official_client, tricky_records, monkeypatch, block_size, by_partner
):
    # The COPY has a line per partner of a row; the copies must come together
    # whatever the blocks (one a line at block_size 1), and a filter on one
    # partner must not leave out the row's other partners.
    monkeypatch.setattr(copy_csv, "BLOCK_SIZE", block_size)
    params = {"sort": "title"}
    if by_partner:
        params["partner"] = Partner.objects.get(name="Đối tác 00").pk
    url = reverse("delegations:export_csv")
    copied = b"".join(official_client.get(url, params).streaming_content)
    assert copied == python_path_csv(official_client, f"{url}?{urlencode(params)}", monkeypatch)
    header, *rows = csv_rows_of(copied)
    assert len(rows) == Delegation.objects.count()
    partners = header.index(vi(DELEGATION_COLUMNS, "partners"))
    assert max(len(row[partners].split("; ")) for row in rows) == Partner.objects.count()


def csv_rows_of(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@on_postgresql
def test_the_copied_csv_keeps_awkward_text_and_neutralises_formulas(official_client, tricky_records):
    header, *rows = csv_rows(official_client.get(reverse("delegations:export_csv"), {"sort": "title"}))
    titles = {row[2] for row in rows}
    assert "'=1+2" in titles and "'\r" in titles and "'\tthụt lề" in titles
    assert 'Hội nghị "Hai hành lang, một vành đai"' in titles
    assert "Dòng một\nDòng hai\r\nDòng ba" in titles
    assert 'a,"\r",b,"\r"\nc' in titles
    partners = header.index(vi(DELEGATION_COLUMNS, "partners"))
    everyone = next(row for row in rows if row[2] == 'a,"\r",b,"\r"\nc')[partners]
    assert set(everyone.removeprefix("'").split("; ")) == set(Partner.objects.values_list("name", flat=True))
    assert not everyone.startswith(FORMULA_TRIGGERS)  # whichever name comes first
    assert {row[header.index(vi(DELEGATION_COLUMNS, "purpose"))] for row in rows} >= {"ma-cu"}


@on_postgresql
def test_a_visitor_copy_has_no_unpublished_record_or_successor(client, tricky_records):
    header, *rows = csv_rows(client.get(reverse("agreements:export_csv")))
    published_numbers = set(Agreement.objects.published().values_list("pk", flat=True))
    assert {int(row[0]) for row in rows} == published_numbers
    assert {row[header.index(vi(AGREEMENT_COLUMNS, "succeeded_by"))] for row in rows} == {""}
    _header, *delegation_rows = csv_rows(client.get(reverse("delegations:export_csv")))
    assert {int(row[0]) for row in delegation_rows} == set(Delegation.objects.published().values_list("pk", flat=True))


@on_postgresql
def test_the_copied_csv_costs_the_filter_choices_the_partner_names_and_one_copy(
    client, tricky_records, django_assert_num_queries
):
    with django_assert_num_queries(3) as captured:
        response = client.get(reverse("delegations:export_csv"), {"direction": "in"})
        content = b"".join(response.streaming_content)
    assert [query["sql"].split()[0] for query in captured.captured_queries] == ["SELECT", "SELECT", "COPY"]
    assert len(csv_rows_of(content)) == 1 + Delegation.objects.published().filter(direction="in").count()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_client_that_leaves_mid_copy_stops_it_and_the_connection_serves_on(client):
    bulk_delegations(3 * CHUNK_SIZE)
    response = client.get(reverse("delegations:export_csv"))
    blocks = iter(response.streaming_content)
    next(blocks), next(blocks)  # the header and the first block of rows
    response.close()
    assert Delegation.objects.count() == 3 * CHUNK_SIZE
