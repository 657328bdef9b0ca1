"""Bad input through the admin add pages: the page comes back with the error
in words next to what caused it, and nothing at all is saved."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from agreements.models import Agreement, AgreementKind
from delegations.models import Delegation, DelegationMember
from partners.models import LocalUnit, LocalUnitKind, Partner, PartnerKind
from projects.models import Project, ProjectKind, ProjectParticipant, Transaction
from register.publishable import ReviewState
from sources.models import Citation, ReportedFigure, Source
from tests.conftest import english
from tests.test_admin import CITATION_PREFIX, SOURCE_BODY, delegation_post, management_form

pytestmark = pytest.mark.usefixtures("_plain_static_files")


@pytest.fixture
def _plain_static_files(settings):
    # As in test_admin: DEBUG is off and collectstatic has not run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def pingxiang(db):
    return Partner.objects.create(name="Bằng Tường", name_en="Pingxiang", kind=PartnerKind.COUNTY, country="CN")


@pytest.fixture
def province(db):
    return LocalUnit.objects.create(name="UBND tỉnh Lạng Sơn", kind=LocalUnitKind.PROVINCE)


@pytest.fixture
def source(db):
    return Source.objects.create(title="Báo Lạng Sơn", body=SOURCE_BODY)


def post_in_english(client, url, data):
    """Post as a user whose browser asks for English, the source language."""
    return english(client).post(url, data)


def assert_refused(response, message):
    assert response.status_code == 200, "the form was accepted"
    assert 'class="errorlist' in response.text
    assert escape(message) in response.text


def post_delegation(client, **kwargs):
    return post_in_english(client, reverse("admin:delegations_delegation_add"), delegation_post(**kwargs))


def member(name, leader=False):
    row = {"name": name, "order": "0"}
    return {**row, "is_leader": "on"} if leader else row


def test_delegation_ending_before_it_starts_is_refused(staff_client):
    response = post_delegation(staff_client, start_date="2024-04-05", end_date="2024-04-03")
    assert_refused(response, "The end date cannot be before the start date.")
    assert Delegation.objects.count() == 0


def test_delegation_with_negative_size_is_refused(staff_client):
    response = post_delegation(staff_client, size="-3")
    assert_refused(response, "Ensure this value is greater than or equal to 0.")
    assert Delegation.objects.count() == 0


def test_more_members_than_the_delegations_size_is_refused(staff_client):
    # tests/test_person_counts.py: fewer members than the size is fine (the people known by name).
    response = post_delegation(staff_client, size="1", members=[member("Nguyễn Văn A"), member("Trần Thị B")])
    assert_refused(response, "2 persons are named but the number of persons is 1.")
    assert (Delegation.objects.count(), DelegationMember.objects.count()) == (0, 0)


def test_delegation_size_matching_the_member_list_is_saved(staff_client):
    response = post_delegation(staff_client, size="2", members=[member("Nguyễn Văn A"), member("Trần Thị B")])
    assert response.status_code == 302
    assert Delegation.objects.get().size == 2


def test_delegation_with_two_heads_is_refused(staff_client):
    response = post_delegation(
        staff_client, members=[member("Nguyễn Văn A", leader=True), member("Trần Thị B", leader=True)]
    )
    assert_refused(response, "Only one member can be the head of the delegation; 2 are marked.")
    assert (Delegation.objects.count(), DelegationMember.objects.count()) == (0, 0)


def test_citation_whose_excerpt_is_not_in_the_source_is_refused(staff_client, source):
    response = post_delegation(
        staff_client, citations=[{"source": source.pk, "excerpt": "Hai bên ký kết 7 thỏa thuận."}]
    )
    assert_refused(response, "The excerpt must be copied word for word from the source's full text.")
    assert (Delegation.objects.count(), Citation.objects.count()) == (0, 0)


def agreement_post(**fields):
    data = {
        "title": "Biên bản hội đàm",
        "code": "",
        "kind": AgreementKind.MINUTES,
        "regime": "law_70_2020",
        "status": "signed",
        "date_precision": "day",
        "review_state": ReviewState.DRAFT,
        **management_form("updates"),
        **management_form(CITATION_PREFIX),
    }
    data.update(fields)
    return data


def test_agreement_expiring_before_it_is_signed_is_refused(staff_client):
    response = post_in_english(
        staff_client,
        reverse("admin:agreements_agreement_add"),
        agreement_post(signed_on="2024-04-04", expires_on="2024-01-01"),
    )
    assert_refused(response, "The expiry date cannot be before the signing date.")
    assert Agreement.objects.count() == 0


def project_post(participants=(), transactions=(), **fields):
    data = {
        "kind": ProjectKind.ODA,
        "code": "",
        "title": "Dự án phòng chống HIV/AIDS",
        "status": "",
        "date_precision": "day",
        "currency": "VND",
        "review_state": ReviewState.DRAFT,
        **management_form("participants", len(participants)),
        **management_form("transactions", len(transactions)),
        **management_form(CITATION_PREFIX),
    }
    data.update(fields)
    for prefix, rows in (("participants", participants), ("transactions", transactions)):
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    return data


def post_project(client, **kwargs):
    return post_in_english(client, reverse("admin:projects_project_add"), project_post(**kwargs))


CHOOSE_ONE = "Choose either a partner or a local unit, not both and not neither."


def test_participant_that_is_both_a_partner_and_a_unit_is_refused(staff_client, pingxiang, province):
    response = post_project(
        staff_client, participants=[{"role": "1", "partner": pingxiang.pk, "local_unit": province.pk}]
    )
    assert_refused(response, CHOOSE_ONE)
    # Said once, in words, not also as the database constraint's name.
    assert response.text.count(escape(CHOOSE_ONE)) == 1
    assert "participant_exactly_one_party" not in response.text
    assert (Project.objects.count(), ProjectParticipant.objects.count()) == (0, 0)


def test_participant_that_is_neither_a_partner_nor_a_unit_is_refused(staff_client):
    response = post_project(staff_client, participants=[{"role": "4"}])
    assert_refused(response, CHOOSE_ONE)
    assert "participant_exactly_one_party" not in response.text
    assert (Project.objects.count(), ProjectParticipant.objects.count()) == (0, 0)


def test_the_same_partner_twice_in_one_role_is_refused(staff_client, pingxiang):
    row = {"role": "1", "partner": pingxiang.pk}
    response = post_project(staff_client, participants=[row, row])
    assert_refused(response, "Bằng Tường is listed twice in the same role.")
    assert (Project.objects.count(), ProjectParticipant.objects.count()) == (0, 0)


def test_transaction_with_a_negative_amount_is_refused(staff_client):
    response = post_project(
        staff_client,
        transactions=[
            {"kind": "disbursement", "date": "2010-12-31", "date_precision": "day", "amount": "-5", "currency": "VND"}
        ],
    )
    assert_refused(response, "The amount cannot be negative.")
    assert (Project.objects.count(), Transaction.objects.count()) == (0, 0)


def test_a_second_project_with_the_same_code_is_refused(staff_client):
    Project.objects.create(kind=ProjectKind.ODA, code="WB-HIV", title="Dự án cũ")
    response = post_project(staff_client, code="WB-HIV")
    assert_refused(response, "already")
    assert 'id="id_code_error"' in response.text  # said next to the code, in words
    assert "project_code_unique" not in response.text
    assert list(Project.objects.values_list("title", flat=True)) == ["Dự án cũ"]


def test_projects_without_a_code_do_not_clash(staff_client):
    Project.objects.create(kind=ProjectKind.ODA, title="Dự án cũ")
    response = post_project(staff_client)
    assert response.status_code == 302
    assert Project.objects.count() == 2


def test_reported_figure_on_a_new_source_must_quote_its_text(staff_client, province):
    data = {
        "kind": "article",
        "title": "Báo Lạng Sơn",
        "body": SOURCE_BODY,
        **management_form("reported_figures", 1),
        "reported_figures-0-indicator": "inbound_delegations",
        "reported_figures-0-qualifier": "exact",
        "reported_figures-0-value": "1",
        "reported_figures-0-unit": "count",
        "reported_figures-0-period_end": "2024-04-05",
        "reported_figures-0-period_precision": "day",
        "reported_figures-0-scope": province.pk,
        "reported_figures-0-excerpt": "Đón 165 đoàn vào.",
    }
    response = post_in_english(staff_client, reverse("admin:sources_source_add"), data)
    assert_refused(response, "The excerpt must be copied word for word from the source's full text.")
    assert (Source.objects.count(), ReportedFigure.objects.count()) == (0, 0)


def test_correcting_a_source_may_not_drop_a_quoted_excerpt(staff_client, source, pingxiang):
    Citation.objects.create(content_object=pingxiang, source=source, excerpt="thành phố Bằng Tường")
    data = {
        "kind": "article",
        "title": source.title,
        "body": "Một văn bản khác.",
        **management_form("reported_figures"),
    }
    response = post_in_english(staff_client, reverse("admin:sources_source_change", args=[source.pk]), data)
    assert_refused(response, "1 excerpt quoted from this source is no longer in the full text: “thành phố Bằng Tường”.")
    source.refresh_from_db()
    assert source.body == SOURCE_BODY


def test_partner_cannot_belong_to_its_own_part(staff_client, pingxiang):
    town = Partner.objects.create(name="Hữu Nghị Quan", kind=PartnerKind.TOWN, parent=pingxiang)
    data = {
        "name": pingxiang.name,
        "kind": pingxiang.kind,
        "country": "CN",
        "parent": town.pk,
        **management_form(CITATION_PREFIX),
    }
    response = post_in_english(staff_client, reverse("admin:partners_partner_change", args=[pingxiang.pk]), data)
    assert_refused(response, "A partner cannot belong to itself or to one of its own parts.")
    pingxiang.refresh_from_db()
    assert pingxiang.parent is None


def test_a_local_unit_code_is_unique_when_given(staff_client, province):
    LocalUnit.objects.filter(pk=province.pk).update(code="20")
    data = {"name": "Tỉnh khác", "kind": LocalUnitKind.PROVINCE, "code": "20", **management_form(CITATION_PREFIX)}
    response = post_in_english(staff_client, reverse("admin:partners_localunit_add"), data)
    assert_refused(response, "already")
    assert 'id="id_code_error"' in response.text
    assert "localunit_code_unique" not in response.text
    assert LocalUnit.objects.count() == 1


def test_bad_input_is_refused_on_the_vietnamese_page_too(staff_client):
    # Vietnamese is the default; the wrapped messages read in English until the catalogue exists.
    response = staff_client.post(
        reverse("admin:delegations_delegation_add"), delegation_post(start_date="2024-04-05", end_date="2024-04-03")
    )
    assert response.status_code == 200
    assert '<html lang="vi"' in response.text
    assert 'class="errorlist' in response.text
    assert Delegation.objects.count() == 0
