"""The office's own lists in (issue 15): header found, values read, partners matched
or proposed, errors named by cell, duplicates, the bad rows back, saved mappings,
the records citing the file, and the export coming back unchanged."""

import contextlib
import io
import json

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from agreements.models import Agreement
from delegations.models import Delegation
from partners.models import Partner
from register.models import SheetMapping
from register.office_import import bad_rows, engine, fields
from register.office_import.plans import Choices
from register.publishable import ReviewState
from sources.models import Citation
from tests.import_files import HEADER_ROW
from tests.office_files import (
    DELEGATION_HEADINGS,
    DELEGATION_ROWS,
    agreement_list,
    delegation_list,
    two_row_delegation_list,
)
from tests.test_imports_files import download


def plan_of(data, kind="delegations", choices=None, name="doan_ra.xlsx", mapping=None):
    return engine.read(data, name, kind, choices or Choices(), mapping=mapping)


def accept_all(plan, data, kind="delegations"):
    for proposal in plan.proposals:
        plan.choices.partners[proposal.key] = {"action": "new"}
    return plan_of(data, kind, plan.choices)


def test_the_header_is_found_below_the_title_and_totals_and_signatures_are_skipped(seeded):
    plan = plan_of(delegation_list())
    assert plan.header_row == 3
    assert {c.letter: c.target for c in plan.columns} == {
        "A": "ignore",
        "B": "leader",
        "C": "size",
        "D": "partners",
        "E": "dates",
        "F": "notes",
        "G": "notes",
    }
    assert [row.number for row in plan.rows] == [4, 5, 6, 7, 8]
    assert [number for number, _reason in plan.skipped] == [9, 11, 12]


def test_headings_on_two_rows_are_read_as_their_sub_headings(seeded, superuser):
    data = two_row_delegation_list()
    plan = plan_of(data)
    assert plan.header_row == 3 and plan.title_text == "DANH SÁCH ĐOÀN VÀO NĂM 2024"
    assert [(c.letter, c.heading, c.target) for c in plan.columns] == [
        ("A", "STT", "ignore"),
        ("B", "Tên đoàn", "title"),
        ("C", "Trưởng đoàn – Họ tên", "leader_name"),
        ("D", "Trưởng đoàn – Chức vụ", "leader_title"),
        ("E", "Nước", "partners"),
        ("F", "Thời gian – Từ ngày", "start_date"),
        ("G", "Thời gian – Đến ngày", "end_date"),
        ("H", "Ghi chú", "notes"),
    ]
    assert plan.skipped == [(4, "một phần của dòng tiêu đề, ghép với tiêu đề ở dòng 3"), (7, "dòng tổng cộng")]
    assert [row.number for row in plan.rows] == [5, 6]
    # The header row the page sends back, or the row of sub-headings chosen instead, reads the same headings:
    # a mapping saved for the file is found again.
    for header_row in (plan.header_row, 4):
        again = plan_of(data, choices=Choices(header_row=header_row))
        assert [c.heading for c in again.columns] == [c.heading for c in plan.columns]
        assert (
            again.signature()
            == plan.signature()
            == "|".join(
                ["stt", "ten doan", "truong doan ho ten", "truong doan chuc vu", "nuoc"]
                + ["thoi gian tu ngay", "thoi gian den ngay", "ghi chu"]
            )
        )
    mapping = SheetMapping.objects.create(
        name="Đoàn vào, tiêu đề hai dòng",
        kind="delegations",
        signature=plan.signature(),
        columns={fields.heading_key(c.heading): c.target for c in plan.columns},
    )
    assert SheetMapping.matching("delegations", [c.heading for c in plan_of(data).columns]) == mapping
    plan = accept_all(plan, data)
    engine.save(plan, superuser, data=data, file_name="doan_vao.xlsx")
    saved = {d.title: d for d in Delegation.objects.filter(title__startswith="Đoàn t")}
    first, second = saved["Đoàn thành phố Bằng Tường"], saved["Đoàn tỉnh Luông Pha Băng"]
    assert (first.leader_name, first.leader_title) == ("Lý Minh", "Phó Thị trưởng")
    assert (str(first.start_date), str(first.end_date)) == ("2024-03-05", "2024-03-06")
    assert (str(second.start_date), str(second.end_date)) == ("2024-04-12", "2024-04-14")
    assert second.outcome == "Ghi chú: Hội đàm"


