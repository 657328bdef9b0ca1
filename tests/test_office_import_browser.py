"""The office import (issue 15) in a real browser (Debian's Chromium, see tests/test_browser.py):
the demo "staff" clerk, on the seeded register, brings in two lists as the office keeps
them (tests/office_files.py: title rows, a merged title, dates and names in the office's
forms, a total row, a date that does not exist, places the register does not know).

For each list: upload → the proposed mapping (corrected, and for the delegations saved
under a name) → the meaning of the words the register does not know → the new partners
(accepted as new, corrected, or mapped to an existing one) → the preview, where the bad row
names its cell → "import the good rows and give me the bad ones back" → the result and the
bad rows as an .xlsx in the file's layout. The delegation list uploaded again uses the saved
mapping at once.

Every step writes a full-page screenshot to test-artifacts/screenshots/ (deleg-1-mapping.png
... agree-5-result.png) and fails on a console error, a script error or a refused resource.

Run: .venv/bin/pytest tests/test_office_import_browser.py -v   (or -m browser)
"""

import io
import re
from contextlib import contextmanager

import openpyxl
import pytest
from django.core.management import call_command

from agreements.models import Agreement, AgreementStatus
from delegations.models import Delegation, Purpose
from operations.management.commands.seed_demo import DEMO_ACCOUNTS
from partners.models import Partner, PartnerKind
from register.models import SheetMapping
from register.publishable import ReviewState
from sources.models import Citation
from tests.office_files import agreement_list, delegation_list
from tests.test_browser import OFFICIAL_BROWSER, Tab, _plain_static_storage, browser  # noqa: F401 - the fixtures

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

IMPORT_PAGE = "/admin/register/sheetmapping/import/"
MAPPING_NAME = "Danh sách đoàn ra — mẫu Phòng Hợp tác quốc tế"
STAFF = next(account for account in DEMO_ACCOUNTS if account.username == "staff")


@pytest.fixture
def demo_register(transactional_db, settings):
    """The demo site as `seed_demo` makes it: the articles' records and the demo accounts
    (created only while DEBUG is on). The live server's thread sees them: the test is transactional."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


@pytest.fixture
def clerk_tab(browser, live_server, demo_register):  # noqa: F811 - the fixture imported above
    context = browser.new_context(**OFFICIAL_BROWSER, viewport={"width": 1366, "height": 900}, accept_downloads=True)
    try:
        yield lambda name: Tab(context.new_page(), name, live_server.url)
    finally:
        context.close()


# --- The clerk's moves --------------------------------------------------------------------------------------------


@contextmanager
def next_page(tab):
    """The page the enclosed click loads (a form posted to the same address)."""
    with tab.page.expect_navigation(wait_until="load"):
        yield


def sign_in(tab):
    tab.goto("/admin/login/?next=/admin/")
    tab.page.fill("#id_username", STAFF.username)
    tab.page.fill("#id_password", STAFF.password)
    with next_page(tab):
        tab.page.click("input[type=submit]")


def upload(tab, path, kind):
    page = tab.page
    tab.goto(IMPORT_PAGE)
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(path))
    with next_page(tab):
        page.click("input[type=submit]")
    page.wait_for_selector("table#mapping")


def press(tab, label):
    """Clicks the page's button named ``label`` (the form is posted, the page comes back)."""
    with next_page(tab):
        tab.page.get_by_role("button", name=label, exact=True).click()


def column_target(tab, letter):
    select = tab.page.locator(f"select[name=map_{letter}]")
    return select.input_value(), select.locator("option:checked").inner_text()


def message(tab):
    return tab.page.locator("ul.messagelist").inner_text()


def preview_row(tab, number):
    number_cell = tab.page.locator("td:first-child", has_text=re.compile(rf"^{number}$"))
    return tab.page.locator("#preview tbody tr").filter(has=number_cell)


def decide(tab, name, decision, kind=None):
    """The clerk's decision on a name the register does not know (and the kind of a new partner)."""
    row = tab.page.locator("#new-partners tr", has_text=name)
    row.get_by_role("combobox", name=name).select_option(label=decision)
    if kind:
        row.locator("select[name^=partner_kind_]").select_option(label=kind)


def preview_counts(tab):
    return tab.page.locator("#preview h2").inner_text()


NEW_PARTNER = "Thêm thành đối tác mới (bản nháp)"
READY_AND_ONE_BAD = "Xem trước: 4 mới, 0 cập nhật, 0 không đổi hoặc bỏ qua, 1 có lỗi"


def import_good_rows(tab):
    press(tab, "Nhập các dòng đúng và trả lại các dòng lỗi")
    tab.page.wait_for_selector("#import-result")


