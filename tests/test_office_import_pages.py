"""The office import's admin pages (issue 15): upload, the one page of choices and
preview, the import of the good rows with the bad ones given back, a saved mapping."""

import io
import re

import openpyxl
from django.contrib.auth import get_user_model
from django.urls import reverse

from delegations.models import Delegation
from partners.models import Partner
from projects.models import Transaction
from register.models import SheetMapping
from sources.models import Citation
from tests.office_files import agreement_list, delegation_list, project_list, two_row_delegation_list


def upload(client, data, kind="delegations", name="doan_ra.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    response = client.post(reverse("admin:office_import"), {"kind": kind, "file": file})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def form_of(response):
    """The page's form as a browser would post it: every select's selected option, every hidden input."""
    html = response.content.decode()
    data = {}
    for match in re.finditer(r'<input type="hidden" name="([^"]+)" value=(["\'])(.*?)\2', html, re.S):
        from html import unescape

        data[match.group(1)] = unescape(match.group(3))
    for select in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(2))
        first = re.search(r'<option value="([^"]*)"', select.group(2))
        data[select.group(1)] = (chosen or first).group(1) if (chosen or first) else ""
    data["header_row"] = re.search(r'name="header_row" id="header_row" value="(\d+)"', html).group(1)
    return data


def test_a_clerk_imports_an_office_list_in_the_admin(staff_client, seeded):
    page = upload(staff_client, delegation_list())
    response = staff_client.get(page)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Họ tên, chức vụ trưởng đoàn" in text and "Luông Pha Băng" in text
    assert "E8</strong>" in text and "31/6/2023" in text
    form = form_of(response)
    for key in [k for k in form if k.startswith("partner_action_")]:
        form[key] = "new"
    form["action"] = "import"
    before = Delegation.objects.count()
    refused = staff_client.post(page, form)
    assert Delegation.objects.count() == before and refused.status_code == 200
    form = form_of(refused) | {k: "new" for k in form if k.startswith("partner_action_")}
    form["action"] = "import_good"
    posted = staff_client.post(page, form)
    # POST/redirect/GET: the result is a page of its own, which a reload does not import again.
    assert posted.status_code == 302 and posted["Location"] == page + "done/", posted.content[:300]
    done = staff_client.get(posted["Location"])
    assert done.status_code == 200
    assert "4 mới" in done.content.decode()
    assert Delegation.objects.count() == before + 4
    assert "4 mới" in staff_client.get(posted["Location"]).content.decode()  # reloaded
    assert Delegation.objects.count() == before + 4
    assert Partner.objects.filter(name="Luông Pha Băng", parent__name="Lào").exists()
    assert Citation.objects.filter(locator__contains="dòng 4").exists()
    back = staff_client.get(page + "bad-rows/")
    sheet = openpyxl.load_workbook(io.BytesIO(back.content)).active
    assert [row[4] for row in sheet.iter_rows(values_only=True)][-1] == "31/6/2023"


def test_a_mapping_saved_on_the_page_is_used_for_the_next_file(staff_client, seeded):
    page = upload(staff_client, delegation_list())
    form = form_of(staff_client.get(page))
    form["map_G"] = "ignore"
    form["mapping_name"] = "Danh sách đoàn ra — mẫu Phòng Hợp tác quốc tế"
    form["action"] = "save_mapping"
    staff_client.post(page, form)
    assert SheetMapping.objects.get().columns["ghi chu"] == "ignore"
    again = staff_client.get(upload(staff_client, delegation_list(), name="khac.xlsx"))
    assert "Danh sách đoàn ra — mẫu Phòng Hợp tác quốc tế" in again.content.decode()
    assert 'name="map_G" aria-label="G">\n' in again.content.decode() or form_of(again)["map_G"] == "ignore"


def test_visitors_and_other_users_cannot_open_an_upload(staff_client, seeded, approver):
    from django.test import Client

    page = upload(staff_client, delegation_list())
    assert staff_client.get(reverse("admin:office_import_template", args=["agreements"])).status_code == 200
    client = Client()
    assert client.get(page).status_code == 302  # to the login page
    client.force_login(approver)
    assert client.get(page).status_code == 404


def test_headings_on_two_rows_are_shown_joined_and_a_mapping_saved_for_them_is_found_again(staff_client, seeded):
    page = upload(staff_client, two_row_delegation_list(), name="doan_vao.xlsx")
    response = staff_client.get(page)
    text = response.content.decode()
    assert "Thời gian – Từ ngày" in text and "Trưởng đoàn – Chức vụ" in text
    assert "4 (một phần của dòng tiêu đề, ghép với tiêu đề ở dòng 3)" in text
    form = form_of(response)
    assert form["header_row"] == "3" and (form["map_F"], form["map_G"]) == ("start_date", "end_date")
    form["map_H"] = "ignore"
    form["mapping_name"] = "Đoàn vào, tiêu đề hai dòng"
    form["action"] = "save_mapping"
    staff_client.post(page, form)
    assert SheetMapping.objects.get().columns["thoi gian tu ngay"] == "start_date"
    again = staff_client.get(upload(staff_client, two_row_delegation_list(), name="doan_vao_2.xlsx"))
    assert "Đoàn vào, tiêu đề hai dòng" in again.content.decode()
    assert form_of(again)["map_H"] == "ignore"


