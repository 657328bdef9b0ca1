"""A staff member's unit limit: an administrator sets it on the user's admin
page (staff and approvers never see or set it), and it limits approvers as it
limits staff: an approver of Cao Lộc approves Cao Lộc's records only, on the
review page, in a list action and through review.apply() alike."""

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from delegations.models import Delegation, Direction
from offices.models import StaffProfile
from partners.models import LocalUnit, LocalUnitKind
from register import review
from register.models import ReviewTransition
from register.publishable import ReviewState
from tests.conftest import cite, make_user


@pytest.fixture
def units(db):
    province = LocalUnit.objects.create(name="Tỉnh Lạng Sơn", kind=LocalUnitKind.PROVINCE)
    return {
        "cao_loc": LocalUnit.objects.create(name="Huyện Cao Lộc", kind=LocalUnitKind.DISTRICT, parent=province),
        "loc_binh": LocalUnit.objects.create(name="Huyện Lộc Bình", kind=LocalUnitKind.DISTRICT, parent=province),
    }


@pytest.fixture
def administrator(db):
    return make_user("quantri", "administrator", is_staff=True)


def user_page(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def user_post(user, unit=None, profile_exists=False):
    """The user's admin form as the page sends it back, with the unit limit."""
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "groups": [group.pk for group in user.groups.all()],
        "date_joined_0": localtime(user.date_joined).strftime("%d/%m/%Y"),
        "date_joined_1": localtime(user.date_joined).strftime("%H:%M:%S"),
        "staff_profile-TOTAL_FORMS": "1",
        "staff_profile-INITIAL_FORMS": "1" if profile_exists else "0",
        "staff_profile-MIN_NUM_FORMS": "0",
        "staff_profile-MAX_NUM_FORMS": "1",
        "staff_profile-0-unit": unit.pk if unit else "",
        "staff_profile-0-user": user.pk,
    }
    if profile_exists:
        data["staff_profile-0-id"] = user.staff_profile.pk
    return data


def test_an_administrator_sets_and_lifts_a_staff_members_unit_limit_on_the_user_page(
    client, administrator, staff, units
):
    client.force_login(administrator)
    page = client.get(user_page(staff))
    assert page.status_code == 200
    assert "Giới hạn đơn vị" in page.text and "Chỉ làm việc với đơn vị" in page.text
    assert "Để trống: mọi đơn vị." in page.text  # the help text, in Vietnamese
    # The unit is picked by typing its name (thousands of communes nationwide).
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "offices", "model_name": "staffprofile", "field_name": "unit", "term": "cao"},
    )
    assert [row["text"] for row in found.json()["results"]] == ["Huyện Cao Lộc"]

    response = client.post(user_page(staff), user_post(staff, units["cao_loc"]))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert StaffProfile.objects.get(user=staff).unit == units["cao_loc"]
    listing = client.get(reverse("admin:auth_user_changelist"))
    assert "Huyện Cao Lộc" in listing.text  # the list says who is limited to what

    staff.refresh_from_db()
    response = client.post(user_page(staff), user_post(staff, None, profile_exists=True))
    assert response.status_code == 302
    assert StaffProfile.objects.get(user=staff).unit is None  # blank: every unit again


def test_staff_and_approvers_cannot_set_their_own_unit_limit(client, staff, approver, units):
    for user in (staff, approver):
        client.force_login(user)
        assert client.get(user_page(user)).status_code == 403
        assert client.post(user_page(user), user_post(user, None)).status_code == 403
    assert not StaffProfile.objects.exists()


@pytest.fixture
def submitted(units):
    """A submitted delegation of each district, both citing their source."""
    records = {
        key: Delegation.objects.create(
            direction=Direction.INBOUND,
            title=f"Đoàn của {unit.name}",
            host_unit=unit,
            review_state=ReviewState.SUBMITTED,
        )
        for key, unit in units.items()
    }
    cite(*records.values())
    return records


def state(record):
    record.refresh_from_db()
    return record.review_state


def test_an_approver_limited_to_a_unit_cannot_approve_another_units_record(client, approver, units, submitted):
    StaffProfile.objects.create(user=approver, unit=units["cao_loc"])
    other, own = submitted["loc_binh"], submitted["cao_loc"]
    client.force_login(approver)

    listing = client.get(reverse("admin:delegations_delegation_changelist"))
    assert own.title in listing.text and other.title not in listing.text
    review_page = reverse("admin:delegations_delegation_review", args=[other.pk])
    assert client.post(review_page, {"action": "approve"}).status_code == 403
    changelist = reverse("admin:delegations_delegation_changelist")
    client.post(changelist, {"action": "approve_and_publish", "_selected_action": [other.pk, own.pk]})
    assert state(other) == ReviewState.SUBMITTED
    assert state(own) == ReviewState.APPROVED  # their own unit's record, approved as before

    # Whatever path calls the workflow (imports, a script), the rule holds.
    fresh = type(approver).objects.get(pk=approver.pk)
    with pytest.raises(review.ReviewError, match="thuộc đơn vị khác"):
        review.apply(other, "approve", fresh)
    assert state(other) == ReviewState.SUBMITTED
    assert not ReviewTransition.objects.filter(object_id=other.pk).exists()


def test_an_approver_without_a_unit_limit_approves_every_unit(client, approver, submitted):
    client.force_login(approver)
    changelist = reverse("admin:delegations_delegation_changelist")
    client.post(changelist, {"action": "approve", "_selected_action": [r.pk for r in submitted.values()]})
    assert {state(record) for record in submitted.values()} == {ReviewState.APPROVED}
