"""The office's rules on outbound delegations, as warnings the approver sees
(issue 19, item 3): each rule fires past its limit and not at it, reads the
province's editable limits (made with its defaults), shows on the change form and
the review page, never blocks a save, and costs a bounded number of queries."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from delegations import stages
from delegations.models import Delegation, DelegationMember, Direction, Level, Status
from partners.models import Partner, PartnerKind
from planning.models import AnnualPlan, DelegationRules, PlanLine, SizeLimit
from planning.rules import checks_for, report_due_days, rules_for, warnings_for
from tests.conftest import make_user

HOME = "20"


def rule_names(delegation):
    return [rule for rule, _message in checks_for(delegation)]


@pytest.fixture
def rules(db):
    """The home province's rules, made with the defaults, with a limit of 6 persons for a department."""
    made = rules_for(HOME)
    SizeLimit.objects.filter(rules=made, level=Level.DEPARTMENT).update(max_size=6)
    return made


@pytest.fixture
def plan_line(db):
    plan = AnnualPlan.objects.create(year=2026, title="Kế hoạch đoàn ra năm 2026")
    return PlanLine.objects.create(plan=plan, country="CN", purpose="Xúc tiến thương mại", quarter=2)


def outbound(**fields):
    """An outbound department delegation of four days in 2026, decided, in the plan unless told."""
    values = {
        "direction": Direction.OUTBOUND,
        "title": "Đoàn Sở Công Thương đi Nam Ninh",
        "level": Level.DEPARTMENT,
        "start_date": dt.date(2026, 5, 4),
        "end_date": dt.date(2026, 5, 7),
        "size": 4,
        "decision_ref": "123/QĐ-UBND",
        "status": Status.APPROVED,
    }
    values.update(fields)
    return Delegation.objects.create(**values)


# --- the rules and their defaults -------------------------------------------------------------------------------


def test_a_province_without_rules_gets_its_defaults_on_first_read(db):
    assert not DelegationRules.objects.exists()
    made = rules_for(HOME)
    assert made.report_due_days == 15
    assert made.province_id == HOME
    assert made.limits[Level.PROVINCIAL] == 10
    assert SizeLimit.objects.filter(rules=made).count() == 4
    assert rules_for(HOME).pk == made.pk  # read again, not made twice


def test_report_due_days_reads_the_provinces_setting_and_falls_back_to_the_installs(db, settings):
    assert report_due_days(HOME) == 15
    settings.DELEGATION_REPORT_DUE_DAYS = 12
    assert report_due_days(HOME) == 12
    assert rules_for(HOME).report_due_days == 12  # a province's rules start from the install's days
    DelegationRules.objects.filter(province=HOME).update(report_due_days=20)
    assert report_due_days(HOME) == 20
    assert stages.report_due_days(HOME) == 20  # the stage bar and the due list read the province's days


