"""An office's list of projects with money per period in columns (issue 15, "projects
with transactions"): each cell of a "Giải ngân năm 2023 (triệu đồng)" column is one
transaction of its row's project, dated by the heading at the period's precision, in
the heading's unit; a column without a period, a running total or a plan stays in
the notes, saying why; errors name the cell; the preview writes nothing."""

import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from projects.models import Project, Transaction
from register.office_import import engine, fields
from register.office_import.amounts import Unit, parse_amount, parse_unit, unit_in
from register.office_import.errors import CellError
from register.office_import.money import read_heading
from register.office_import.plans import Choices
from tests.office_files import PROJECT_ROWS, project_list
from tests.test_office_import_pages import form_of, upload

GOOD_ROWS = [PROJECT_ROWS[0], PROJECT_ROWS[1]]


def plan_of(data, choices=None):
    return engine.read(data, "du_an_oda.xlsx", "projects", choices or Choices())


def sheet(headings, rows, title="DANH SÁCH CÁC DỰ ÁN ODA"):
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.append([title])
    worksheet.append([])
    worksheet.append(headings)
    for row in rows:
        worksheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def saved_transactions(titles):
    return sorted(
        Transaction.objects.filter(project__title__in=titles).values_list(
            "project__title", "kind", "date", "date_precision", "amount", "currency", "description"
        )
    )


def test_money_columns_are_read_by_the_kind_and_the_period_their_headings_name(seeded):
    plan = plan_of(project_list())
    assert plan.header_row == 3
    assert {c.letter: c.target for c in plan.columns} == {
        "A": "ignore",
        "B": "title",
        "C": "participants_1",
        "D": "committed_amount",  # "Vốn cam kết (USD)": no period, the project's own amount
        "E": "disbursement",
        "F": "disbursement",
        "G": "notes",  # "Lũy kế giải ngân": a running total
        "H": "notes",
    }
    notes = {c.letter: c.note for c in plan.columns}
    assert "năm 2022" in notes["E"] and "triệu đồng" in notes["E"]
    assert "lũy kế" in notes["G"]
    first = plan.rows[0]
    assert first.data["committed_amount"] == Decimal(1200000) and first.data["currency"] == "USD"
    assert first.data["kind"] == "oda"  # from the title "DANH SÁCH CÁC DỰ ÁN ODA"
    assert [(m.kind, m.date, m.precision, m.amount, m.currency, m.letter) for m in first.transactions] == [
        ("disbursement", dt.date(2022, 1, 1), "year", Decimal("134525000"), "VND", "E"),
        ("disbursement", dt.date(2023, 1, 1), "year", Decimal("2500500000"), "VND", "F"),
    ]
    assert "Lũy kế giải ngân: 2635.025" in first.data["description"]


def test_a_preview_shows_the_transactions_and_writes_nothing(seeded, superuser):
    before = (Project.objects.count(), Transaction.objects.count())
    plan = engine.preview(plan_of(project_list(GOOD_ROWS)), superuser)
    assert not plan.problems and not plan.bad_rows()
    assert [row.action for row in plan.rows] == ["create", "create"]
    assert [[m.action for m in row.transactions] for row in plan.rows] == [["create", "create"], ["create"]]
    assert (Project.objects.count(), Transaction.objects.count()) == before


def test_a_bad_amount_is_told_at_its_cell_and_nothing_is_saved(seeded, superuser):
    data = project_list()
    plan = engine.preview(plan_of(data), superuser)
    bad = plan.rows[2]
    assert bad.number == 6 and bad.action == "error"
    assert bad.errors == [("E", bad.errors[0][1])] and "“nhiều” không phải là số tiền" in bad.errors[0][1]
    before = (Project.objects.count(), Transaction.objects.count())
    with pytest.raises(engine.NotReady):
        engine.save(plan_of(data), superuser, data=data, file_name="du_an_oda.xlsx")
    assert (Project.objects.count(), Transaction.objects.count()) == before
    assert "E6: " in json.dumps([f"{letter}{row.number}: " for row in plan.bad_rows() for letter, _m in row.errors])


