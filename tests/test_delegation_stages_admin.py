"""The stage in the admin and on the site: the stage bar on the change form, the move page per role,
a new delegation's stage, and who sees the stage and its internal papers."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from delegations import stages
from delegations.models import Delegation, Direction
from delegations.stage_fields import Stage
from offices.models import OfficeProfile, StaffProfile
from offices.services import defaults_for, find_province
from tests.conftest import PUBLISHED
from tests.test_admin import delegation_post

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def change_page(record):
    return reverse("admin:delegations_delegation_change", args=[record.pk])


def move_page(record, stage):
    return reverse("admin:delegations_delegation_stage", args=[record.pk, stage])


def back_home(days_ago=20, **fields):
    """An outbound delegation back ``days_ago`` days ago, its result report awaited."""
    back = timezone.localdate() - dt.timedelta(days=days_ago)
    data = {
        "direction": Direction.OUTBOUND,
        "title": "Đoàn công tác sang Quảng Tây",
        "leader_name": "Nguyễn Văn A",
        "start_date": back - dt.timedelta(days=4),
        "end_date": back,
        "status": "approved",
    }
    trip = Delegation.objects.create(**{**data, **fields})
    Delegation.objects.filter(pk=trip.pk).update(
        decision_ref="12/QĐ-UBND",
        decision_date=back - dt.timedelta(days=10),
        stage=Stage.RETURNED,
        returned_on=back,
        status="completed",
    )
    trip.refresh_from_db()
    return trip


def planned(**fields):
    data = {
        "direction": Direction.OUTBOUND,
        "title": "Đoàn dự kiến sang Nam Ninh",
        "start_date": dt.date(2026, 9, 1),
        "end_date": dt.date(2026, 9, 5),
        "status": "planned",
    }
    return Delegation.objects.create(**{**data, **fields})


def signed_in(client, user):
    client.force_login(user)
    return client


# The stage bar.


def test_the_change_form_shows_the_stage_bar_with_the_late_report_in_red(client, staff):
    trip = back_home(days_ago=20)
    page = signed_in(client, staff).get(change_page(trip)).content.decode()
    assert 'class="stage-bar__step stage-bar__step--current" aria-current="step"' in page
    assert "Đã về nước" in page and "Đã nhận báo cáo kết quả" in page
    due_on = trip.returned_on + dt.timedelta(days=15)
    assert f"Hạn nộp báo cáo kết quả là {due_on:%d/%m/%Y}: đã trễ 5 ngày." in page
    assert 'class="stage-bar__late"' in page
    assert f"{trip.returned_on:%d/%m/%Y}" in page  # the date under the stage passed
    assert move_page(trip, Stage.REPORT_RECEIVED) in page
    assert move_page(trip, Stage.UNDER_WAY) in page  # back one step
    assert move_page(trip, Stage.CLOSED) not in page


def test_a_report_not_yet_due_is_not_in_red(client, staff):
    trip = back_home(days_ago=3)
    page = signed_in(client, staff).get(change_page(trip)).content.decode()
    assert "stage-bar__late" not in page
    assert f"Hạn nộp báo cáo kết quả: {trip.returned_on + dt.timedelta(days=15):%d/%m/%Y}." in page


def test_an_official_sees_the_stage_bar_without_buttons(client, official):
    official.is_staff = True
    official.save()
    trip = back_home()
    page = signed_in(client, official).get(change_page(trip)).content.decode()
    assert "stage-bar__step--current" in page
    assert move_page(trip, Stage.REPORT_RECEIVED) not in page


def test_the_change_form_costs_the_same_queries_however_long_the_history(client, staff):
    trip = planned()
    signed_in(client, staff)
    url = change_page(trip)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for stage in (Stage.IN_PLAN, Stage.PROPOSED, Stage.IN_PLAN, Stage.PROPOSED, Stage.IN_PLAN):
        stages.advance(trip, stage, staff)
    with CaptureQueriesContext(connection) as long:
        assert client.get(url).status_code == 200
    assert len(long) == len(short)


# The move page.


def test_staff_record_the_result_report_with_its_file_and_the_trip_is_then_closed(client, staff):
    trip = back_home(days_ago=20)
    signed_in(client, staff)
    page = client.get(move_page(trip, Stage.REPORT_RECEIVED))
    assert page.status_code == 200
    assert "ngày nhận báo cáo kết quả" in page.content.decode().lower()
    response = client.post(
        move_page(trip, Stage.REPORT_RECEIVED),
        {
            "report_received_on": f"{timezone.localdate():%d/%m/%Y}",
            "report_summary": "Đoàn đã ký biên bản hợp tác.",
            "report_file": SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == change_page(trip)
    trip.refresh_from_db()
    assert (trip.stage, trip.report_received_on, trip.report_summary) == (
        Stage.REPORT_RECEIVED,
        timezone.localdate(),
        "Đoàn đã ký biên bản hợp tác.",
    )
    assert trip.report_file.name.startswith("delegation-files/")
    assert client.post(move_page(trip, Stage.CLOSED)).status_code == 302
    trip.refresh_from_db()
    assert (trip.stage, trip.status) == (Stage.CLOSED, "completed")


def test_an_approver_records_the_sending_decision(client, approver):
    trip = planned()
    response = signed_in(client, approver).post(
        move_page(trip, Stage.DECIDED),
        {
            "decision_ref": "345/QĐ-UBND",
            "decision_date": "20/08/2026",
            "decision_signer": "Chủ tịch UBND tỉnh",
            "decision_file": SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    trip.refresh_from_db()
    assert (trip.stage, trip.status, trip.decision_ref, trip.decision_date) == (
        Stage.DECIDED,
        "approved",
        "345/QĐ-UBND",
        dt.date(2026, 8, 20),
    )


def test_a_decision_dated_after_the_departure_is_refused_on_the_page_in_vietnamese(client, staff):
    trip = planned()
    response = signed_in(client, staff).post(
        move_page(trip, Stage.DECIDED), {"decision_ref": "1/QĐ", "decision_date": "02/09/2026"}
    )
    assert response.status_code == 200
    assert "Quyết định cử đoàn không thể ký sau ngày khởi hành (ngày bắt đầu)." in response.content.decode()
    trip.refresh_from_db()
    assert (trip.stage, trip.decision_date) == (Stage.PROPOSED, None)


def test_a_file_that_is_not_a_pdf_is_refused(client, staff):
    trip = planned()
    response = signed_in(client, staff).post(
        move_page(trip, Stage.DECIDED),
        {
            "decision_ref": "1/QĐ",
            "decision_date": "20/08/2026",
            "decision_file": SimpleUploadedFile("qd.pdf", b"<html>", content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert Delegation.objects.get(pk=trip.pk).stage == Stage.PROPOSED


def test_cancelling_without_a_reason_is_refused_on_the_page(client, staff):
    trip = planned()
    response = signed_in(client, staff).post(move_page(trip, Stage.CANCELLED), {"stage_reason": ""})
    assert response.status_code == 200
    assert Delegation.objects.get(pk=trip.pk).stage == Stage.PROPOSED


def test_a_move_the_chain_does_not_allow_sends_back_to_the_form_with_the_reason(client, staff):
    trip = planned()
    response = signed_in(client, staff).post(move_page(trip, Stage.CLOSED), follow=True)
    assert "không thể chuyển sang" in response.content.decode()
    assert Delegation.objects.get(pk=trip.pk).stage == Stage.PROPOSED


def test_an_official_may_not_open_or_post_the_move_page(client, official):
    official.is_staff = True
    official.save()
    trip = planned()
    signed_in(client, official)
    assert client.get(move_page(trip, Stage.IN_PLAN)).status_code == 403
    assert client.post(move_page(trip, Stage.IN_PLAN)).status_code == 403
    assert Delegation.objects.get(pk=trip.pk).stage == Stage.PROPOSED


def test_a_visitor_is_sent_to_the_login_page(client, db):
    trip = planned()
    response = client.post(move_page(trip, Stage.IN_PLAN))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Delegation.objects.get(pk=trip.pk).stage == Stage.PROPOSED


def test_another_provinces_delegation_is_not_found(client, staff, _an_office):
    OfficeProfile.objects.create(**{**defaults_for(find_province("04")), "province_code": "04"})
    StaffProfile.objects.create(user=staff, province=_an_office)
    theirs = planned(province_id="04")
    assert signed_in(client, staff).post(move_page(theirs, Stage.IN_PLAN)).status_code == 404
    assert Delegation.objects.get(pk=theirs.pk).stage == Stage.PROPOSED


def test_an_unknown_stage_is_not_found(client, staff):
    assert signed_in(client, staff).get(move_page(planned(), "flying")).status_code == 404


# A new delegation, the lists.


def test_a_new_delegation_is_closed_unless_staff_choose_a_stage(client, staff):
    signed_in(client, staff)
    assert client.post(reverse("admin:delegations_delegation_add"), delegation_post()).status_code == 302
    entered = Delegation.objects.get()
    assert (entered.stage, entered.status) == (Stage.CLOSED, "completed")


def test_a_new_delegation_planned_by_staff_starts_proposed_and_its_status_follows(client, staff):
    signed_in(client, staff)
    response = client.post(
        reverse("admin:delegations_delegation_add"),
        delegation_post(direction=Direction.OUTBOUND, title="Đoàn sắp đi", stage=Stage.PROPOSED),
    )
    assert response.status_code == 302
    entered = Delegation.objects.get()
    assert (entered.stage, entered.status) == (Stage.PROPOSED, "planned")


def test_a_new_inbound_delegation_cannot_start_at_an_outbound_stage(client, staff):
    signed_in(client, staff)
    response = client.post(reverse("admin:delegations_delegation_add"), delegation_post(stage=Stage.DECIDED))
    assert response.status_code == 200
    assert "Bước “Đã có quyết định” chỉ dành cho đoàn ra." in response.content.decode()
    assert not Delegation.objects.exists()


def test_the_list_shows_and_filters_by_stage(client, staff):
    back_home()
    planned()
    signed_in(client, staff)
    page = client.get(reverse("admin:delegations_delegation_changelist"), {"stage__exact": Stage.RETURNED})
    text = page.content.decode()
    assert "Đoàn công tác sang Quảng Tây" in text and "Đoàn dự kiến sang Nam Ninh" not in text
    assert "Đã về nước" in text


# The site's page, and the internal papers.


def test_signed_in_users_see_the_stage_and_visitors_the_status(client, official):
    trip = back_home(**PUBLISHED)
    Delegation.objects.filter(pk=trip.pk).update(**PUBLISHED)
    url = trip.get_absolute_url()
    visitor_page = client.get(url).content.decode()
    assert "Đã về nước" not in visitor_page and "12/QĐ-UBND" in visitor_page
    official_page = signed_in(client, official).get(url).content.decode()
    assert "Đã về nước" in official_page


@pytest.fixture
def decided_with_file(staff):
    trip = planned(**PUBLISHED)
    stages.advance(
        trip,
        Stage.DECIDED,
        staff,
        decision_ref="7/QĐ-UBND",
        decision_date=dt.date(2026, 8, 1),
        decision_file=SimpleUploadedFile("qd.pdf", PDF, content_type="application/pdf"),
    )
    Delegation.objects.filter(pk=trip.pk).update(**PUBLISHED)
    trip.refresh_from_db()
    return trip


def test_the_decision_scan_is_served_to_signed_in_readers_only(client, official, decided_with_file):
    url = decided_with_file.decision_file.url
    assert client.get(url).status_code == 404
    assert client.get(decided_with_file.get_absolute_url()).content.decode().count(url) == 0
    signed_in(client, official)
    assert url in client.get(decided_with_file.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