def test_the_database_refuses_negative_limits_and_a_second_rules_row(rules):
    for field in ("max_days", "max_countries", "max_trips_per_person"):
        with pytest.raises(IntegrityError), transaction.atomic():
            DelegationRules.objects.filter(pk=rules.pk).update(**{field: -1})
    with pytest.raises(IntegrityError), transaction.atomic():
        SizeLimit.objects.filter(rules=rules, level=Level.DEPARTMENT).update(max_size=-3)
    with pytest.raises(IntegrityError), transaction.atomic():
        SizeLimit.objects.create(rules=rules, level=Level.DEPARTMENT, max_size=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegationRules.objects.create(province_id=HOME, report_due_days=10)


# --- each rule, at and past its limit ---------------------------------------------------------------------------


def test_size_at_the_levels_limit_is_no_warning(rules, plan_line):
    assert rule_names(outbound(size=6, plan_line=plan_line)) == []


def test_size_above_the_levels_limit_is_a_warning_naming_size_limit_and_level(rules, plan_line):
    delegation = outbound(size=7, plan_line=plan_line)
    with translation.override("vi"):
        (message,) = warnings_for(delegation)
    assert message == "Số người (7) vượt mức tối đa 6 người cho đoàn cấp “Sở, ngành”."


def test_a_level_without_a_limit_is_never_too_large(rules, plan_line):
    assert rule_names(outbound(level=Level.STATE, size=60, plan_line=plan_line)) == []


def test_a_trip_of_exactly_the_day_limit_is_no_warning_and_one_day_more_is(rules, plan_line):
    assert rules.max_days == 10
    assert rule_names(outbound(end_date=dt.date(2026, 5, 13), plan_line=plan_line)) == []
    longer = outbound(end_date=dt.date(2026, 5, 14), plan_line=plan_line)
    assert rule_names(longer) == ["days"]
    with translation.override("vi"):
        assert "11 ngày" in warnings_for(longer)[0] and "10 ngày" in warnings_for(longer)[0]


def countries(*codes):
    return [
        Partner.objects.create(name=f"Đối tác {code} {i}", kind=PartnerKind.PREFECTURE_CITY, country=code)
        for i, code in enumerate(codes)
    ]


def test_countries_are_counted_once_each_and_warn_past_the_limit(rules, plan_line):
    rules.max_countries = 2
    rules.save()
    within = outbound(plan_line=plan_line)
    within.partners.set(countries("CN", "CN", "LA"))
    assert rule_names(within) == []
    beyond = outbound(plan_line=plan_line)
    beyond.partners.set(countries("CN", "LA", "TH"))
    assert rule_names(beyond) == ["countries"]
    assert "CN, LA, TH" in warnings_for(beyond)[0]


def test_a_person_in_as_many_trips_as_allowed_is_no_warning(rules, plan_line):
    assert rules.max_trips_per_person == 2
    earlier = outbound(start_date=dt.date(2026, 2, 1), end_date=dt.date(2026, 2, 2))
    DelegationMember.objects.create(delegation=earlier, name="NGUYEN VAN AN")
    delegation = outbound(plan_line=plan_line)
    DelegationMember.objects.create(delegation=delegation, name="Nguyễn Văn An")
    assert rule_names(delegation) == []


def test_a_person_in_more_trips_of_the_year_than_allowed_is_a_warning_whatever_the_accents(rules, plan_line):
    first = outbound(start_date=dt.date(2026, 2, 1), end_date=dt.date(2026, 2, 2))
    DelegationMember.objects.create(delegation=first, name="NGUYEN VAN AN")
    outbound(start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 2), leader_name="nguyễn văn an")
    delegation = outbound(plan_line=plan_line)
    DelegationMember.objects.create(delegation=delegation, name="Nguyễn Văn An")
    assert rule_names(delegation) == ["trips_per_person"]
    with translation.override("vi"):
        assert warnings_for(delegation) == [
            "Nguyễn Văn An có tên trong 3 chuyến đi nước ngoài năm 2026, vượt mức tối đa 2 chuyến một năm."
        ]


def test_trips_of_another_year_inbound_or_cancelled_do_not_count_toward_the_person_limit(rules, plan_line):
    for fields in (
        {"start_date": dt.date(2025, 2, 1), "end_date": dt.date(2025, 2, 2)},
        {"direction": Direction.INBOUND},
        {"status": Status.CANCELLED},
    ):
        DelegationMember.objects.create(delegation=outbound(**fields), name="Nguyễn Văn An")
    delegation = outbound(plan_line=plan_line)
    DelegationMember.objects.create(delegation=delegation, name="Nguyễn Văn An")
    assert rule_names(delegation) == []


def test_two_key_leaders_in_one_delegation_is_a_warning(rules, plan_line):
    delegation = outbound(size=6, leader_name="Hoàng Văn B", leader_title="Chủ tịch UBND tỉnh", plan_line=plan_line)
    DelegationMember.objects.create(delegation=delegation, name="Trần Thị C", position="bí thư tỉnh ủy")
    assert rule_names(delegation) == ["key_leaders"]
    assert "Hoàng Văn B (Chủ tịch UBND tỉnh)" in warnings_for(delegation)[0]


def test_one_key_leader_with_a_deputy_is_no_warning(rules, plan_line):
    delegation = outbound(size=6, leader_name="Hoàng Văn B", leader_title="Chủ tịch UBND tỉnh", plan_line=plan_line)
    DelegationMember.objects.create(delegation=delegation, name="Trần Thị C", position="Phó Chủ tịch UBND tỉnh")
    # The head listed again among the members is one person, not two.
    DelegationMember.objects.create(delegation=delegation, name="Hoàng Văn B", position="Chủ tịch UBND tỉnh")
    assert rule_names(delegation) == []


def test_no_sending_decision_before_departure_is_a_warning(rules, plan_line):
    delegation = outbound(decision_ref="", plan_line=plan_line)
    with translation.override("vi"):
        assert warnings_for(delegation) == ["Chưa có quyết định cử đoàn cho chuyến đi khởi hành ngày 04/05/2026."]


def test_a_decision_dated_after_departure_is_a_warning_and_one_before_is_not(rules, plan_line):
    delegation = outbound(plan_line=plan_line)
    delegation.decision_date = dt.date(2026, 4, 20)  # the field the delegation stages add (read by getattr)
    assert rule_names(delegation) == []
    delegation.decision_date = dt.date(2026, 5, 5)
    assert rule_names(delegation) == ["decision"]


def test_the_decision_rule_can_be_turned_off(rules, plan_line):
    rules.require_decision = False
    rules.save()
    assert rule_names(outbound(decision_ref="", plan_line=plan_line)) == []


