"""International conferences and seminars as a record kind (issue 19, item 5):
the rules the database keeps and the admin explains in Vietnamese, the
deadlines of Decision 06/2020/QĐ-TTg, who sees which conference on the list and
its page, the exports, and what the pages cost in queries."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from conferences.models import Authority, Conference, ConferenceKind, Consultation
from offices import services
from offices.models import OfficeProfile, StaffProfile
from partners.models import LocalUnit, LocalUnitKind, Partner, PartnerKind
from register.publishable import ReviewState
from tests.conftest import PUBLISHED, cite, make_user, readable_text

CITATION_PREFIX = "sources-citation-content_type-object_id"
OPENING = dt.date(2026, 10, 20)


def conference(title="Hội thảo quốc tế về thương mại biên giới", **fields):
    values = {"kind": ConferenceKind.SEMINAR, "start_date": OPENING, "end_date": OPENING + dt.timedelta(days=1)}
    return Conference.objects.create(title=title, **{**values, **fields})


def management_form(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def conference_post(**fields):
    """A complete POST for the conference add page, with no consultation and no citation."""
    return {
        "title": "Hội nghị xúc tiến đầu tư quốc tế",
        "kind": ConferenceKind.CONFERENCE,
        "status": "planned",
        "start_date": "2026-10-20",
        "end_date": "2026-10-21",
        **management_form("consultations"),
        **management_form(CITATION_PREFIX),
        **fields,
    }


# The rules, in the database ------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"end_date": OPENING - dt.timedelta(days=1)}, "conference_end_not_before_start"),
        ({"total_participants": 10, "foreign_participants": 11}, "conference_foreign_within_total"),
        ({"application_date": OPENING + dt.timedelta(days=1)}, "conference_application_before_opening"),
        ({"decision_date": OPENING + dt.timedelta(days=1)}, "conference_decision_before_opening"),
        (
            {"application_date": dt.date(2026, 9, 1), "decision_date": dt.date(2026, 8, 1)},
            "conference_decision_after_application",
        ),
        ({"report_date": OPENING}, "conference_report_after_event"),
        ({"kind": "banquet"}, "conference_kind_valid"),
        ({"authority": "king"}, "conference_authority_valid"),
        ({"is_public": True, "review_state": ReviewState.DRAFT}, "conference_public_only_when_approved"),
    ],
)
def test_the_database_refuses_a_conference_that_breaks_a_rule(db, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        conference(**fields)
    assert not Conference.objects.exists()


def test_the_database_refuses_an_answer_before_the_question(db):
    seminar = conference()
    with pytest.raises(IntegrityError, match="consultation_answer_after_question"), transaction.atomic():
        Consultation.objects.create(
            conference=seminar, agency="Bộ Ngoại giao", asked_on=dt.date(2026, 9, 10), answered_on=dt.date(2026, 9, 9)
        )


def test_a_report_on_the_closing_day_is_accepted(db):
    assert conference(report_date=OPENING + dt.timedelta(days=1)).pk


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"end_date": OPENING - dt.timedelta(days=1)}, "end_date", "Ngày bế mạc không thể trước ngày khai mạc."),
        (
            {"total_participants": 10, "foreign_participants": 11},
            "foreign_participants",
            "Số đại biểu nước ngoài không thể nhiều hơn tổng số đại biểu.",
        ),
        ({"report_date": OPENING}, "report_date", "Không thể gửi báo cáo trước khi sự kiện kết thúc."),
        (
            {"decision_date": OPENING + dt.timedelta(days=3)},
            "decision_date",
            "Quyết định cho phép tổ chức không thể đề ngày sau ngày khai mạc.",
        ),
    ],
)
def test_the_form_rules_are_said_in_vietnamese(db, fields, field, message):
    record = Conference(
        title="Hội thảo", kind=ConferenceKind.SEMINAR, start_date=OPENING, end_date=OPENING + dt.timedelta(days=1)
    )
    for name, value in fields.items():
        setattr(record, name, value)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert message in error.value.message_dict[field]


def test_staff_entering_a_closing_date_before_the_opening_gets_a_vietnamese_error_and_nothing_is_saved(staff_client):
    response = staff_client.post(reverse("admin:conferences_conference_add"), conference_post(end_date="2026-10-19"))
    assert response.status_code == 200
    assert "Ngày bế mạc không thể trước ngày khai mạc." in response.text
    assert not Conference.objects.exists()


def test_staff_enters_a_conference_with_a_consultation_on_one_screen(staff_client):
    data = conference_post(
        **{
            **management_form("consultations", 1),
            "consultations-0-agency": "Bộ Ngoại giao",
            "consultations-0-asked_on": "2026-09-01",
        }
    )
    response = staff_client.post(reverse("admin:conferences_conference_add"), data)
    assert response.status_code == 302, response.text[:2000]
    saved = Conference.objects.get()
    assert saved.review_state == ReviewState.DRAFT
    assert saved.consultations.get().agency == "Bộ Ngoại giao"


def test_staff_entering_an_answer_before_the_question_gets_a_vietnamese_error(staff_client):
    data = conference_post(
        **{
            **management_form("consultations", 1),
            "consultations-0-agency": "Bộ Công an",
            "consultations-0-asked_on": "2026-09-10",
            "consultations-0-answered_on": "2026-09-01",
        }
    )
    response = staff_client.post(reverse("admin:conferences_conference_add"), data)
    assert response.status_code == 200
    assert "Ngày trả lời không thể trước ngày hỏi ý kiến." in response.text
    assert not Conference.objects.exists() and not Consultation.objects.exists()


# The deadlines of Decision 06/2020/QĐ-TTg -----------------------------------


def test_the_application_is_due_30_days_before_the_opening(db):
    assert conference(authority=Authority.PROVINCIAL_CHAIRMAN).application_deadline == dt.date(2026, 9, 20)


def test_the_application_is_due_40_days_before_the_opening_when_the_prime_minister_decides(db):
    assert conference(authority=Authority.PRIME_MINISTER).application_deadline == dt.date(2026, 9, 10)


def test_the_deadlines_follow_the_settings(db, settings):
    settings.CONFERENCE_APPLICATION_DAYS = 45
    settings.CONFERENCE_REPORT_DAYS = 10
    seminar = conference(authority=Authority.PROVINCIAL_CHAIRMAN)
    assert seminar.application_deadline == dt.date(2026, 9, 5)
    assert seminar.report_deadline == dt.date(2026, 10, 31)


def test_a_conference_without_an_opening_date_has_no_deadline(db):
    assert conference(start_date=None, end_date=None).application_deadline is None


def test_an_application_sent_after_its_deadline_is_late(db):
    assert conference(application_date=dt.date(2026, 9, 25)).application_late
    assert not conference(application_date=dt.date(2026, 9, 20)).application_late


def test_a_consultation_is_answered_within_15_days(db):
    asked = Consultation.objects.create(conference=conference(), agency="Bộ Ngoại giao", asked_on=dt.date(2026, 9, 1))
    assert asked.answer_deadline == dt.date(2026, 9, 16)


# Who sees what ---------------------------------------------------------------


@pytest.fixture
def conferences(db):
    internal = conference("Hội nghị nội bộ chưa công bố", review_state=ReviewState.APPROVED)
    published = conference("Diễn đàn hợp tác kinh tế biên giới", kind=ConferenceKind.FORUM, **PUBLISHED)
    return {"internal": internal, "published": published}


def listed(client, **params):
    response = client.get(reverse("conferences:list"), params)
    assert response.status_code == 200
    return {c.title for c in response.context["page_obj"].object_list}


def test_a_visitor_sees_only_published_conferences(client, conferences):
    assert listed(client) == {"Diễn đàn hợp tác kinh tế biên giới"}
    assert client.get(conferences["published"].get_absolute_url()).status_code == 200


def test_a_visitor_gets_404_for_an_unpublished_conference(client, conferences):
    assert client.get(conferences["internal"].get_absolute_url()).status_code == 404


def test_an_official_sees_the_internal_conference_marked_internal(official_client, conferences):
    assert listed(official_client) == {"Hội nghị nội bộ chưa công bố", "Diễn đàn hợp tác kinh tế biên giới"}
    page = official_client.get(conferences["internal"].get_absolute_url())
    assert page.status_code == 200
    assert "Nội bộ" in page.text


def test_the_list_filters_by_kind_and_year(official_client, conferences):
    assert listed(official_client, kind=ConferenceKind.FORUM) == {"Diễn đàn hợp tác kinh tế biên giới"}
    assert listed(official_client, year=2025) == set()
    assert len(listed(official_client, year=2026)) == 2


def test_the_list_filters_by_partner(official_client, conferences):
    korea = Partner.objects.create(name="Hàn Quốc", kind=PartnerKind.COUNTRY, country="KR", **PUBLISHED)
    conferences["internal"].partners.add(korea)
    assert listed(official_client, partner=korea.pk) == {"Hội nghị nội bộ chưa công bố"}


@pytest.fixture
def other_province(db):
    profile = OfficeProfile(**services.defaults_for(services.find_province("04")))
    profile.full_clean()
    profile.save()
    return conference("Hội thảo của tỉnh khác", province_id="04", review_state=ReviewState.APPROVED)


def signed_in(username, group, code=None):
    user = make_user(username, group)
    if code:
        StaffProfile.objects.create(user=user, province_id=code)
    client = Client()
    client.force_login(user)
    return client


def test_an_official_does_not_see_another_provinces_internal_conference(conferences, other_province):
    official = signed_in("official20", "official", "20")
    assert "Hội thảo của tỉnh khác" not in listed(official)
    assert official.get(other_province.get_absolute_url()).status_code == 404


def test_a_national_user_reads_every_provinces_conferences(conferences, other_province):
    national = signed_in("ministry", "national")
    assert "Hội thảo của tỉnh khác" in listed(national)
    assert national.get(other_province.get_absolute_url()).status_code == 200


def test_consultations_are_shown_to_signed_in_users_only(client, official_client, conferences):
    published = conferences["published"]
    Consultation.objects.create(conference=published, agency="Bộ Công an", asked_on=dt.date(2026, 9, 1))
    assert "Bộ Công an" in official_client.get(published.get_absolute_url()).text
    assert "Bộ Công an" not in client.get(published.get_absolute_url()).text


def test_the_detail_page_shows_the_application_deadline_and_the_citation(official_client, conferences):
    seminar = conferences["internal"]
    seminar.authority = Authority.PRIME_MINISTER
    seminar.save()
    cite(seminar, excerpt="Hội nghị có 40 đại biểu nước ngoài.")
    page = official_client.get(seminar.get_absolute_url()).text
    assert "10/09/2026" in page
    assert "Hội nghị có 40 đại biểu nước ngoài." in page


def test_the_export_holds_the_visitors_rows_only(client, conferences):
    response = client.get(reverse("conferences:export_csv"))
    assert response.status_code == 200
    text = readable_text(response)
    assert "Diễn đàn hợp tác kinh tế biên giới" in text
    assert "Hội nghị nội bộ chưa công bố" not in text


def test_the_xlsx_export_opens(official_client, conferences):
    response = official_client.get(reverse("conferences:export_xlsx"))
    assert response.status_code == 200
    assert "Hội nghị nội bộ chưa công bố" in readable_text(response)


def test_an_official_cannot_open_the_conference_admin(official_client, conferences):
    response = official_client.get(reverse("admin:conferences_conference_changelist"))
    assert response.status_code == 302  # not staff: to the login page
    assert "/admin/login/" in response.url


def test_staff_may_add_but_not_delete_a_conference(staff, approver):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(pk=staff.pk)
    assert staff.has_perm("conferences.add_conference") and staff.has_perm("conferences.change_conference")
    assert not staff.has_perm("conferences.delete_conference")
    assert get_user_model().objects.get(pk=approver.pk).has_perm("conferences.delete_conference")


# What the pages cost ----------------------------------------------------------


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_costs_the_same_queries_whatever_the_number_of_rows(official_client, django_assert_num_queries, count):
    unit = LocalUnit.objects.create(name="Sở Ngoại vụ", kind=LocalUnitKind.DEPARTMENT, **PUBLISHED)
    korea = Partner.objects.create(name="Hàn Quốc", kind=PartnerKind.COUNTRY, country="KR", **PUBLISHED)
    for i in range(count):
        conference(f"Hội thảo {i}", organiser=unit).partners.add(korea)
    official_client.get(reverse("conferences:list"))  # the session, the user and their permissions read once
    # 1 the session; 2 the user; 3 the partner countries of the filter; 4 the count; 5 the
    # page's rows with their organiser; 6 their partners; 7 the partner picker; 8 the unit picker.
    with django_assert_num_queries(8):
        response = official_client.get(reverse("conferences:list"))
    assert len(response.context["page_obj"].object_list) == count


def test_the_detail_page_costs_a_fixed_number_of_queries(official_client, django_assert_num_queries):
    unit = LocalUnit.objects.create(name="Sở Ngoại vụ", kind=LocalUnitKind.DEPARTMENT, **PUBLISHED)
    seminar = conference(organiser=unit)
    seminar.partners.add(Partner.objects.create(name="Hàn Quốc", kind=PartnerKind.COUNTRY, **PUBLISHED))
    Consultation.objects.create(conference=seminar, agency="Bộ Ngoại giao", asked_on=dt.date(2026, 9, 1))
    cite(seminar)
    official_client.get(seminar.get_absolute_url())
    # 1 the session; 2 the user; 3 the conference with its organiser; 4 its partners; 5 its
    # consultations; 6 its citations with their sources; 7 its history with who made each
    # change; 8 the units the history names.
    with django_assert_num_queries(8):
        response = official_client.get(seminar.get_absolute_url())
    assert response.status_code == 200


# Review ------------------------------------------------------------------------------


def test_a_conference_goes_through_review_before_a_visitor_sees_it(client, staff, approver):
    from django.contrib.auth import get_user_model

    from register import review
    from register.models import ReviewAction

    staff, approver = (get_user_model().objects.get(pk=u.pk) for u in (staff, approver))
    seminar = conference()
    review.apply(seminar, ReviewAction.SUBMIT, staff)
    with pytest.raises(review.ReviewError):
        review.apply(seminar, ReviewAction.APPROVE, approver)  # no source cited yet
    cite(seminar)
    review.apply(seminar, ReviewAction.APPROVE, approver)
    assert client.get(seminar.get_absolute_url()).status_code == 404
    review.apply(seminar, ReviewAction.PUBLISH, approver)
    assert client.get(seminar.get_absolute_url()).status_code == 200


def test_staff_cannot_approve_a_conference(staff):
    from django.contrib.auth import get_user_model

    from register import review
    from register.models import ReviewAction

    staff = get_user_model().objects.get(pk=staff.pk)
    seminar = conference(review_state=ReviewState.SUBMITTED)
    cite(seminar)
    with pytest.raises(review.ReviewError):
        review.apply(seminar, ReviewAction.APPROVE, staff)
    seminar.refresh_from_db()
    assert seminar.review_state == ReviewState.SUBMITTED


def test_the_approvers_admin_index_lists_the_conferences_waiting(client, approver):
    conference(review_state=ReviewState.SUBMITTED)
    client.force_login(approver)
    page = client.get(reverse("admin:index")).text
    assert f"{reverse('admin:conferences_conference_changelist')}?review_state__exact=submitted" in page