def test_a_parent_heading_over_headings_on_the_lower_row_covers_only_its_own(seeded):
    data = "DANH SÁCH ĐOÀN RA\n;;;Thời gian;;\nSTT;Tên đoàn;Nước đến;Từ;Đến;Ghi chú\n1;Đoàn A;Lào;1/2/2023;3/2/2023;x\n"
    plan = plan_of(data.encode(), name="doan_ra.csv")
    assert plan.header_row == 3 and plan.title_text == "DANH SÁCH ĐOÀN RA"
    assert [(c.heading, c.target) for c in plan.columns][3:] == [
        ("Thời gian – Từ", "start_date"),
        ("Thời gian – Đến", "end_date"),
        ("Ghi chú", "notes"),
    ]
    assert plan.skipped == [(2, "một phần của dòng tiêu đề, ghép với tiêu đề ở dòng 3")]
    row = plan.rows[0].data
    assert (str(row["start_date"]), str(row["end_date"])) == ("2023-02-01", "2023-02-03")


def test_a_title_right_above_the_headings_is_not_taken_for_a_parent(seeded):
    workbook = openpyxl.load_workbook(io.BytesIO(delegation_list()))
    workbook.active.delete_rows(2)  # the blank row between the title and the headings
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = plan_of(buffer.getvalue())
    assert plan.header_row == 2 and plan.title_text == "DANH SÁCH ĐOÀN RA NĂM 2023"
    assert [c.heading for c in plan.columns] == [
        "STT",
        "Họ tên, chức vụ trưởng đoàn",
        "Số thành viên",
        "Nước/địa phương đến",
        "Thời gian",
        "Mục đích chuyến đi",
        "Ghi chú",
    ]
    assert [row.number for row in plan.rows] == [3, 4, 5, 6, 7]


def test_each_value_is_read_the_way_the_office_writes_it(seeded):
    rows = {row.number: row for row in plan_of(delegation_list()).rows}
    first = rows[4].data
    assert (first["leader_name"], first["leader_title"], first["size"]) == (
        "Hoàng Văn Minh",
        "Phó Giám đốc Sở Công Thương",
        5,
    )
    assert (str(first["start_date"]), str(first["end_date"]), first["date_precision"]) == (
        "2023-06-11",
        "2023-06-16",
        "day",
    )
    assert first["direction"] == "out"  # "DANH SÁCH ĐOÀN RA" in the title row
    assert first["title"] == "Đoàn Phó Giám đốc Sở Công Thương Hoàng Văn Minh đi Quảng Tây, Trung Quốc"
    assert first["outcome"] == "Mục đích chuyến đi: Xúc tiến thương mại"
    assert rows[5].data["size"] == 3 and rows[5].data["date_precision"] == "month"
    assert rows[8].errors and rows[8].errors[0][0] == "E"
    assert "31/6/2023" in rows[8].errors[0][1]


def test_known_partners_are_matched_and_unknown_ones_proposed_under_their_parent(seeded):
    plan = plan_of(delegation_list())
    guangxi = Partner.objects.get(name="Khu tự trị dân tộc Choang Quảng Tây")
    assert {row.number: row.data.get("partners") for row in plan.rows}[4] == f"#{guangxi.pk}"
    proposals = {p.name: p for p in plan.proposals}
    assert proposals["Luông Pha Băng"].parent_name == "Lào"
    assert proposals["Bách Sắc"].parent_pk == Partner.objects.get(name="Trung Quốc").pk
    assert "Xinh-ga-po" in proposals
    # Undecided names are the row's error, naming the column.
    row6 = next(row for row in plan.rows if row.number == 6)
    assert row6.errors[0][0] == "D"


def test_names_written_in_vietnamese_find_partners_known_by_chinese_english_or_near_spellings(seeded):
    china = Partner.objects.get(name="Trung Quốc")
    guangxi = Partner.objects.get(name="Khu tự trị dân tộc Choang Quảng Tây")
    baise = Partner.objects.create(name="Baise", name_native="百色市", kind="prefecture_city", parent=guangxi)
    nanning = Partner.objects.create(
        name="Nanning", name_en="Nanning", name_native="南宁", kind="prefecture_city", parent=guangxi
    )
    singapore = Partner.objects.create(name="Singapore", kind="country")
    plan = plan_of(delegation_list())
    by_row = {row.number: row.data.get("partners") for row in plan.rows}
    # "Trung Quốc (Bách Sắc)": 百色市 read as Bách Sắc (its last character only says "city").
    assert by_row[5] == f"#{baise.pk}"
    # "Trung Quốc (Nam Ninh)": 南宁 read as Nam Ninh.
    assert by_row[8] == f"#{nanning.pk}"
    # "Xinh-ga-po" is no name of Singapore's: proposed as new, with Singapore offered as a near spelling.
    proposals = {p.name: p for p in plan.proposals}
    assert set(proposals) == {"Luông Pha Băng", "Xinh-ga-po"}
    assert proposals["Xinh-ga-po"].suggestions[0][0] == singapore.pk
    assert china.pk not in {pk for pk, _label in proposals["Xinh-ga-po"].suggestions}


