"""A passport's number is personal data: the passport custodian and the
administrators read it; staff and approvers see the passport (holder, kind,
expiry, out or not) without its number; officials, national users and
visitors do not see passports at all. Every view of a passport's page or
history, and every export, is logged, and only administrators read the log."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from passports.models import Passport, PassportViewLog
from tests.conftest import PASSWORD, readable_text
from tests.passport_helpers import a_loan, a_passport, a_trip, role_user, signed_in

pytestmark = pytest.mark.django_db

NUMBER = "C1234567"
READERS = ["passport custodian", "administrator", "superuser"]
WITHOUT_NUMBER = ["staff", "approver"]
NO_PASSPORTS = ["official", "national"]


@pytest.fixture
def passport(db):
    found = a_passport(holder="Hoàng Thị Cúc", number=NUMBER)
    a_loan(found, a_trip())
    return found


def client_of(role):
    if role == "visitor":
        return signed_in(None)
    if role == "superuser":
        return signed_in(get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD))
    return signed_in(role_user(role))


CHANGELIST = reverse("admin:passports_passport_changelist")
EXPORT = reverse("admin:passports_passport_export")


def change(passport):
    return reverse("admin:passports_passport_change", args=[passport.pk])


def history(passport):
    return reverse("admin:passports_passport_history", args=[passport.pk])


@pytest.mark.parametrize("role", READERS)
def test_the_custodian_and_administrators_read_the_number_in_the_list_the_page_and_the_history(role, passport):
    client = client_of(role)
    passport.number = "C7654321"
    passport.save()
    for url in (CHANGELIST, change(passport), history(passport)):
        response = client.get(url)
        assert response.status_code == 200
        assert "C7654321" in response.text
    assert NUMBER in client.get(history(passport)).text  # the number it had before


@pytest.mark.parametrize("role", WITHOUT_NUMBER)
def test_staff_and_approvers_see_the_passport_but_never_its_number(role, passport):
    client = client_of(role)
    passport.number = "C7654321"
    passport.save()
    for url in (CHANGELIST, change(passport), history(passport)):
        response = client.get(url)
        assert response.status_code == 200
        assert "Hoàng Thị Cúc" in response.text
        assert "C7654321" not in response.text and NUMBER not in response.text
        assert "4567" not in response.text and "4321" not in response.text
    assert "••••••••" in client.get(CHANGELIST).text


@pytest.mark.parametrize("role", WITHOUT_NUMBER)
def test_a_search_by_number_finds_nothing_for_who_may_not_read_it(role, passport):
    response = client_of(role).get(CHANGELIST, {"q": NUMBER})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_the_custodian_finds_a_passport_by_its_number_typed_as_printed(passport):
    response = client_of("passport custodian").get(CHANGELIST, {"q": "c 123 4567"})
    assert list(response.context["cl"].result_list) == [passport]


@pytest.mark.parametrize("role", NO_PASSPORTS)
def test_officials_and_national_users_are_refused_the_passports(role, passport):
    client = client_of(role)
    for url in (CHANGELIST, change(passport), history(passport), EXPORT):
        assert client.get(url).status_code == 403


def test_a_visitor_is_sent_to_sign_in(passport):
    client = client_of("visitor")
    for url in (CHANGELIST, change(passport), EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize("role", WITHOUT_NUMBER)
def test_staff_and_approvers_may_not_change_a_passport_nor_hand_it_out(role, passport):
    client = client_of(role)
    assert client.post(change(passport), {"holder_name": "X"}).status_code == 403
    assert client.get(reverse("admin:passports_passportloan_add")).status_code == 403
    assert Passport.objects.get().holder_name == "Hoàng Thị Cúc"


def test_the_custodians_export_leaves_the_numbers_out_unless_asked(passport):
    client = client_of("passport custodian")
    without = readable_text(client.get(EXPORT, {"download": "1"}))
    assert "Hoàng Thị Cúc" in without and NUMBER not in without
    with_numbers = readable_text(client.get(EXPORT, {"download": "1", "numbers": "1"}))
    assert NUMBER in with_numbers
    assert list(PassportViewLog.objects.order_by("pk").values_list("kind", "rows")) == [
        ("export", 1),
        ("export_numbers", 1),
    ]


@pytest.mark.parametrize("role", WITHOUT_NUMBER)
def test_an_export_asked_with_numbers_by_staff_holds_none(role, passport):
    client = client_of(role)
    assert "Include passport numbers" not in client.get(EXPORT).text
    assert "Kèm số hộ chiếu" not in client.get(EXPORT).text
    text = readable_text(client.get(EXPORT, {"download": "1", "numbers": "1"}))
    assert "Hoàng Thị Cúc" in text and NUMBER not in text
    assert PassportViewLog.objects.get().kind == "export"


def test_each_view_of_a_passports_page_and_history_is_logged_with_who_and_from_where(passport):
    client = client_of("staff")
    client.get(change(passport))
    client.get(change(passport), REMOTE_ADDR="10.1.2.3")
    client.get(history(passport))
    client.get(CHANGELIST)  # the list names no one passport: not logged
    rows = list(PassportViewLog.objects.order_by("pk").values_list("username", "kind", "passport", "address"))
    assert rows == [
        ("staff", "page", passport.pk, "127.0.0.1"),
        ("staff", "page", passport.pk, "10.1.2.3"),
        ("staff", "history", passport.pk, "127.0.0.1"),
    ]
    assert NUMBER not in str(PassportViewLog.objects.first())


def test_a_refused_view_is_not_logged_as_seen(passport):
    client_of("official").get(change(passport))
    assert not PassportViewLog.objects.exists()


def test_only_administrators_read_the_view_log_and_nobody_writes_it(passport):
    clients = {role: client_of(role) for role in ["passport custodian", "staff", "approver", "official"]}
    clients["staff"].get(change(passport))
    log = PassportViewLog.objects.get()
    log_list = reverse("admin:passports_passportviewlog_changelist")
    log_page = reverse("admin:passports_passportviewlog_change", args=[log.pk])
    admin = client_of("administrator")
    assert admin.get(log_list).status_code == 200
    assert "Hoàng Thị Cúc" in admin.get(log_list).text
    assert admin.post(log_page, {"username": "x"}).status_code == 403
    assert admin.get(reverse("admin:passports_passportviewlog_add")).status_code == 403
    assert (
        admin.post(reverse("admin:passports_passportviewlog_delete", args=[log.pk]), {"post": "yes"}).status_code == 403
    )
    for role in ["passport custodian", "staff", "approver", "official"]:
        assert clients[role].get(log_list).status_code == 403
    assert PassportViewLog.objects.get().username == "staff"


def test_the_passports_list_costs_the_same_few_queries_for_many_passports(passport, django_assert_num_queries):
    for index in range(30):
        a_passport(holder=f"Người {index}", number=f"D{index:07d}", expires_on=datetime.date(2026, 12, 1))
    client = client_of("passport custodian")
    client.get(CHANGELIST)
    # The session, the user, their own and their groups' permissions, their staff profile (the province),
    # the capped count, the total count (the page's "of N"), the page's passports with their "out" subquery:
    # none per row.
    with django_assert_num_queries(8):
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.text.count("Người ") >= 30
