"""The office import's admin pages (issue 15): upload, the one page of choices and
preview, the import of the good rows with the bad ones given back, a saved mapping."""

import io
import re

import openpyxl
from django.urls import reverse

from delegations.models import Delegation
from lang_son_affairs.models import SheetMapping
from partners.models import Partner
from sources.models import Citation
from tests.office_files import delegation_list, two_row_delegation_list


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
    done = staff_client.post(page, form)
    assert done.status_code == 200, done.content[:300]
    assert "4 mới" in done.content.decode()
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