def test_a_preview_writes_nothing_not_even_the_new_partners(seeded):
    partners, delegations = Partner.objects.count(), Delegation.objects.count()
    plan = accept_all(plan_of(delegation_list()), delegation_list())
    engine.preview(plan, None)
    assert [row.action for row in plan.rows] == ["create", "create", "create", "create", "error"]
    assert (Partner.objects.count(), Delegation.objects.count()) == (partners, delegations)


def test_nothing_is_saved_while_a_row_is_bad_unless_the_good_rows_are_asked_for(seeded, superuser):
    data = delegation_list()
    plan = accept_all(plan_of(data), data)
    before = Delegation.objects.count()
    with pytest.raises(engine.NotReady):
        engine.save(plan, superuser, data=data, file_name="doan_ra.xlsx")
    assert Delegation.objects.count() == before
    plan = accept_all(plan_of(data), data)
    source = engine.save(plan, superuser, data=data, file_name="doan_ra.xlsx", good_rows_only=True)
    assert Delegation.objects.count() == before + 4
    citations = Citation.objects.filter(source=source, content_type=ContentType.objects.get_for_model(Delegation))
    assert citations.count() == 4
    assert sorted(c.locator for c in citations)[0] == "Trang tính “Đoàn ra 2023”, dòng 4"
    assert all(
        d.review_state == ReviewState.DRAFT for d in Delegation.objects.filter(pk__in=[c.object_id for c in citations])
    )
    laos = Partner.objects.get(name="Luông Pha Băng")
    assert laos.parent.name == "Lào" and laos.review_state == ReviewState.DRAFT
    assert source.file.read() == data
    source.full_clean()  # the stored spreadsheet does not stop the Source being edited in the admin
    # The bad row comes back in the file's layout with what to correct.
    back = openpyxl.load_workbook(io.BytesIO(bad_rows.bad_rows_workbook(plan, data, "doan_ra.xlsx"))).active
    rows = list(back.iter_rows(values_only=True))
    assert rows[0][0] == "DANH SÁCH ĐOÀN RA NĂM 2023"
    assert list(rows[2][:7]) == DELEGATION_HEADINGS
    assert rows[3][4] == "31/6/2023" and "E8" in rows[3][7]
    # Corrected and imported, it completes the set.
    fixed = openpyxl.load_workbook(io.BytesIO(bad_rows.bad_rows_workbook(plan, data, "loi.xlsx")))
    fixed.active["E4"] = "30/6/2023"
    buffer = io.BytesIO()
    fixed.save(buffer)
    again = plan_of(buffer.getvalue(), name="loi.xlsx")
    again = accept_all(again, buffer.getvalue())
    assert {c.letter: c.target for c in again.columns}["H"] == "ignore"  # the error column is no note
    assert again.signature() == plan.signature()  # a mapping saved for the list matches its bad rows
    assert engine.save(again, superuser, data=buffer.getvalue(), file_name="loi.xlsx") is not None
    assert Delegation.objects.count() == before + 5
    assert "31/6/2023" not in Delegation.objects.order_by("-pk").first().outcome