def test_the_save_writes_the_projects_and_exactly_the_transactions_their_cells_give(seeded, superuser):
    data = project_list()
    plan = plan_of(data)
    source = engine.save(plan, superuser, data=data, file_name="du_an_oda.xlsx", good_rows_only=True)
    assert source is not None
    titles = [row[1] for row in PROJECT_ROWS]
    assert sorted(Project.objects.filter(title__in=titles).values_list("title", "committed_amount", "currency")) == [
        ("Dự án cấp nước sạch nông thôn huyện Cao Lộc", Decimal("1200000.00"), "USD"),
        ("Dự án nâng cao năng lực y tế cơ sở", Decimal("500000.00"), "USD"),
    ]
    water, health = titles[0], titles[1]
    assert saved_transactions(titles) == [
        (water, "disbursement", dt.date(2022, 1, 1), "year", Decimal("134525000.00"), "VND", ""),
        (water, "disbursement", dt.date(2023, 1, 1), "year", Decimal("2500500000.00"), "VND", ""),
        (health, "disbursement", dt.date(2023, 1, 1), "year", Decimal("84248000.00"), "VND", ""),
    ]
    # The running total is no transaction: it stays in the description, as written.
    assert "Lũy kế giải ngân: 2635.025" in Project.objects.get(title=water).description


def test_a_list_imported_again_adds_no_transaction_twice(seeded, superuser):
    data = project_list(GOOD_ROWS)
    engine.save(plan_of(data), superuser, data=data, file_name="du_an_oda.xlsx")
    count = Transaction.objects.count()
    plan = engine.preview(plan_of(data), superuser)
    choices = plan.choices
    for row in plan.rows:
        choices.duplicates[str(row.number)] = f"update:{row.duplicates[0][0]}"
    again = engine.preview(plan_of(data, choices), superuser)
    assert [[m.action for m in row.transactions] for row in again.rows] == [["existing", "existing"], ["existing"]]
    assert engine.save(plan_of(data, choices), superuser, data=data, file_name="du_an_oda.xlsx") is not None
    assert Transaction.objects.count() == count


def test_a_row_the_clerk_says_is_an_existing_project_adds_its_new_transactions_to_it(seeded, superuser):
    """The 2010 support the register has is not added again; the 2012 one is added."""
    project = Project.objects.get(pk=2)
    data = sheet(
        ["STT", "Tên dự án", "Hỗ trợ hiện vật năm 2010 (đồng)", "Hỗ trợ hiện vật năm 2012 (đồng)"],
        [[1, project.title, "84.248.000", 150000000]],
    )
    plan = engine.preview(plan_of(data), superuser)
    assert plan.rows[0].duplicates[0][0] == 2
    choices = plan.choices
    choices.duplicates["4"] = "update:2"
    plan = engine.preview(plan_of(data, choices), superuser)
    assert not plan.problems and not plan.bad_rows(), plan.problems
    assert plan.rows[0].action == "skip"  # the project itself is unchanged
    assert [m.action for m in plan.rows[0].transactions] == ["existing", "create"]
    assert engine.save(plan_of(data, choices), superuser, data=data, file_name="hiv.xlsx") is not None
    assert list(project.transactions.values_list("kind", "date", "amount").order_by("date")) == [
        ("in_kind", dt.date(2010, 1, 1), Decimal("84248000.00")),
        ("in_kind", dt.date(2011, 1, 1), Decimal("222506000.00")),
        ("in_kind", dt.date(2012, 1, 1), Decimal("150000000.00")),
    ]


def test_columns_that_name_no_single_period_stay_in_the_notes_and_say_why(seeded, superuser):
    data = sheet(
        [
            "Tên dự án",
            "Đã giải ngân (triệu đồng)",
            "Kế hoạch vốn năm 2024",
            "Lũy kế giải ngân đến 31/12/2023",
            "Giải ngân 2021-2023",
            "Giải ngân Quý I/2024 (nghìn USD)",
            "Vốn cam kết tháng 6/2023 (USD)",
            "Giải ngân ngày 31/12/2023, Tr.đồng",
        ],
        [["Dự án thử", 100, 200, 300, 400, "1,5", 2000, 7]],
    )
    plan = plan_of(data)
    targets = {c.letter: c.target for c in plan.columns}
    assert targets == {
        "A": "title",
        "B": "notes",
        "C": "notes",
        "D": "notes",
        "E": "notes",
        "F": "disbursement",
        "G": "commitment",
        "H": "disbursement",
    }
    notes = {c.letter: c.note for c in plan.columns}
    assert notes["B"].startswith("Tiêu đề cột không nêu kỳ")
    assert notes["C"].startswith("Kế hoạch hoặc số dự kiến")
    assert notes["D"].startswith("Số lũy kế")
    assert notes["E"].startswith("Tiêu đề cột nêu nhiều năm")
    assert notes["F"] == "Mỗi số tiền: một giao dịch của Quý I/2024. Đơn vị: nghìn USD."
    row = engine.preview(plan, superuser).rows[0]
    assert not row.errors, row.errors
    assert [(m.kind, m.date, m.precision, m.amount, m.currency, m.description) for m in row.transactions] == [
        # A quarter is no precision of the register: the year, and the quarter in words.
        ("disbursement", dt.date(2024, 1, 1), "year", Decimal("1500"), "USD", "Quý I/2024"),
        ("commitment", dt.date(2023, 6, 1), "month", Decimal("2000"), "USD", ""),
        ("disbursement", dt.date(2023, 12, 31), "day", Decimal("7000000"), "VND", ""),
    ]
    for heading in ("Đã giải ngân", "Kế hoạch vốn năm 2024", "Lũy kế giải ngân đến 31/12/2023"):
        assert heading in row.data["description"]