def bad_rows_back(tab):
    """The bad rows the result page gives back, read as the clerk's spreadsheet program would."""
    with tab.page.expect_download() as download:
        tab.page.get_by_role("link", name="Tải các dòng lỗi (.xlsx) để sửa rồi nhập lại").click()
    assert download.value.suggested_filename == "dong-loi.xlsx"
    # The browser turns the link's navigation into the download and reports the navigation as aborted.
    tab.problems.remove(f"request failed: {download.value.url}")
    return list(
        openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active.iter_rows(values_only=True)
    )


# --- The delegation list --------------------------------------------------------------------------------------------


def import_the_delegation_list(tab, path):
    page = tab.page
    upload(tab, path, "delegations")
    # The mapping: found below the merged title, every column given a meaning.
    assert page.locator("#header_row").input_value() == "3"
    assert "9 (dòng tổng cộng)" in page.locator("#office-import fieldset .help").inner_text()
    assert column_target(tab, "B") == ("leader", "Trưởng đoàn kèm chức vụ (tách riêng họ tên và chức vụ)")
    assert column_target(tab, "E")[0] == "dates"
    assert column_target(tab, "F") == ("notes", "Thêm vào ghi chú (kết quả), dưới tên cột")
    assert "Loại đoàn: Đoàn ra" in preview_row(tab, 4).inner_text()  # from the title, "DANH SÁCH ĐOÀN RA"
    tab.check("mapping")

    # The clerk reads "Mục đích chuyến đi" as the kind of activity, and keeps the mapping for next year's list.
    page.select_option("select[name=map_F]", label="Hình thức hoạt động (thăm và làm việc, hội nghị...)")
    page.fill("#mapping_name", MAPPING_NAME)
    press(tab, "Lưu cách ghép cột")
    assert f"Đã lưu cách ghép cột với tên “{MAPPING_NAME}”" in message(tab)
    assert column_target(tab, "F")[0] == "purpose"

    # The words of that column: those the register knows are read, the others asked once each.
    values = page.locator("#values")
    assert "Hình thức hoạt động" in values.locator("h3").first.inner_text()
    assert values.get_by_role("combobox", name="Xúc tiến thương mại").locator("option:checked").inner_text() == (
        "Xúc tiến thương mại, đầu tư"
    )
    for word in ("Hội đàm", "Trao đổi y tế"):
        assert values.get_by_role("combobox", name=word).locator("option:checked").inner_text() == "— chọn —"
    assert "E5: Hãy chọn nghĩa" not in page.inner_text("#preview")
    assert "F5: Hãy chọn nghĩa của “Hội đàm”" in page.inner_text("#preview")
    tab.check("values")
    values.get_by_role("combobox", name="Hội đàm").select_option(label="Thăm và làm việc")
    values.get_by_role("combobox", name="Trao đổi y tế").select_option(label="Khác")
    press(tab, "Cập nhật bản xem trước")
    assert "Hãy chọn nghĩa" not in page.inner_text("#preview")

    # The places the register does not know, each with the parent the list gives.
    partners = page.locator("#new-partners")
    for name, parent in [("Bách Sắc", "Trung Quốc"), ("Luông Pha Băng", "Lào"), ("Xinh-ga-po", "—")]:
        assert partners.locator("tr", has_text=name).locator("td").nth(1).inner_text() == parent
    assert "D5: Hãy quyết định “Bách Sắc” là đối tác nào" in page.inner_text("#preview")
    tab.check("partners")
    for name in ("Bách Sắc", "Luông Pha Băng", "Nam Ninh"):
        decide(tab, name, NEW_PARTNER)
    decide(tab, "Xinh-ga-po", NEW_PARTNER, kind="Quốc gia")  # not "other", as guessed for a name with no parent
    press(tab, "Cập nhật bản xem trước")

    # The preview: four rows ready, the one with 31/6/2023 in error, naming its cell.
    assert preview_counts(tab).startswith(READY_AND_ONE_BAD)
    assert "Ngày bắt đầu: 11/06/2023" in preview_row(tab, 4).inner_text()
    assert "Mục đích: Thăm và làm việc" in preview_row(tab, 5).inner_text()
    bad = preview_row(tab, 8).locator(".errornote")
    assert bad.inner_text() == "E8: 31/6/2023 không phải là một ngày có thật (tháng 6/2023 có 30 ngày)"
    tab.check("preview")

    import_good_rows(tab)
    assert (
        page.locator("#import-result")
        .inner_text()
        .startswith("Đã nhập: 4 mới, 0 cập nhật, 0 không đổi hoặc bỏ qua; 4 đối tác mới.")
    )
    assert "1 dòng chưa được nhập." in page.inner_text("#content")
    tab.check("result")
    return bad_rows_back(tab)


# --- The agreement list ---------------------------------------------------------------------------------------------


