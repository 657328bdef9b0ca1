"""The annual plan of outbound delegations (issue 19, item 2): its rules in the
database and in the admin's words, the link of a delegation to a line of its own
province's plan of its year, the plan page's states and totals, its XLSX, who may
read it, and what it costs in queries."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from delegations.models import Delegation, Direction, Status
from offices import provinces, services
from offices.models import OfficeProfile, StaffProfile
from offices.profile import remember_profile
from partners.models import LocalUnit, LocalUnitKind, Partner, PartnerKind
from planning.models import AnnualPlan, PlanLine
from tests.conftest import make_user
from tests.test_admin import delegation_post, management_form

HOME, OTHER = "20", "04"


@pytest.fixture
def units(db):
    return {
        "trade": LocalUnit.objects.create(name="Sở Công Thương", kind=LocalUnitKind.DEPARTMENT),
        "culture": LocalUnit.objects.create(name="Sở Văn hóa, Thể thao và Du lịch", kind=LocalUnitKind.DEPARTMENT),
    }


@pytest.fixture
def plan(units):
    """Four lines: one done, one pending with a delegation under way, one cancelled, one with nothing yet."""
    plan = AnnualPlan.objects.create(year=2026, title="Kế hoạch đoàn ra năm 2026", decision_ref="45/QĐ-UBND")
    partner = Partner.objects.create(name="Nam Ninh", kind=PartnerKind.PREFECTURE_CITY, country="CN")
    lines = {
        "done": PlanLine.objects.create(
            plan=plan,
            host_unit=units["trade"],
            country="CN",
            purpose="Xúc tiến thương mại tại Nam Ninh",
            quarter=2,
            size=5,
            budget=Decimal("120000000"),
        ),
        "under_way": PlanLine.objects.create(
            plan=plan,
            host_unit=units["trade"],
            partner=partner,
            purpose="Hội chợ Trung Quốc – ASEAN",
            quarter=3,
            size=6,
            budget=Decimal("150000000"),
        ),
        "cancelled": PlanLine.objects.create(
            plan=plan,
            host_unit=units["culture"],
            country="LA",
            purpose="Giao lưu văn hóa",
            quarter=4,
            size=8,
            budget=Decimal("90000000"),
            cancelled=True,
            cancel_reason="Phía bạn đề nghị lùi sang năm sau",
        ),
        "waiting": PlanLine.objects.create(
            plan=plan,
            host_unit=units["culture"],
            country="KR",
            purpose="Khảo sát du lịch",
            quarter=4,
            size=4,
            budget=Decimal("200000000"),
        ),
    }
    Delegation.objects.create(
        direction=Direction.OUTBOUND,
        title="Đoàn Sở Công Thương dự hội nghị xúc tiến",
        status=Status.COMPLETED,
        start_date=dt.date(2026, 5, 4),
        end_date=dt.date(2026, 5, 7),
        size=5,
        plan_line=lines["done"],
    )
    Delegation.objects.create(
        direction=Direction.OUTBOUND,
        title="Đoàn dự Hội chợ CAEXPO",
        status=Status.APPROVED,
        start_date=dt.date(2026, 9, 10),
        plan_line=lines["under_way"],
    )
    Delegation.objects.create(
        direction=Direction.OUTBOUND,
        title="Đoàn khảo sát cửa khẩu ngoài kế hoạch",
        status=Status.COMPLETED,
        start_date=dt.date(2026, 6, 1),
        size=3,
        host_unit=units["trade"],
    )
    # Neither counts outside the 2026 plan: inbound, and of another year.
    Delegation.objects.create(
        direction=Direction.INBOUND, title="Đoàn Bằng Tường sang thăm", start_date=dt.date(2026, 6, 2)
    )
    Delegation.objects.create(direction=Direction.OUTBOUND, title="Đoàn năm trước", start_date=dt.date(2025, 6, 2))
    return plan, lines


# --- rules in the database and the forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"quarter": 5}, "planline_quarter_1_to_4"),
        ({"quarter": 0}, "planline_quarter_1_to_4"),
        ({"budget": Decimal("-1")}, "planline_budget_not_negative"),
        ({"cancelled": True, "cancel_reason": ""}, "planline_cancel_reason_required"),
        ({"country": "", "partner": None}, "planline_country_or_partner"),
        ({"country": "C"}, "planline_country_iso2"),
    ],
)
def test_the_database_refuses_a_bad_plan_line(db, fields, constraint):
    plan = AnnualPlan.objects.create(year=2026, title="Kế hoạch")
    values = {"plan": plan, "country": "CN", "purpose": "Xúc tiến", "quarter": 1, **fields}
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        PlanLine.objects.bulk_create([PlanLine(province_id=HOME, **values)])


def test_a_province_has_one_plan_a_year(db):
    AnnualPlan.objects.create(year=2026, title="Kế hoạch đoàn ra năm 2026")
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualPlan.objects.create(year=2026, title="Kế hoạch khác")


def test_a_plan_line_takes_its_plans_province(db):
    plan = AnnualPlan.objects.create(year=2026, title="Kế hoạch")
    line = PlanLine(plan=plan, country="CN", purpose="Xúc tiến", quarter=1)
    line.province_id = None
    line.save()
    assert line.province_id == HOME


def plan_form(lines):
    data = {"year": "2026", "title": "Kế hoạch đoàn ra năm 2026", "decision_ref": "", "decision_date": "", "notes": ""}
    data.update(management_form("lines", len(lines)))
    for i, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{i}-{key}"] = value
    return data


def test_staff_enter_a_plan_with_its_lines_on_one_screen(client, staff, units):
    client.force_login(staff)
    line = {
        "host_unit": units["trade"].pk,
        "country": "cn",
        "purpose": "Xúc tiến",
        "quarter": "2",
        "size": "5",
        "budget": "120000000",
    }
    response = client.post(reverse("admin:planning_annualplan_add"), plan_form([line]))
    assert response.status_code == 302, response.content.decode()[:2000]
    (saved,) = PlanLine.objects.all()
    assert (saved.country, saved.quarter, saved.budget, saved.province_id) == ("CN", 2, 120000000, HOME)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"quarter": "5"}, "Quý là 1, 2, 3 hoặc 4."),
        ({"budget": "-5"}, "Kinh phí không được là số âm."),
        ({"cancelled": "on"}, "Ghi rõ lý do hủy chuyến đi trong kế hoạch."),
        ({"country": ""}, "Nhập nước dự kiến đến, đối tác, hoặc cả hai."),
        ({"country": "C1"}, "Nhập mã quốc gia ISO 3166 gồm hai chữ cái, ví dụ CN."),
    ],
)
def test_the_plan_form_refuses_a_bad_line_in_vietnamese_and_saves_nothing(client, staff, line, message):
    client.force_login(staff)
    row = {"country": "CN", "purpose": "Xúc tiến", "quarter": "2", **line}
    response = client.post(reverse("admin:planning_annualplan_add"), plan_form([row]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AnnualPlan.objects.exists() and not PlanLine.objects.exists()


# --- the link of a delegation to its plan line --------------------------------------------------------------------


def test_a_delegation_links_to_a_line_of_its_own_plan_of_its_year(plan):
    _plan, lines = plan
    delegation = Delegation(
        direction=Direction.OUTBOUND, title="Đoàn", start_date=dt.date(2026, 3, 1), plan_line=lines["waiting"]
    )
    delegation.full_clean()


def test_a_delegation_of_another_year_or_an_inbound_one_may_not_link_to_the_plan(plan):
    _plan, lines = plan
    wrong_year = Delegation(
        direction=Direction.OUTBOUND, title="Đoàn", start_date=dt.date(2027, 1, 5), plan_line=lines["waiting"]
    )
    with pytest.raises(ValidationError) as refused:
        wrong_year.full_clean()
    assert "2026" in str(refused.value) and "2027" in str(refused.value)
    inbound = Delegation(
        direction=Direction.INBOUND, title="Đoàn", start_date=dt.date(2026, 1, 5), plan_line=lines["waiting"]
    )
    with pytest.raises(ValidationError, match="plan_line"):
        inbound.full_clean()


@pytest.fixture
def two_offices(db):
    second = OfficeProfile(**services.defaults_for(provinces.province(OTHER)))
    second.full_clean()
    second.save()
    remember_profile(None)
    return second


def province_user(role, code):
    user = make_user(f"{role}_{code}", role, is_staff=True)
    StaffProfile.objects.create(user=user, province_id=code)
    return user


def test_a_delegation_may_not_link_to_another_provinces_plan(two_offices):
    other_plan = AnnualPlan.objects.create(province_id=OTHER, year=2026, title="Kế hoạch tỉnh khác")
    line = PlanLine.objects.create(plan=other_plan, country="CN", purpose="Xúc tiến", quarter=1)
    delegation = Delegation(
        province_id=HOME, direction=Direction.OUTBOUND, title="Đoàn", start_date=dt.date(2026, 3, 1), plan_line=line
    )
    with pytest.raises(ValidationError) as refused:
        delegation.full_clean()
    assert refused.value.message_dict["plan_line"] == ["Dòng kế hoạch này thuộc kế hoạch của tỉnh khác."]


def test_the_admin_refuses_another_provinces_plan_line_posted_anyway(client, two_offices):
    other_plan = AnnualPlan.objects.create(province_id=OTHER, year=2026, title="Kế hoạch tỉnh khác")
    line = PlanLine.objects.create(plan=other_plan, country="CN", purpose="Xúc tiến", quarter=1)
    client.force_login(province_user("staff", HOME))
    data = delegation_post(direction=Direction.OUTBOUND, start_date="01/03/2026", end_date="", plan_line=str(line.pk))
    response = client.post(reverse("admin:delegations_delegation_add"), data)
    assert response.status_code == 200
    assert not Delegation.objects.exists()


def test_staff_link_a_delegation_to_a_plan_line_in_the_admin_and_the_list_flags_the_others(client, staff, plan):
    _plan, lines = plan
    client.force_login(staff)
    data = delegation_post(
        direction=Direction.OUTBOUND,
        title="Đoàn khảo sát du lịch Hàn Quốc",
        start_date="02/10/2026",
        end_date="",
        plan_line=str(lines["waiting"].pk),
    )
    assert client.post(reverse("admin:delegations_delegation_add"), data).status_code == 302
    assert Delegation.objects.get(title="Đoàn khảo sát du lịch Hàn Quốc").plan_line == lines["waiting"]
    listing = client.get(reverse("admin:delegations_delegation_changelist")).content.decode()
    # The two outbound delegations with no line (2026's and 2025's); the inbound one has no flag.
    assert listing.count('<span class="plan-flag">ngoài kế hoạch</span>') == 2


def test_the_plan_line_autocomplete_offers_the_provinces_lines_not_cancelled(client, staff, plan):
    client.force_login(staff)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "delegations", "model_name": "delegation", "field_name": "plan_line", "term": "du lịch"},
    )
    assert response.status_code == 200
    # The unit's two lines match; the cancelled one is not offered.
    assert [item["text"] for item in response.json()["results"]] == ["2026 · quý 4 · Khảo sát du lịch (KR)"]


# --- the plan page ---------------------------------------------------------------------------------------------


def test_the_plan_page_shows_each_lines_state_by_host_unit_with_the_delegations_outside_the_plan(
    client, official, plan
):
    the_plan, _lines = plan
    client.force_login(official)
    response = client.get(reverse("planning:detail", args=[the_plan.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Sở Công Thương") < page.index("Sở Văn hóa, Thể thao và Du lịch")  # by host unit, A–Z
    assert "plan-line--done" in page and "Đoàn Sở Công Thương dự hội nghị xúc tiến" in page
    assert page.count("plan-line--pending") == 2
    assert page.count("plan-line--cancelled") == 1 and "Phía bạn đề nghị lùi sang năm sau" in page
    assert "Đoàn khảo sát cửa khẩu ngoài kế hoạch" in page
    assert "Đoàn Bằng Tường sang thăm" not in page and "Đoàn năm trước" not in page


def test_the_plan_pages_totals_count_states_and_leave_cancelled_lines_out_of_persons_and_budget(client, official, plan):
    the_plan, _lines = plan
    client.force_login(official)
    view = client.get(reverse("planning:detail", args=[the_plan.pk])).context["view"]
    assert view.totals == {
        "lines": 4,
        "done": 1,
        "pending": 2,
        "cancelled": 1,
        "size": 15,
        "budget": Decimal("470000000"),
        "outside": 1,
        "outside_size": 3,
    }
    page = client.get(reverse("planning:detail", args=[the_plan.pk])).content.decode()
    assert "470.000.000 ₫" in page


def test_the_plan_page_costs_a_fixed_number_of_queries(client, official, plan, django_assert_num_queries):
    the_plan, lines = plan
    client.force_login(official)
    url = reverse("planning:detail", args=[the_plan.pk])
    client.get(url)
    # The session; the user; the user's own and group permissions (is the user national?); the
    # staff profile (which province?); the plan; its lines with their units and partners; the
    # delegations carrying them out; the year's outbound delegations outside the plan.
    with django_assert_num_queries(9):
        client.get(url)
    for i in range(5):  # more lines and delegations: the same queries
        line = PlanLine.objects.create(plan=the_plan, country="JP", purpose=f"Thêm {i}", quarter=1)
        Delegation.objects.create(
            direction=Direction.OUTBOUND, title=f"Thêm {i}", start_date=dt.date(2026, 1, 2), plan_line=line
        )
    with django_assert_num_queries(9):
        client.get(url)


@pytest.mark.parametrize("role", ["staff", "approver", "official"])
def test_the_provinces_users_read_its_plans(client, plan, role, request):
    the_plan, _lines = plan
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("planning:list")).status_code == 200
    assert client.get(reverse("planning:detail", args=[the_plan.pk])).status_code == 200
    assert client.get(reverse("planning:export_xlsx", args=[the_plan.pk])).status_code == 200


def test_a_visitor_is_answered_404_for_every_plan_page(client, plan):
    the_plan, _lines = plan
    for url in (
        reverse("planning:list"),
        reverse("planning:detail", args=[the_plan.pk]),
        reverse("planning:export_xlsx", args=[the_plan.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_another_provinces_users_are_answered_404_and_a_national_user_reads_every_plan(client, two_offices):
    plan = AnnualPlan.objects.create(province_id=HOME, year=2026, title="Kế hoạch đoàn ra năm 2026")
    for role in ("staff", "approver", "official"):
        client.force_login(province_user(role, OTHER))
        assert client.get(reverse("planning:detail", args=[plan.pk])).status_code == 404
        assert client.get(reverse("planning:export_xlsx", args=[plan.pk])).status_code == 404
        assert "Kế hoạch đoàn ra năm 2026" not in client.get(reverse("planning:list")).content.decode()
    client.force_login(make_user("bo", "national"))
    assert client.get(reverse("planning:detail", args=[plan.pk])).status_code == 200
    assert "Kế hoạch đoàn ra năm 2026" in client.get(reverse("planning:list")).content.decode()


# --- the XLSX --------------------------------------------------------------------------------------------------


def test_the_plan_exports_as_xlsx_with_its_title_province_lines_states_and_totals(client, official, plan):
    the_plan, _lines = plan
    client.force_login(official)
    response = client.get(reverse("planning:export_xlsx", args=[the_plan.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]
    office = OfficeProfile.objects.get(province_code=HOME)
    assert rows[0][0] == "Kế hoạch đoàn ra năm 2026"
    assert rows[1][0] == f"{office.office_name} – {office.province_name}"
    header = rows.index(next(row for row in rows if row[0] == "Đơn vị chủ trì"))
    assert rows[header][:10] == (
        "Đơn vị chủ trì",
        "Nước dự kiến đến",
        "Đối tác dự kiến",
        "Mục đích",
        "Quý",
        "Số người",
        "Kinh phí (đồng)",
        "Trưởng đoàn",
        "Trạng thái",
        "Đoàn thực hiện",
    )
    lines = rows[header + 1 : header + 5]
    assert [(row[0], row[1] or "", row[4], row[5], row[6], row[8]) for row in lines] == [
        ("Sở Công Thương", "Trung Quốc", 2, 5, 120000000, "đã thực hiện"),
        ("Sở Công Thương", "", 3, 6, 150000000, "chưa thực hiện"),
        ("Sở Văn hóa, Thể thao và Du lịch", "Lào", 4, 8, 90000000, "đã hủy (Phía bạn đề nghị lùi sang năm sau)"),
        ("Sở Văn hóa, Thể thao và Du lịch", "Hàn Quốc", 4, 4, 200000000, "chưa thực hiện"),
    ]
    assert lines[1][2] == "Nam Ninh"
    assert lines[0][9] == "Đoàn Sở Công Thương dự hội nghị xúc tiến"
    total = rows[header + 5]
    assert (total[0], total[5], total[6], total[8]) == (
        "Tổng cộng",
        15,
        470000000,
        "1 đã thực hiện, 2 chưa thực hiện, 1 đã hủy",
    )
    assert any(row[3] == "Đoàn khảo sát cửa khẩu ngoài kế hoạch" for row in rows[header + 6 :])


def test_no_label_of_the_plans_and_rules_stays_english_in_vietnamese():
    from django.apps import apps
    from django.utils import translation

    left_english = []
    for model in apps.get_app_config("planning").get_models():
        labels = [model._meta.verbose_name, model._meta.verbose_name_plural]
        labels += [field.verbose_name for field in model._meta.get_fields() if hasattr(field, "verbose_name")]
        for label in labels:
            with translation.override("en"):
                english = str(label)
            with translation.override("vi"):
                if str(label) == english and english not in ("ID",):
                    left_english.append(f"{model.__name__}: {english}")
    assert left_english == []