def test_a_delegation_outside_the_plan_is_a_warning_unless_the_rule_is_off(rules, plan_line):
    assert rule_names(outbound()) == ["outside_plan"]
    assert rule_names(outbound(plan_line=plan_line)) == []
    rules.warn_outside_plan = False
    rules.save()
    assert rule_names(outbound()) == []


def test_an_inbound_delegation_is_not_checked_against_the_outbound_rules(rules):
    assert rule_names(outbound(direction=Direction.INBOUND, size=40, decision_ref="")) == []


def test_the_checks_cost_six_queries_however_many_members(rules, plan_line, django_assert_num_queries):
    delegation = outbound(size=30, level=Level.PROVINCIAL, plan_line=plan_line)
    for trip in range(3):
        other = outbound(start_date=dt.date(2026, 1, 10 + trip), end_date=dt.date(2026, 1, 11 + trip), size=30)
        DelegationMember.objects.bulk_create(DelegationMember(delegation=other, name=f"Người {i}") for i in range(20))
    DelegationMember.objects.bulk_create(DelegationMember(delegation=delegation, name=f"Người {i}") for i in range(20))
    delegation.partners.set(countries("CN", "LA"))
    fresh = Delegation.objects.get(pk=delegation.pk)
    # The rules; their size limits; the members; the partners' countries;
    # the other trips' members; the other trips' heads.
    with django_assert_num_queries(6):
        found = rule_names(fresh)
    # 30 persons for a provincial delegation (limit 10); each of the 20 members in a fourth trip (limit 2).
    assert found.count("size") == 1 and found.count("trips_per_person") == 20


# --- the approver sees them; nothing is blocked -----------------------------------------------------------------


def test_the_approver_sees_the_warnings_on_the_change_form_and_the_review_page(client, approver, rules):
    delegation = outbound(size=9, decision_ref="")
    client.force_login(approver)
    form = client.get(reverse("admin:delegations_delegation_change", args=[delegation.pk]))
    review = client.get(reverse("admin:delegations_delegation_review", args=[delegation.pk]))
    for response in (form, review):
        page = response.content.decode()
        assert response.status_code == 200
        assert "Số người (9) vượt mức tối đa 6 người cho đoàn cấp “Sở, ngành”." in page
        assert "Chưa có quyết định cử đoàn" in page
        assert "ngoài kế hoạch" in page


def test_a_delegation_within_every_rule_shows_no_warning_block(client, approver, rules, plan_line):
    delegation = outbound(plan_line=plan_line)
    client.force_login(approver)
    page = client.get(reverse("admin:delegations_delegation_change", args=[delegation.pk])).content.decode()
    assert "record-warnings" not in page


def test_warnings_do_not_block_saving_the_delegation(client, staff, rules):
    from tests.test_admin import delegation_post

    delegation = outbound(size=9, decision_ref="")
    client.force_login(staff)
    data = delegation_post(
        direction=Direction.OUTBOUND,
        title="Đoàn đã sửa",
        level=Level.DEPARTMENT,
        status=Status.APPROVED,
        size="12",
        start_date="04/05/2026",
        end_date="30/05/2026",
    )
    response = client.post(reverse("admin:delegations_delegation_change", args=[delegation.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    delegation.refresh_from_db()
    assert (delegation.title, delegation.size) == ("Đoàn đã sửa", 12)
    assert set(rule_names(delegation)) == {"size", "days", "decision", "outside_plan"}


# --- who edits the rules ----------------------------------------------------------------------------------------


def test_only_an_administrator_edits_the_rules(client, staff, approver, official, rules):
    url = reverse("admin:planning_delegationrules_change", args=[rules.pk])
    for user in (staff, approver, official):
        client.force_login(user)
        assert client.get(url).status_code in (302, 403), user
    administrator = make_user("quantri", "administrator", is_staff=True)
    client.force_login(administrator)
    assert client.get(url).status_code == 200
    data = {
        "report_due_days": "20",
        "max_days": "-1",
        "max_countries": "3",
        "max_trips_per_person": "2",
        "key_leaders": "Chủ tịch UBND tỉnh",
        "require_decision": "on",
        "warn_outside_plan": "on",
        "size_limits-TOTAL_FORMS": "0",
        "size_limits-INITIAL_FORMS": "0",
        "size_limits-MIN_NUM_FORMS": "0",
        "size_limits-MAX_NUM_FORMS": "1000",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Giá trị này phải lớn hơn hoặc bằng 0." in refused.content.decode()
    assert client.post(url, {**data, "max_days": "12"}).status_code == 302
    rules.refresh_from_db()
    assert (rules.report_due_days, rules.max_days) == (20, 12)


def test_the_rules_list_makes_the_provinces_rules_for_its_administrator(client, db):
    administrator = make_user("quantri", "administrator", is_staff=True)
    client.force_login(administrator)
    response = client.get(reverse("admin:planning_delegationrules_changelist"))
    assert response.status_code == 200
    assert DelegationRules.objects.filter(province=HOME).count() == 1
