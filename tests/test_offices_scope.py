"""Offices one per province (issue 16, step 2): two offices in one database,
the province a user works for (offices.scope.office_of), each province's
profile cached on its own (offices.profile.profile_for), and the province on
the user's admin page."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localtime

from offices import services
from offices.models import OfficeProfile, StaffProfile
from offices.profile import current_profile, neutral_profile, only_office, profile_for
from offices.scope import is_national, office_of
from partners.models import LocalUnit
from tests.conftest import make_user

# Each test starts from a database without an office, as a fresh install does.
pytestmark = pytest.mark.no_office

ADD = reverse("admin:offices_officeprofile_add")
LIST = reverse("admin:offices_officeprofile_changelist")


def office(code):
    profile = OfficeProfile(**services.defaults_for(services.find_province(code)))
    profile.full_clean()
    profile.save()
    return profile


@pytest.fixture
def lang_son(db):
    return office("20")


@pytest.fixture
def cao_bang(db):
    return office("04")


@pytest.fixture
def two_offices(lang_son, cao_bang):
    return {"20": lang_son, "04": cao_bang}


def staff_of(username, profile):
    user = make_user(username, "staff", is_staff=True)
    StaffProfile.objects.create(user=user, province=profile)
    return user


def test_each_staff_member_works_for_their_provinces_office(two_offices):
    clerk_20 = staff_of("lan", two_offices["20"])
    clerk_04 = staff_of("bang", two_offices["04"])
    assert office_of(clerk_20) == two_offices["20"]
    assert office_of(clerk_04) == two_offices["04"]
    assert not is_national(clerk_20)
    # The column holds the province's code, as every record's will.
    assert StaffProfile.objects.get(user=clerk_04).province_id == "04"


def test_national_users_work_for_every_province(two_offices):
    ministry = make_user("bo", "national", is_staff=True)
    root = make_user("root", is_staff=True, is_superuser=True)
    # A national user with a province in their profile still reads every province.
    StaffProfile.objects.create(user=ministry, province=two_offices["04"])
    for user in (ministry, root):
        assert is_national(user)
        assert office_of(user) is None


def test_the_national_role_reads_as_an_official_does(db):
    ministry = make_user("bo", "national", is_staff=True)
    assert ministry.has_perm("delegations.view_delegation")
    assert not ministry.has_perm("delegations.change_delegation")


def test_without_a_profile_a_user_works_for_the_only_office(lang_son):
    user = make_user("khach", "official")
    assert office_of(user) == lang_son
    assert office_of(AnonymousUser()) == lang_son
    # A profile that names no province (a unit limit only) too.
    StaffProfile.objects.create(user=user)
    assert office_of(user) == lang_son


def test_without_a_profile_a_user_of_a_two_office_database_works_for_none(two_offices):
    assert office_of(make_user("khach", "official")) is None
    assert office_of(AnonymousUser()) is None
    # No office speaks for both: the pages show the neutral names, not one province's.
    assert only_office() is None
    assert current_profile().office_name == neutral_profile().office_name


def test_on_an_empty_database_no_one_has_an_office(db):
    assert office_of(make_user("khach", "official")) is None
    assert profile_for("04") is None


def test_each_provinces_profile_is_cached_and_forgotten_when_saved(two_offices):
    assert profile_for("04") == two_offices["04"]
    with CaptureQueriesContext(connection) as queries:
        assert profile_for("04").office_name == "Sở Ngoại vụ tỉnh Cao Bằng"
        assert profile_for("20").province_code == "20"  # its own key: one query
        assert profile_for("20").province_code == "20"
    assert len(queries) == 1

    two_offices["04"].office_name = "Văn phòng UBND tỉnh Cao Bằng"
    two_offices["04"].save()
    assert profile_for("04").office_name == "Văn phòng UBND tỉnh Cao Bằng"
    assert profile_for("01") is None  # Hà Nội has no office here
    two_offices["04"].delete()
    assert profile_for("04") is None
    assert only_office() == two_offices["20"]  # one office left: it is the install's


def test_an_office_with_users_cannot_be_deleted(two_offices):
    staff_of("bang", two_offices["04"])
    with pytest.raises(ProtectedError):
        two_offices["04"].delete()


# --- the admin ------------------------------------------------------------------------------------------------------


def user_post(user, province="", unit=""):
    return {
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
        "staff_profile-INITIAL_FORMS": "0",
        "staff_profile-MIN_NUM_FORMS": "0",
        "staff_profile-MAX_NUM_FORMS": "1",
        "staff_profile-0-province": province,
        "staff_profile-0-unit": unit,
        "staff_profile-0-user": user.pk,
    }


def test_an_administrator_sets_a_users_province_on_the_user_page(client, two_offices, staff):
    client.force_login(make_user("quantri", "administrator", is_staff=True))
    page = reverse("admin:auth_user_change", args=[staff.pk])
    html = client.get(page).text
    assert "Tỉnh, thành phố" in html
    assert '<option value="04">Sở Ngoại vụ tỉnh Cao Bằng</option>' in html  # by its code, as the column holds it

    response = client.post(page, user_post(staff, province="04"))
    assert response.status_code == 302, response.context and response.context["inline_admin_formsets"]
    assert office_of(StaffProfile.objects.get(user=staff).user) == two_offices["04"]
    assert "Cao Bằng" in client.get(reverse("admin:auth_user_changelist")).text


def test_staff_never_see_nor_set_their_province(client, two_offices, staff):
    client.force_login(staff)
    page = reverse("admin:auth_user_change", args=[staff.pk])
    assert client.get(page).status_code == 403
    assert client.post(page, user_post(staff, province="20")).status_code == 403
    assert not StaffProfile.objects.exists()


def test_a_national_user_adds_another_provinces_office_with_its_local_units(client, lang_son):
    administrator = make_user("quantri", "administrator", is_staff=True)
    client.force_login(administrator)
    assert client.get(ADD).status_code == 403  # a province's administrator adds no other province

    administrator.groups.add(*make_user("bo", "national").groups.all())
    client.force_login(administrator)
    response = client.post(ADD, {"province_code": "04", "iati_org_type": "11"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(OfficeProfile.objects.values_list("province_code", flat=True)) == ["04", "20"]
    assert LocalUnit.objects.filter(parent__code="04").count() == 56
    # Two offices: the list lists them.
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert "Sở Ngoại vụ tỉnh Cao Bằng" in listing.text and "Sở Ngoại vụ tỉnh Lạng Sơn" in listing.text