def test_a_column_mapped_to_transactions_without_a_period_is_a_problem_of_the_file(seeded):
    data = sheet(["STT", "Tên dự án", "Đã giải ngân (USD)"], [[1, "Dự án thử", 100]])
    plan = plan_of(data, Choices(mapping={"A": "ignore", "B": "title", "C": "disbursement"}))
    assert plan.columns[2].target == "disbursement"
    assert any("C" in problem and "Đã giải ngân" in problem for problem in plan.problems)
    assert plan.rows[0].transactions == []


def test_an_amount_without_a_currency_is_an_error_unless_the_title_gives_the_unit(seeded, superuser):
    headings = ["STT", "Tên dự án", "Giải ngân năm 2023"]
    plan = plan_of(sheet(headings, [[1, "Dự án thử", 1000]]))
    assert plan.rows[0].errors[0][0] == "C" and "1.200 triệu đồng" in plan.rows[0].errors[0][1]
    titled = plan_of(sheet(headings, [[1, "Dự án thử", 1000]], title="DANH SÁCH DỰ ÁN ODA (Đơn vị tính: triệu đồng)"))
    assert not titled.rows[0].errors
    assert [(m.amount, m.currency) for m in titled.rows[0].transactions] == [(Decimal("1000000000"), "VND")]
    # A cell that writes its own unit is read as written; a dash is the office's blank.
    own = plan_of(sheet([*headings, "Giải ngân năm 2024 (triệu đồng)"], [[1, "Dự án thử", "2 tỷ đồng", "-"]]))
    assert [(m.amount, m.currency) for m in own.rows[0].transactions] == [(Decimal("2000000000"), "VND")]


def test_a_refusal_of_the_register_is_told_at_the_money_cell(seeded, superuser):
    data = sheet(["STT", "Tên dự án", "Giải ngân năm 2023 (USD)"], [[1, "Dự án thử", -5]])
    plan = engine.preview(plan_of(data), superuser)
    row = plan.rows[0]
    assert row.action == "error"
    assert row.errors and {letter for letter, _message in row.errors} == {"C"}
    assert "Giải ngân năm 2023" in row.errors[0][1]


def test_a_list_without_a_kind_asks_the_kind_of_its_projects(seeded, superuser):
    data = sheet(["STT", "Tên dự án", "Giải ngân năm 2023 (USD)"], [[1, "Dự án thử", 5]], title="DANH SÁCH DỰ ÁN")
    plan = plan_of(data)
    assert [q.target for q in plan.questions] == ["kind"] and plan.problems
    plan = engine.preview(plan_of(data, Choices(defaults={"kind": "ngo"})), superuser)
    assert not plan.problems and plan.rows[0].data["kind"] == "ngo" and plan.rows[0].action == "create"


def test_import_sheet_json_gives_each_rows_transactions(seeded, superuser, tmp_path, capsys):
    path = tmp_path / "du_an.xlsx"
    path.write_bytes(project_list())
    before = Transaction.objects.count()
    call_command("import_sheet", str(path), "--kind", "projects", "--dry-run", "--json")
    output = json.loads(capsys.readouterr().out)
    assert output["mapping"]["E"] == "disbursement" and output["mapping"]["G"] == "notes"
    assert output["rows"][0]["fields"]["transactions"] == [
        {
            "kind": "disbursement",
            "date": "2022-01-01",
            "date_precision": "year",
            "amount": "134525000",
            "currency": "VND",
            "description": "",
            "column": "E",
            "action": "create",
        },
        {
            "kind": "disbursement",
            "date": "2023-01-01",
            "date_precision": "year",
            "amount": "2500500000",
            "currency": "VND",
            "description": "",
            "column": "F",
            "action": "create",
        },
    ]
    assert output["rows"][2]["errors"][0]["column"] == "E"
    assert Transaction.objects.count() == before