def office_heads_list():
    """The office's usual head: its name and the national motto side by side on two rows, the title and
    a line under it, blank rows between, then the headings on row 8."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Đoàn ra 2023"
    sheet["A1"], sheet["E1"] = "UBND TỈNH LẠNG SƠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    sheet["A2"], sheet["E2"] = "SỞ NGOẠI VỤ", "Độc lập - Tự do - Hạnh phúc"
    sheet["A4"] = "DANH SÁCH ĐOÀN RA NĂM 2023"
    sheet["A5"] = "(Kèm theo Báo cáo số 12/BC-SNgV ngày 10/01/2024)"
    for row in [DELEGATION_HEADINGS, *DELEGATION_ROWS]:
        sheet.append(row)
    sheet.move_range("A6:G11", rows=2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_bad_rows_come_back_under_the_title_rows_as_the_file_has_them(seeded, superuser):
    data = office_heads_list()
    plan = accept_all(plan_of(data), data)
    assert plan.header_row == 8
    engine.preview(plan, superuser)
    back = openpyxl.load_workbook(io.BytesIO(bad_rows.bad_rows_workbook(plan, data, "doan_ra.xlsx"))).active
    rows = [list(row) for row in back.iter_rows(values_only=True)]
    blank = [None] * 8
    assert rows[:7] == [
        ["UBND TỈNH LẠNG SƠN", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None, None, None],
        ["SỞ NGOẠI VỤ", None, None, None, "Độc lập - Tự do - Hạnh phúc", None, None, None],
        blank,
        ["DANH SÁCH ĐOÀN RA NĂM 2023", *blank[1:]],
        ["(Kèm theo Báo cáo số 12/BC-SNgV ngày 10/01/2024)", *blank[1:]],
        blank,
        blank,
    ]
    assert rows[7] == [*DELEGATION_HEADINGS, "Lỗi cần sửa"]
    assert len(rows) == 9 and rows[8][:7] == [*DELEGATION_ROWS[4][:6], None]  # its blank "Ghi chú" as blank
    assert rows[8][7] == (
        "Dòng 13 của tệp gốc: E13: 31/6/2023 không phải là một ngày có thật (tháng 6/2023 có 30 ngày)"
    )
    assert back["H8"].font.bold and not back["A4"].font.bold
    # Read again, it has the file's header row, headings and title.
    again = plan_of(bad_rows.bad_rows_workbook(plan, data, "doan_ra.xlsx"), name="loi.xlsx")
    assert (again.header_row, again.title_text) == (8, plan.title_text)
    assert [c.heading for c in again.columns] == [*DELEGATION_HEADINGS, "Lỗi cần sửa"]
    assert [row.number for row in again.rows] == [9]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (two_row_delegation_list(), "doan_vao.xlsx"),  # "Trưởng đoàn" over "Họ tên | Chức vụ", STT on the upper row
        (  # the parent alone on the upper row, the other headings on the lower one
            (
                "DANH SÁCH ĐOÀN RA\n;;;Thời gian;;\nSTT;Tên đoàn;Nước đến;Từ;Đến;Ghi chú\n"
                "1;Đoàn A;Lào;31/2/2023;3/2/2023;x\n"
            ).encode(),
            "doan_ra.csv",
        ),
    ],
)
def test_bad_rows_under_headings_on_two_rows_come_back_under_both(seeded, data, name):
    plan = plan_of(data, name=name)
    back = bad_rows.bad_rows_workbook(plan, data, name)
    sheet = openpyxl.load_workbook(io.BytesIO(back)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = [list(cells) for number, cells in plan.header_rows]
    width = len(plan.columns)
    first, last = (number for number, _cells in plan.header_rows)  # where the file has them
    assert [row[: len(cells)] for row, cells in zip(rows[first - 1 : last], header, strict=True)] == header
    assert "Lỗi cần sửa" in (rows[first - 1][width], rows[last - 1][width])
    assert len(rows) == last + len(plan.bad_rows())
    again = plan_of(back, name="loi.xlsx")
    assert again.header_row == plan.header_row
    assert [c.heading for c in again.columns] == [*(c.heading for c in plan.columns), "Lỗi cần sửa"]


def test_a_cell_written_like_a_formula_comes_back_as_text(seeded):
    data = 'DANH SÁCH ĐOÀN RA\nSTT;Họ tên, chức vụ trưởng đoàn;Thời gian\n1;=HYPERLINK("x");31/2/2023\n'.encode()
    plan = plan_of(data, name="doan_ra.csv")
    sheet = openpyxl.load_workbook(io.BytesIO(bad_rows.bad_rows_workbook(plan, data, "doan_ra.csv"))).active
    assert sheet["B3"].value == '=HYPERLINK("x")' and sheet["B3"].data_type == "s"


def test_a_possible_duplicate_waits_for_a_choice(seeded, superuser):
    data = delegation_list()
    plan = accept_all(plan_of(data), data)
    engine.save(plan, superuser, data=data, file_name="doan_ra.xlsx", good_rows_only=True)
    plan = accept_all(plan_of(data), data)
    engine.preview(plan, superuser)
    assert [row.action for row in plan.rows][:4] == ["duplicate"] * 4
    assert engine.ready(plan)
    first = plan.rows[0]
    plan.choices.duplicates = {
        str(first.number): f"update:{first.duplicates[0][0]}",
        **{str(r.number): "skip" for r in plan.rows[1:4]},
    }
    plan = plan_of(data, choices=plan.choices)
    plan = accept_all(plan, data)
    engine.preview(plan, superuser)
    # The row chosen to update its record is unchanged (the record is what it imported): nothing to write.
    assert [row.action for row in plan.rows][:4] == ["skip", "skip", "skip", "skip"]
    assert not engine.ready(plan)


def test_words_the_register_does_not_know_are_asked_once_for_every_row(seeded):
    data = agreement_list()
    plan = plan_of(data, "agreements")
    status = next(q for q in plan.questions if q.target == "status")
    assert [w["text"] for w in status.open] == ["Tạm dừng"]
    assert {w["text"]: w["code"] for w in status.words}["Đang hiệu lực"] == "in_force"
    plan.choices.values["status"] = {"tam dung": "terminated"}
    plan = plan_of(data, "agreements", plan.choices)
    rows = {row.number: row for row in plan.rows}
    assert rows[7].data["status"] == "terminated" and not rows[7].errors
    assert rows[5].data["kind"] == "mou" and str(rows[5].data["expires_on"]) == "2024-03-15"
    assert rows[5].data["signing_level"] == "provincial_committee"
    assert rows[6].data["signing_level"] == "department"


def test_a_saved_mapping_is_used_at_once_for_a_file_with_the_same_headings(seeded, superuser):
    data = delegation_list()
    plan = plan_of(data)
    mapping = SheetMapping.objects.create(
        name="Danh sách đoàn ra — mẫu Phòng Hợp tác quốc tế",
        kind="delegations",
        signature=plan.signature(),
        columns={**{fields.heading_key(c.heading): c.target for c in plan.columns}, "ghi chu": "ignore"},
    )
    found = SheetMapping.matching("delegations", [c.heading for c in plan.columns])
    assert found == mapping
    again = plan_of(data, mapping=found)
    assert again.mapping_name == mapping.name
    assert {c.letter: c.target for c in again.columns}["G"] == "ignore"


def test_import_sheet_dry_run_json_writes_nothing(seeded, superuser, tmp_path, capsys):
    path = tmp_path / "doan_ra.xlsx"
    path.write_bytes(delegation_list())
    before = (Delegation.objects.count(), Partner.objects.count())
    call_command("import_sheet", str(path), "--kind", "delegations", "--dry-run", "--json")
    output = json.loads(capsys.readouterr().out)
    assert output["header_row"] == 3 and output["mapping"]["B"] == "leader"
    assert output["rows"][0]["fields"]["start_date"] == "2023-06-11"
    assert output["rows"][0]["fields"]["start_date_precision"] == "day"
    assert output["rows"][4]["errors"][0]["column"] == "E"
    assert {p["name"] for p in output["new_partners"]} >= {"Luông Pha Băng", "Xinh-ga-po"}
    assert (Delegation.objects.count(), Partner.objects.count()) == before


@pytest.mark.parametrize("kind", ["delegations", "agreements", "partners", "projects"])
def test_the_export_imported_unchanged_gives_nothing_new_and_nothing_updated(
    staff_client, seeded, superuser, kind, tmp_path
):
    Agreement.objects.filter(pk=1).update(code="01/2019/BTT")
    data = download(staff_client, reverse(f"{kind}:export_xlsx"))
    plan = plan_of(data, kind, name="export.xlsx")
    assert plan.header_row == HEADER_ROW  # below the export's title rows
    engine.preview(plan, superuser)
    assert not plan.problems, plan.problems
    assert not plan.bad_rows(), [(r.number, r.errors) for r in plan.bad_rows()][:3]
    counts = plan.counts()
    assert counts["create"] == counts["update"] == 0 and counts["skip"] == len(plan.rows)


def test_a_list_whose_columns_are_all_unknown_cannot_be_imported_until_one_is_mapped(seeded, superuser):
    data = "Cột một;Cột hai;Cột ba\nabc;def;ghi\njkl;mno;pqr\n".encode()
    plan = plan_of(data, name="la.csv")
    assert {c.target for c in plan.columns} == {"notes"}
    assert plan.problems and engine.ready(plan)
    with pytest.raises(engine.NotReady) if plan.bad_rows() else contextlib.nullcontext():
        assert engine.save(plan, superuser, data=data, file_name="la.csv") is None
    plan.choices.mapping = {"A": "title", "B": "notes", "C": "notes"}
    plan = plan_of(data, "agreements", plan.choices, name="la.csv")
    assert not plan.problems