def import_the_agreement_list(tab, path):
    page = tab.page
    upload(tab, path, "agreements")
    assert page.locator("#header_row").input_value() == "4"
    assert column_target(tab, "C")[0] == "partners"
    assert column_target(tab, "F") == ("term", "Thời hạn (3 năm; ngày hết hạn tính từ ngày ký)")
    assert column_target(tab, "H")[0] == "notes"
    tab.check("mapping")
    # The list's "Ghi chú" column is empty: the clerk leaves it out.
    page.select_option("select[name=map_H]", label="Bỏ qua cột này")
    press(tab, "Cập nhật bản xem trước")
    assert column_target(tab, "H")[0] == "ignore"

    values = page.locator("#values")
    assert values.get_by_role("combobox", name="Cấp tỉnh").locator("option:checked").inner_text() == "UBND tỉnh"
    assert values.get_by_role("combobox", name="Còn hiệu lực").locator("option:checked").inner_text() == (
        "Đang có hiệu lực"
    )
    assert values.get_by_role("combobox", name="Tạm dừng").locator("option:checked").inner_text() == "— chọn —"
    assert "G7: Hãy chọn nghĩa của “Tạm dừng”" in page.inner_text("#preview")
    tab.check("values")
    values.get_by_role("combobox", name="Tạm dừng").select_option(label="Đã chấm dứt")
    press(tab, "Cập nhật bản xem trước")

    # Luông Pha Băng came in with the delegations: known now. Đông Hưng is new; Ốt-xtrây-li-a is Australia.
    partners = page.locator("#new-partners")
    assert partners.locator("tbody tr").count() == 2
    assert "Luông Pha Băng" not in partners.inner_text()
    assert "Gần giống với: Australia" in partners.locator("tr", has_text="Ốt-xtrây-li-a").inner_text()
    australia = partners.get_by_role("combobox", name="Ốt-xtrây-li-a")
    assert australia.locator("option").all_inner_texts() == [
        "— quyết định —",
        "Thêm thành đối tác mới (bản nháp)",
        "Đó là Australia",
    ]
    tab.check("partners")
    decide(tab, "Ốt-xtrây-li-a", "Đó là Australia")
    decide(tab, "Đông Hưng", NEW_PARTNER, kind="Huyện, thị (cấp huyện)")
    press(tab, "Cập nhật bản xem trước")
    # A name mapped to an existing partner stays listed, decided, so that the clerk can change their mind.
    assert partners.locator("tbody tr").count() == 2
    assert australia.locator("option:checked").inner_text() == "Đó là Australia"
    assert "Đã quyết định." in partners.locator("tr", has_text="Ốt-xtrây-li-a").inner_text()

    assert preview_counts(tab).startswith(READY_AND_ONE_BAD)
    assert "Hết hiệu lực ngày: 15/03/2024" in preview_row(tab, 5).inner_text()
    assert "Đối tác: Ốt-xtrây-li-a → Australia" in preview_row(tab, 9).inner_text()
    # Said once, in the cell to correct: the term that counts from it (F8) is not blamed as well.
    errors = preview_row(tab, 8).locator(".errornote").all_inner_texts()
    assert errors == ["D8: 29/2/2023 không phải là một ngày có thật (tháng 2/2023 có 28 ngày)"]
    tab.check("preview")

    import_good_rows(tab)
    assert (
        page.locator("#import-result")
        .inner_text()
        .startswith("Đã nhập: 4 mới, 0 cập nhật, 0 không đổi hoặc bỏ qua; 1 đối tác mới.")
    )
    assert page.locator("#import-partners").inner_text() == "Đối tác mới (bản nháp, cần kiểm tra): Đông Hưng"
    tab.check("result")
    # The result is a page of its own (POST/redirect/GET): reloading it imports nothing again.
    count = Agreement.objects.count()
    with next_page(tab):
        page.reload()
    assert page.locator("#import-result").inner_text().startswith("Đã nhập: 4 mới")
    assert Agreement.objects.count() == count
    return bad_rows_back(tab)


# --- The test -----------------------------------------------------------------------------------------------------


