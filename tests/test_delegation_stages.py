"""A delegation's stage (issue 19): every move the service allows and refuses, the rules the
database holds whatever writes the row, the status kept in step, and the data migration's mapping."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from delegations import stages
from delegations.models import Delegation, Direction
from delegations.stage_fields import Stage
from offices.models import StaffProfile
from partners.models import LocalUnit, LocalUnitKind

DEPART = dt.date(2026, 3, 2)
BACK = dt.date(2026, 3, 6)


def outbound(**fields):
    data = {
        "direction": Direction.OUTBOUND,
        "title": "Đoàn công tác sang Quảng Tây",
        "leader_name": "Nguyễn Văn A",
        "start_date": DEPART,
        "end_date": BACK,
        "status": "planned",
    }
    return Delegation.objects.create(**{**data, **fields})


def inbound(**fields):
    return outbound(direction=Direction.INBOUND, title="Đoàn Bằng Tường thăm tỉnh", **fields)


def move(delegation, stage, user, **fields):
    stages.advance(delegation, stage, user, **fields)
    delegation.refresh_from_db()
    return delegation


def messages_of(error):
    return " ".join(message for messages in error.value.message_dict.values() for message in messages)


# The chains, walked.


def test_an_outbound_delegation_walks_its_whole_chain_and_its_status_follows(db, staff):
    trip = outbound()
    assert (trip.stage, trip.status) == (Stage.PROPOSED, "planned")
    move(trip, Stage.IN_PLAN, staff)
    assert (trip.stage, trip.status) == (Stage.IN_PLAN, "planned")
    move(trip, Stage.DECIDED, staff, decision_ref="123/QĐ-UBND", decision_date=dt.date(2026, 2, 20))
    assert (trip.stage, trip.status, trip.decision_ref) == (Stage.DECIDED, "approved", "123/QĐ-UBND")
    move(trip, Stage.UNDER_WAY, staff)
    assert (trip.stage, trip.status) == (Stage.UNDER_WAY, "approved")
    move(trip, Stage.RETURNED, staff, returned_on=BACK)
    assert (trip.stage, trip.status, trip.returned_on) == (Stage.RETURNED, "completed", BACK)
    move(trip, Stage.REPORT_RECEIVED, staff, report_received_on=dt.date(2026, 3, 16), report_summary="Đã ký biên bản.")
    assert (trip.stage, trip.status, trip.report_summary) == (Stage.REPORT_RECEIVED, "completed", "Đã ký biên bản.")
    move(trip, Stage.CLOSED, staff)
    assert (trip.stage, trip.status) == (Stage.CLOSED, "completed")
    assert trip.stage_changed_at is not None


def test_an_inbound_delegation_walks_requested_agreed_received_closed(db, approver):
    visit = inbound()
    assert (visit.stage, visit.status) == (Stage.REQUESTED, "planned")
    move(visit, Stage.AGREED, approver, received_by="Phó Chủ tịch UBND tỉnh", reception_plan="Đón tại cửa khẩu.")
    assert (visit.stage, visit.status, visit.reception_plan) == (Stage.AGREED, "approved", "Đón tại cửa khẩu.")
    move(visit, Stage.RECEIVED, approver)
    assert (visit.stage, visit.status) == (Stage.RECEIVED, "completed")
    move(visit, Stage.CLOSED, approver)
    assert visit.stage == Stage.CLOSED


@pytest.mark.parametrize("direction", [Direction.BORDER, Direction.DOMESTIC, ""])
def test_border_talks_leaders_visits_and_undirected_delegations_follow_the_inbound_chain(db, staff, direction):
    talks = outbound(direction=direction)
    assert talks.stage == Stage.REQUESTED
    assert stages.allowed_moves(talks) == [Stage.AGREED, Stage.CANCELLED, Stage.POSTPONED]


def test_a_move_is_kept_in_the_history_with_who_and_what(db, staff):
    trip = outbound()
    move(trip, Stage.IN_PLAN, staff)
    newest = trip.history.order_by("-history_id").first()
    assert newest.history_user == staff
    assert newest.stage == Stage.IN_PLAN
    assert "Đề xuất" in newest.history_change_reason and "Trong kế hoạch năm" in newest.history_change_reason


# Skips, steps back, stops.


def test_a_trip_decided_outside_the_annual_plan_skips_the_plan(db, staff):
    trip = move(outbound(), Stage.DECIDED, staff, decision_ref="5/QĐ-UBND", decision_date=dt.date(2026, 2, 1))
    assert trip.stage == Stage.DECIDED


def test_a_departure_nobody_marked_is_skipped_by_entering_the_return(db, staff):
    trip = outbound(status="approved")
    assert trip.stage == Stage.DECIDED
    move(trip, Stage.RETURNED, staff, returned_on=BACK)
    assert trip.stage == Stage.RETURNED


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Stage.PROPOSED, Stage.UNDER_WAY),
        (Stage.PROPOSED, Stage.RETURNED),
        (Stage.IN_PLAN, Stage.CLOSED),
        (Stage.UNDER_WAY, Stage.REPORT_RECEIVED),
        (Stage.UNDER_WAY, Stage.CLOSED),
        (Stage.PROPOSED, Stage.AGREED),
        (Stage.PROPOSED, Stage.PROPOSED),
    ],
)
def test_a_move_the_chain_does_not_allow_is_refused_and_nothing_is_saved(db, staff, start, to):
    trip = outbound()
    Delegation.objects.filter(pk=trip.pk).update(stage=start, status=stages.STATUS_OF[start])
    trip.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        stages.advance(trip, to, staff)
    assert "không thể chuyển sang" in str(error.value)
    trip.refresh_from_db()
    assert trip.stage == start


def test_a_returned_trip_is_not_closed_before_its_report(db, staff):
    trip = outbound(status="approved")
    move(trip, Stage.RETURNED, staff, returned_on=BACK)
    assert Stage.CLOSED not in stages.allowed_moves(trip)
    with pytest.raises(ValidationError):
        stages.advance(trip, Stage.CLOSED, staff)


def test_a_step_back_corrects_a_mistake_and_takes_the_return_date_away(db, staff):
    trip = outbound(status="approved")
    move(trip, Stage.RETURNED, staff, returned_on=BACK)
    move(trip, Stage.UNDER_WAY, staff)
    assert (trip.stage, trip.status, trip.returned_on) == (Stage.UNDER_WAY, "approved", None)


def test_a_closed_trip_can_go_back_one_step_but_not_be_cancelled(db, staff):
    trip = outbound(status="completed")
    assert trip.stage == Stage.CLOSED
    assert stages.allowed_moves(trip) == [Stage.REPORT_RECEIVED]


def test_cancelling_needs_a_reason(db, staff):
    trip = outbound()
    with pytest.raises(ValidationError) as error:
        stages.advance(trip, Stage.CANCELLED, staff, stage_reason="  ")
    assert "Trường này là bắt buộc" in messages_of(error)
    assert Delegation.objects.get(pk=trip.pk).stage == Stage.PROPOSED
    move(trip, Stage.CANCELLED, staff, stage_reason="Đối tác đề nghị hoãn vô thời hạn.")
    assert (trip.stage, trip.status, trip.stage_reason) == (
        Stage.CANCELLED,
        "cancelled",
        "Đối tác đề nghị hoãn vô thời hạn.",
    )


def test_a_postponed_trip_is_taken_up_again_before_departure_and_loses_its_reason(db, staff):
    trip = outbound(status="approved")
    move(trip, Stage.POSTPONED, staff, stage_reason="Dịch bệnh.")
    assert (trip.stage, trip.status) == (Stage.POSTPONED, "planned")
    assert stages.allowed_moves(trip) == [Stage.PROPOSED, Stage.IN_PLAN, Stage.DECIDED, Stage.CANCELLED]
    move(trip, Stage.DECIDED, staff, decision_ref="9/QĐ-UBND", decision_date=dt.date(2026, 2, 25))
    assert (trip.stage, trip.status, trip.stage_reason) == (Stage.DECIDED, "approved", "")


def test_the_decision_needs_its_number_and_date(db, staff):
    trip = outbound()
    with pytest.raises(ValidationError) as error:
        stages.advance(trip, Stage.DECIDED, staff, decision_ref="", decision_date=None)
    assert set(error.value.message_dict) == {"decision_ref", "decision_date"}
    assert trip.stage == Stage.PROPOSED  # the caller's object as it was


def test_an_agreed_visit_needs_who_receives_it(db, staff):
    with pytest.raises(ValidationError) as error:
        stages.advance(inbound(), Stage.AGREED, staff, received_by="")
    assert set(error.value.message_dict) == {"received_by"}


# Bad dates: refused by the service in words, and by the database whatever writes the row.


def test_a_decision_dated_after_the_departure_is_refused(db, staff):
    with pytest.raises(ValidationError) as error:
        stages.advance(outbound(), Stage.DECIDED, staff, decision_ref="1/QĐ", decision_date=DEPART + dt.timedelta(1))
    assert "Quyết định cử đoàn không thể ký sau ngày khởi hành" in messages_of(error)


def test_a_return_before_the_departure_is_refused(db, staff):
    with pytest.raises(ValidationError) as error:
        stages.advance(outbound(status="approved"), Stage.RETURNED, staff, returned_on=DEPART - dt.timedelta(1))
    assert "Ngày về không thể trước ngày khởi hành" in messages_of(error)


def test_a_result_report_received_before_the_return_is_refused(db, staff):
    trip = move(outbound(status="approved"), Stage.RETURNED, staff, returned_on=BACK)
    with pytest.raises(ValidationError) as error:
        stages.advance(trip, Stage.REPORT_RECEIVED, staff, report_received_on=BACK - dt.timedelta(1))
    assert "Không thể nhận báo cáo kết quả trước ngày về" in messages_of(error)
    assert Delegation.objects.get(pk=trip.pk).stage == Stage.RETURNED


def assert_refused_by_database(pk, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        Delegation.objects.filter(pk=pk).update(**values)


def test_the_database_refuses_a_return_before_the_departure(db):
    assert_refused_by_database(outbound().pk, returned_on=DEPART - dt.timedelta(1))


def test_the_database_refuses_a_decision_dated_after_the_departure(db):
    assert_refused_by_database(outbound().pk, decision_date=DEPART + dt.timedelta(1))


def test_a_decision_after_the_first_of_a_month_known_only_to_the_month_is_accepted(db):
    trip = outbound(start_date=dt.date(2026, 3, 1), end_date=None, date_precision="month")
    Delegation.objects.filter(pk=trip.pk).update(decision_date=dt.date(2026, 3, 10))


def test_the_database_refuses_a_report_before_the_return(db):
    trip = outbound()
    Delegation.objects.filter(pk=trip.pk).update(returned_on=BACK)
    assert_refused_by_database(trip.pk, report_received_on=BACK - dt.timedelta(1))


def test_the_database_refuses_a_cancelled_or_postponed_stage_without_a_reason(db):
    trip = outbound()
    assert_refused_by_database(trip.pk, stage=Stage.CANCELLED, stage_reason="")
    assert_refused_by_database(trip.pk, stage=Stage.POSTPONED, stage_reason="")


def test_the_database_refuses_a_stage_of_the_other_chain(db):
    assert_refused_by_database(outbound().pk, stage=Stage.AGREED)
    assert_refused_by_database(inbound().pk, stage=Stage.DECIDED)
    assert_refused_by_database(inbound().pk, stage="nonsense")


def test_the_database_refuses_a_returned_stage_without_its_date(db):
    assert_refused_by_database(outbound().pk, stage=Stage.RETURNED, status="completed")


# Who may move a stage.


def test_an_official_may_not_move_a_stage(db, official):
    trip = outbound()
    with pytest.raises(PermissionDenied):
        stages.advance(trip, Stage.IN_PLAN, official)
    assert Delegation.objects.get(pk=trip.pk).stage == Stage.PROPOSED


def test_a_staff_member_limited_to_a_unit_moves_only_its_delegations(db, staff):
    cao_loc = LocalUnit.objects.create(name="Huyện Cao Lộc", kind=LocalUnitKind.DISTRICT)
    loc_binh = LocalUnit.objects.create(name="Huyện Lộc Bình", kind=LocalUnitKind.DISTRICT)
    StaffProfile.objects.create(user=staff, unit=cao_loc)
    with pytest.raises(PermissionDenied):
        stages.advance(outbound(host_unit=loc_binh), Stage.IN_PLAN, staff)
    assert move(outbound(host_unit=cao_loc), Stage.IN_PLAN, staff).stage == Stage.IN_PLAN


# The status and the stage in step, whoever writes.


@pytest.mark.parametrize(
    ("direction", "status", "stage"),
    [
        (Direction.OUTBOUND, "planned", Stage.PROPOSED),
        (Direction.OUTBOUND, "approved", Stage.DECIDED),
        (Direction.OUTBOUND, "completed", Stage.CLOSED),
        (Direction.OUTBOUND, "cancelled", Stage.CANCELLED),
        (Direction.INBOUND, "planned", Stage.REQUESTED),
        (Direction.INBOUND, "approved", Stage.AGREED),
        (Direction.INBOUND, "completed", Stage.CLOSED),
        (Direction.BORDER, "cancelled", Stage.CANCELLED),
    ],
)
def test_a_row_written_with_a_status_only_takes_its_stage(db, direction, status, stage):
    trip = outbound(direction=direction, status=status)
    assert trip.stage == stage
    if stage == Stage.CANCELLED:
        assert trip.stage_reason  # the database wants one


def test_a_status_set_later_moves_the_stage_and_a_direction_changed_keeps_the_chain(db):
    trip = outbound()
    trip.status = "completed"
    trip.save()
    assert trip.stage == Stage.CLOSED
    visit = inbound()
    visit.direction = Direction.OUTBOUND
    visit.save()
    assert visit.stage == Stage.PROPOSED


def test_the_report_is_due_a_setting_of_days_after_the_return(db, staff, settings):
    settings.DELEGATION_REPORT_DUE_DAYS = 10
    trip = move(outbound(status="approved"), Stage.RETURNED, staff, returned_on=BACK)
    assert stages.report_due_days(trip.province_id) == 10
    assert stages.report_due_on(trip) == BACK + dt.timedelta(days=10)


# The data migration.


def test_the_data_migration_sets_each_stage_from_the_status_and_closes_completed_trips(db):
    rows = {
        (Direction.OUTBOUND, "planned"): Stage.PROPOSED,
        (Direction.OUTBOUND, "approved"): Stage.DECIDED,
        (Direction.OUTBOUND, "completed"): Stage.CLOSED,
        (Direction.INBOUND, "planned"): Stage.REQUESTED,
        (Direction.INBOUND, "approved"): Stage.AGREED,
        (Direction.BORDER, "completed"): Stage.CLOSED,
        ("", "planned"): Stage.REQUESTED,
        (Direction.OUTBOUND, "cancelled"): Stage.CANCELLED,
    }
    made = {key: outbound(direction=key[0], status="completed") for key in rows}
    for (_direction, status), trip in made.items():  # as the rows stood before the migration: closed
        Delegation.objects.filter(pk=trip.pk).update(status=status)
    migration = importlib.import_module("delegations.migrations.0023_stage_from_status")
    migration.stage_from_status(apps, None)
    for key, trip in made.items():
        trip.refresh_from_db()
        assert trip.stage == rows[key], key
    cancelled = made[(Direction.OUTBOUND, "cancelled")]
    assert cancelled.stage_reason == "Ghi nhận là đã hủy ở trường trạng thái."


# An import writes the status: the stage follows, on the bulk path too.


def test_an_imported_row_takes_the_stage_of_its_status(db):
    from delegations.resources import DelegationResource
    from tests.import_files import csv_bytes
    from tests.test_imports import DELEGATION_HEADERS, delegation_row, run

    rows = [
        delegation_row("Đoàn dự kiến sang Nam Ninh", status="Dự kiến"),
        delegation_row("Đoàn đã hủy", status="Đã hủy"),
        delegation_row("Đoàn đã đi", status="Đã thực hiện"),
    ]
    result = run(DelegationResource(), csv_bytes(DELEGATION_HEADERS, rows))
    assert not result.has_errors() and not result.has_validation_errors()
    stages_by_title = dict(Delegation.objects.values_list("title", "stage"))
    assert stages_by_title == {
        "Đoàn dự kiến sang Nam Ninh": Stage.PROPOSED,
        "Đoàn đã hủy": Stage.CANCELLED,
        "Đoàn đã đi": Stage.CLOSED,
    }
    assert Delegation.objects.get(title="Đoàn đã hủy").stage_reason == "Ghi nhận là đã hủy ở trường trạng thái."