def test_a_decision_on_a_new_name_can_be_changed_and_undone(staff_client, seeded):
    """A name mapped to an existing partner stays in the table, decided, and can go back to undecided."""
    page = upload(staff_client, agreement_list(), kind="agreements", name="thoa_thuan.xlsx")
    response = staff_client.get(page)
    form = form_of(response)
    keys = {form[k]: k.removeprefix("partner_key_") for k in form if k.startswith("partner_key_")}
    australia = next(i for key, i in keys.items() if key.startswith("otxtraylia|"))
    options = re.search(
        rf'<select name="partner_action_{australia}"[^>]*>(.*?)</select>', response.content.decode(), re.S
    ).group(1)
    existing = re.search(r'value="(existing:\d+)"', options).group(1)
    form[f"partner_action_{australia}"] = existing
    form["action"] = "refresh"
    decided = staff_client.post(page, form)
    html = decided.content.decode()
    row = re.search(rf'<tr class="([^"]+)">(?:(?!</tr>).)*name="partner_action_{australia}"(.*?)</tr>', html, re.S)
    assert row.group(1) == "proposal-decided" and "Ốt-xtrây-li-a → Australia" in html
    assert re.search(rf'<option value="{existing}" selected>', row.group(2))
    assert "Đã quyết định" in row.group(2)
    # Back to undecided: the row asks again, the name is an error of its row again.
    form = form_of(decided) | {f"partner_action_{australia}": "", "action": "refresh"}
    undone = staff_client.post(page, form)
    html = undone.content.decode()
    row = re.search(rf'<tr class="([^"]+)">(?:(?!</tr>).)*name="partner_action_{australia}"(.*?)</tr>', html, re.S)
    assert row.group(1) == "proposal-open"
    assert 'value="existing:' in row.group(2) and " selected>" not in row.group(2).split("</select>")[0]
    assert "<strong>C9</strong>: Hãy quyết định “Ốt-xtrây-li-a”" in html
    # And "new" shown as chosen, then back to the existing partner.
    form = form_of(undone) | {f"partner_action_{australia}": "new", "action": "refresh"}
    html = staff_client.post(page, form).content.decode()
    assert re.search(
        rf'name="partner_action_{australia}"[^>]*>\s*<option value="">[^<]*</option>\s*<option value="new" selected>',
        html,
    )


def test_a_second_post_of_a_finished_import_imports_nothing_and_shows_the_result(staff_client, seeded):
    page = upload(staff_client, delegation_list())
    form = form_of(staff_client.get(page))
    form |= {k: "new" for k in form if k.startswith("partner_action_")}
    form["action"] = "import_good"
    before = (Delegation.objects.count(), Partner.objects.count())
    first = staff_client.post(page, form)
    assert first.status_code == 302
    after = (Delegation.objects.count(), Partner.objects.count())
    assert after == (before[0] + 4, before[1] + 4)
    again = staff_client.post(page, form, follow=True)
    assert again.redirect_chain == [(page + "done/", 302)]
    text = again.content.decode()
    assert "Danh sách này đã được nhập rồi; không nhập lại lần nữa." in text
    assert "Đã nhập: 4 mới, 0 cập nhật, 0 không đổi hoặc bỏ qua; 4 đối tác mới." in text
    assert "Đối tác mới (bản nháp, cần kiểm tra):" in text and ">Luông Pha Băng</a>" in text
    assert "Giao dịch" not in text  # delegations have none
    assert (Delegation.objects.count(), Partner.objects.count()) == after
    # The result is the uploader's alone, as the file is.
    from django.test import Client

    other = Client()
    other.force_login(get_user_model().objects.create_user("other", is_staff=True, is_superuser=True))
    assert other.get(page + "done/").status_code == 404


def test_an_import_under_way_is_not_started_twice(staff_client, seeded):
    """A second request while the first one imports (a double click) imports nothing."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    page = upload(staff_client, delegation_list())
    form = form_of(staff_client.get(page))
    form |= {k: "new" for k in form if k.startswith("partner_action_")}
    form["action"] = "import_good"
    token = page.rstrip("/").rsplit("/", 1)[1]
    default_storage.save(f"office-imports/{token}importing", ContentFile(b""))  # the first request's claim
    before = Delegation.objects.count()
    response = staff_client.post(page, form)
    assert response.status_code == 200
    assert "Danh sách này đang được nhập" in response.content.decode()
    assert Delegation.objects.count() == before
    assert default_storage.listdir("office-imports")[1].count(f"{token}importing") == 1
    default_storage.delete(f"office-imports/{token}importing")  # the first request done, refused
    assert staff_client.post(page, form).status_code == 302
    assert Delegation.objects.count() == before + 4
    assert not default_storage.exists(f"office-imports/{token}importing")


def test_the_result_page_counts_the_transactions_written(staff_client, seeded):
    page = upload(staff_client, project_list(), kind="projects", name="du_an_oda.xlsx")
    form = form_of(staff_client.get(page))
    form["action"] = "import_good"
    before = Transaction.objects.count()
    done = staff_client.post(page, form, follow=True)
    assert Transaction.objects.count() == before + 3
    text = done.content.decode()
    assert (
        "Giao dịch: đã ghi 3, 0 đã có trong cơ sở dữ liệu (không thêm lại), "
        "1 chưa nhập vì dòng của chúng chưa được nhập." in text
    )