def test_a_clerk_imports_two_office_lists_end_to_end_and_the_saved_mapping_serves_the_next_file(clerk_tab, tmp_path):
    deleg_file, agree_file = tmp_path / "doan_ra_2023.xlsx", tmp_path / "thoa_thuan.xlsx"
    deleg_file.write_bytes(delegation_list())
    agree_file.write_bytes(agreement_list())
    delegations = list(Delegation.objects.values_list("pk", flat=True))
    agreements = list(Agreement.objects.values_list("pk", flat=True))

    deleg = clerk_tab("deleg")
    sign_in(deleg)
    back = import_the_delegation_list(deleg, deleg_file)
    # The bad row in the file's own layout: its title, its headings, the row as written, what to correct.
    assert back[0][0] == "DANH SÁCH ĐOÀN RA NĂM 2023"
    assert back[2][:8] == (*[c.value for c in openpyxl.load_workbook(deleg_file).active[3]], "Lỗi cần sửa")
    assert back[3][:5] == (5, "Ông Lê Văn Bình, Giám đốc Sở Y tế", 6, "Trung Quốc (Nam Ninh)", "31/6/2023")
    assert back[3][7].startswith("Dòng 8 của tệp gốc: E8: 31/6/2023 không phải là một ngày có thật")

    imported = Delegation.objects.exclude(pk__in=delegations)
    assert imported.count() == 4
    assert {d.review_state for d in imported} == {ReviewState.DRAFT}
    assert {
        c.locator for c in Citation.objects.filter(object_id__in=imported.values("pk"), locator__contains="Đoàn ra")
    } == {f"Trang tính “Đoàn ra 2023”, dòng {n}" for n in (4, 5, 6, 7)}
    visit = imported.get(leader_name="Lương Văn Hòa")
    assert visit.purpose == Purpose.WORKING_VISIT
    assert [p.name for p in visit.partners.all()] == ["Luông Pha Băng"]
    new = Partner.objects.filter(name__in=["Bách Sắc", "Luông Pha Băng", "Xinh-ga-po", "Nam Ninh"])
    assert {(p.name, p.parent.name if p.parent else None, p.review_state) for p in new} == {
        ("Bách Sắc", "Trung Quốc", ReviewState.DRAFT),
        ("Luông Pha Băng", "Lào", ReviewState.DRAFT),
        ("Xinh-ga-po", None, ReviewState.DRAFT),
        ("Nam Ninh", "Trung Quốc", ReviewState.DRAFT),
    }
    assert new.get(name="Xinh-ga-po").kind == PartnerKind.COUNTRY
    assert SheetMapping.objects.get(name=MAPPING_NAME).columns["muc dich chuyen di"] == "purpose"

    agree = clerk_tab("agree")
    back = import_the_agreement_list(agree, agree_file)
    # Each title row on its own row, as in the file; the headings on row 4, as there.
    assert [row[0] for row in back[:3]] == ["UBND TỈNH LẠNG SƠN", "DANH MỤC THỎA THUẬN QUỐC TẾ CẤP TỈNH", None]
    assert back[3][:9] == (*[c.value for c in openpyxl.load_workbook(agree_file).active[4]], "Lỗi cần sửa")
    assert back[4][:4] == (
        4,
        "Kế hoạch hợp tác phòng, chống dịch bệnh qua biên giới",
        "Trung Quốc (Đông Hưng)",
        "29/2/2023",
    )
    assert "D8: 29/2/2023" in back[4][8]
    signed = Agreement.objects.exclude(pk__in=agreements)
    assert signed.count() == 4 and {a.review_state for a in signed} == {ReviewState.DRAFT}
    assert signed.get(title="Biên bản hội đàm về cửa khẩu").status == AgreementStatus.TERMINATED
    education = signed.get(title="Bản ghi nhớ hợp tác giáo dục và đào tạo")
    assert [p.name for p in education.partners.all()] == ["Australia"]
    assert Citation.objects.get(object_id=education.pk, locator__startswith="Trang tính “Thỏa thuận”").locator == (
        "Trang tính “Thỏa thuận”, dòng 9"
    )
    dong_hung = Partner.objects.get(name="Đông Hưng")
    assert (dong_hung.parent.name, dong_hung.kind, dong_hung.review_state) == (
        "Trung Quốc",
        PartnerKind.COUNTY,
        ReviewState.DRAFT,
    )
    assert not Partner.objects.filter(name="Ốt-xtrây-li-a").exists()

    # Next year's list, with the same headings: the saved mapping is used at once.
    upload(deleg, deleg_file, "delegations")
    assert f"Đã dùng cách ghép cột đã lưu “{MAPPING_NAME}”." in deleg.page.inner_text("#content")
    assert column_target(deleg, "F")[0] == "purpose"
    # Last year's rows are possible duplicates now; the clerk's choice stays as the page comes back.
    assert preview_row(deleg, 4).locator("td").nth(1).inner_text() == "có thể trùng"
    deleg.page.select_option("select[name=dup_4]", label="Bỏ qua dòng này")
    press(deleg, "Cập nhật bản xem trước")
    assert deleg.page.locator("select[name=dup_4] option:checked").inner_text() == "Bỏ qua dòng này"
    assert preview_row(deleg, 4).locator("td").nth(1).inner_text() == "không đổi hoặc bỏ qua"
    assert deleg.problems == []