def test_import_sheet_says_how_many_transactions_it_checked_and_wrote(seeded, superuser, tmp_path, capsys):
    path = tmp_path / "du_an.xlsx"
    path.write_bytes(project_list())
    call_command("import_sheet", str(path), "--kind", "projects")
    out = capsys.readouterr().out
    assert (
        "Đã kiểm tra 4 giao dịch: 3 mới, 0 đã có trong cơ sở dữ liệu, 1 thuộc các dòng có lỗi hoặc bị bỏ qua."
        in out.splitlines()[0]
    )
    assert out.splitlines()[-1] == "Chưa lưu gì."
    before = Transaction.objects.count()
    path.write_bytes(project_list(GOOD_ROWS))
    call_command("import_sheet", str(path), "--kind", "projects")
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith(
        "Giao dịch: đã ghi 3, 0 đã có trong cơ sở dữ liệu (không thêm lại), "
        "0 chưa nhập vì dòng của chúng chưa được nhập."
    )
    assert Transaction.objects.count() == before + 3
    call_command("import_sheet", str(path), "--kind", "agreements", "--dry-run")
    assert "giao dịch" not in capsys.readouterr().out.splitlines()[0].lower()


def test_the_preview_page_shows_each_projects_transactions(staff_client, seeded):
    page = upload(staff_client, project_list(), kind="projects", name="du_an_oda.xlsx")
    response = staff_client.get(page)
    text = response.content.decode()
    assert response.status_code == 200
    assert "2 giao dịch" in text and "134.525.000 ₫" in text and "2.500.500.000 ₫" in text
    assert "E6</strong>" in text
    form = form_of(response)
    form["action"] = "import_good"
    before = Transaction.objects.count()
    done = staff_client.post(page, form, follow=True)
    assert done.redirect_chain[-1][0].endswith("/done/"), done.content[:300]
    assert Transaction.objects.count() == before + 3


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("triệu đồng", Unit(10**6, "VND")),
        ("USD", Unit(1, "USD")),
        ("nghìn USD", Unit(10**3, "USD")),
        ("ĐVT: Tr.đồng", Unit(10**6, "VND")),
        ("tỷ đồng", Unit(10**9, "VND")),
        ("dự kiến", None),
        ("5", None),
    ],
)
def test_the_unit_of_a_heading(text, unit):
    assert parse_unit(text) == unit


def test_a_heading_without_its_unit_and_cells_read_in_it():
    assert unit_in("Giải ngân năm 2022 (triệu đồng)") == ("Giải ngân năm 2022", Unit(10**6, "VND"))
    assert unit_in("Ghi chú (nếu có)") == ("Ghi chú (nếu có)", None)
    million = Unit(10**6, "VND")
    assert parse_amount(134.525, million) == (Decimal("134525000"), "VND")
    assert parse_amount("1.200", million) == (Decimal("1200000000"), "VND")
    assert parse_amount("2 tỷ", million) == (Decimal("2000000000"), "VND")
    assert parse_amount("500 USD", million) == (Decimal("500"), "USD")
    with pytest.raises(CellError):
        parse_amount("-5.000.000", million)  # the sign is not dropped


@pytest.mark.parametrize(
    ("heading", "kind", "start", "precision"),
    [
        ("Giải ngân năm 2022 (triệu đồng)", "disbursement", dt.date(2022, 1, 1), "year"),
        ("Giải ngân 2023 (triệu đồng)", "disbursement", dt.date(2023, 1, 1), "year"),
        ("Số vốn giải ngân tháng 9/2023", "disbursement", dt.date(2023, 9, 1), "month"),
        ("Vốn cam kết năm 2020 (USD)", "commitment", dt.date(2020, 1, 1), "year"),
        ("Thực chi năm 2021", "expenditure", dt.date(2021, 1, 1), "year"),
        ("Hỗ trợ hiện vật năm 2019", "in_kind", dt.date(2019, 1, 1), "year"),
        ("Giải ngân Quý III/2023", "disbursement", dt.date(2023, 1, 1), "year"),
    ],
)
def test_a_money_heading_names_its_kind_and_period(heading, kind, start, precision):
    found = read_heading(heading)
    assert found.is_transaction
    assert (found.kind, found.start, found.precision) == (kind, start, precision)
    assert fields.target_for(fields.PROJECTS, heading) == kind
    assert fields.target_for(fields.DELEGATIONS, heading) is None


def test_every_kind_ends_with_its_notes_and_ignore_targets():
    for kind in fields.KINDS.values():
        notes, ignore = kind.targets[-2:]
        assert (notes.key, notes.reader, notes.writes, notes.column) == (
            fields.NOTES,
            fields.NOTES,
            (kind.notes_column,),
            kind.notes_column,
        )
        assert notes.repeatable and "Ghi chú" in notes.headings
        assert (ignore.key, ignore.writes, ignore.headings, ignore.repeatable) == (fields.IGNORE, (), fields.STT, True)
