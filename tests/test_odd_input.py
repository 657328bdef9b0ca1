"""Odd input gets words, never a 500: a list cursor holding a NUL byte, an admin
filter value with one, a lookup the admin's filters never write (``__regex``
above all), an autocomplete term with a NUL, garbage in the public filters and
search. PostgreSQL refuses a NUL byte in a query, where SQLite lets it through:
run this file on both (DATABASE_URL=postgres://…)."""

import base64
import json

import pytest
from django.test import RequestFactory

from common.admin_lookups import filter_parameters
from delegations.admin import DelegationAdmin
from delegations.models import Delegation
from tests.conftest import make_user


def cursor(values):
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


NUL_CURSOR = cursor(["a\u0000b", "1"])
assert NUL_CURSOR == "WyJhXHUwMDAwYiIsICIxIl0"  # the one the attack run sent

DAMAGED = "Liên kết tới trang này bị hỏng"
REFUSED = "Không thể lọc danh sách này theo"


@pytest.mark.parametrize(
    "path",
    [
        "/delegations/?sort=title",
        "/agreements/?sort=title",
        "/projects/?sort=title",
        "/partners/?sort=name",
        "/partners/",
    ],
)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_cursor_holding_a_nul_byte_shows_the_first_page_with_a_message(client, seeded, path, direction):
    joiner = "&" if "?" in path else "?"
    response = client.get(f"{path}{joiner}{direction}={NUL_CURSOR}")
    assert response.status_code == 200
    assert DAMAGED in response.text


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=a%00b&kind=delegations",
        "q=%00&kind=partners",
    ],
)
def test_a_search_for_a_nul_byte_answers_in_words(client, seeded, query):
    response = client.get(f"/search/?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/delegations/?q=%00",
        "/delegations/?partner=%00",
        "/delegations/?host_unit=%00",
        "/delegations/?year=%00",
        "/delegations/?start=%00&end=99/99/9999",
        "/delegations/?start=01/01/0001&end=31/12/9999",
        "/delegations/?year=99999999999999999999999",
        "/delegations/?page=%00&sort=%00",
        "/agreements/?q=%00&partner=%00",
        "/projects/?q=%00&partner=%00",
        "/partners/?q=%00&country=%00&kind=%00&parent=%00",
        "/reports/period/?start=%00&end=%00",
        "/reports/period/?start=01/01/0001&end=31/12/9999",
        "/reports/period/?year=%00&preset=%00",
        "/delegations/export.csv?q=%00&start=01/01/0001",
        "/projects/iati.xml?q=%00",
    ],
)
def test_garbage_in_the_public_filters_never_gives_a_server_error(client, seeded, path):
    assert client.get(path).status_code in {200, 400}


@pytest.fixture
def administrator(db):
    return make_user("root", "administrator", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


CHANGELIST = "/admin/delegations/delegation/"


@pytest.mark.parametrize(
    "query",
    [
        "review_state__exact=%00",
        "title__regex=[]",
        "title__regex=(a%2B)%2B$",
        "title__iregex=.*",
        "title__startswith=%C4%90",
        "review_state__in=draft,submitted",
        "created_by__password__startswith=pbkdf2",
        "q=%00",
    ],
)
def test_the_admin_list_refuses_what_its_filters_do_not_write_and_says_so(admin_client, seeded, query):
    response = admin_client.get(f"{CHANGELIST}?{query}&o=1")
    assert response.status_code == 302
    assert response.url == f"{CHANGELIST}?o=1"
    page = admin_client.get(response.url)
    assert page.status_code == 200
    assert REFUSED in page.text


def test_a_regular_expression_never_reaches_the_database(admin_client, seeded):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        admin_client.get(f"{CHANGELIST}?title__regex=(a%2B)%2B$")
    assert not any("REGEXP" in q["sql"].upper() or "~" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize(
    "query",
    [
        "review_state__exact=draft",
        "is_public__exact=1",
        "start_date_year=2023",
        "mechanism__id__exact=1",
        "q=bang+tuong",
        "o=-1&p=1",
    ],
)
def test_the_admin_list_keeps_what_its_own_filters_write(admin_client, seeded, query):
    response = admin_client.get(f"{CHANGELIST}?{query}")
    assert response.status_code == 200
    assert REFUSED not in response.text


def test_a_date_hierarchy_link_is_kept(admin_client, seeded):
    response = admin_client.get("/admin/sources/source/?published_on__year=2020&published_on__month=3")
    assert response.status_code == 200
    assert REFUSED not in response.text


def test_a_filter_value_that_cannot_be_read_brings_the_list_back_with_a_message(admin_client, seeded):
    response = admin_client.get(f"{CHANGELIST}?mechanism__id__exact=abc", follow=True)
    assert response.status_code == 200
    assert "Không đọc được một bộ lọc trong địa chỉ" in response.text


def test_the_filters_of_the_delegation_list_are_the_only_lookups_allowed(administrator):
    from django.contrib import admin

    request = RequestFactory().get(CHANGELIST)
    request.user = administrator
    model_admin = DelegationAdmin(Delegation, admin.site)
    allowed = filter_parameters(model_admin, request)
    assert "review_state__exact" in allowed and "mechanism__id__exact" in allowed
    assert model_admin.lookup_allowed("review_state__exact", "draft", request)
    assert not model_admin.lookup_allowed("title__regex", "[]", request)
    assert not model_admin.lookup_allowed("review_state__exact", "\x00", request)


@pytest.mark.parametrize("term", ["%00", "a%00", "%00b%00"])
def test_an_autocomplete_term_with_a_nul_byte_finds_nothing_odd(admin_client, seeded, term):
    response = admin_client.get(
        f"/admin/autocomplete/?app_label=delegations&model_name=delegation&field_name=partners&term={term}"
    )
    assert response.status_code == 200
    assert "results" in response.json()


def test_staff_get_the_same_refusal(client, seeded):
    client.force_login(make_user("staff", "staff", is_staff=True))
    response = client.get(f"{CHANGELIST}?title__regex=[]", follow=True)
    assert response.status_code == 200
    assert REFUSED in response.text


def test_the_review_queue_links_on_the_admin_index_are_accepted_by_every_reviewed_list(administrator):
    from django.contrib import admin

    from register.review_admin import ReviewMixin

    request = RequestFactory().get("/admin/")
    request.user = administrator
    reviewed = [model_admin for model_admin in admin.site._registry.values() if isinstance(model_admin, ReviewMixin)]
    assert reviewed
    for model_admin in reviewed:
        assert "review_state__exact" in filter_parameters(model_admin, request), model_admin


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/user/?username__regex=[]",
        "/admin/auth/user/?username__exact=%00",
        "/admin/auth/group/?name__regex=[]",
        "/admin/axes/accessattempt/?username__regex=[]",
        "/admin/axes/accessattempt/?username__exact=%00",
    ],
)
def test_the_admins_of_users_groups_and_sign_in_logs_refuse_the_same(admin_client, url):
    response = admin_client.get(url, follow=True)
    assert response.status_code == 200
    assert REFUSED in response.text


def test_every_admin_of_the_site_takes_only_its_filters_lookups():
    from django.contrib import admin

    from common.admin_lookups import StrictLookupsMixin

    lax = [
        str(model_admin)
        for model_admin in admin.site._registry.values()
        if not isinstance(model_admin, StrictLookupsMixin)
    ]
    assert lax == []
