"""The passports' rules, in the database and in the custodian's forms: a passport
expires after its issue, a number is one letter and seven digits (typed with
spaces or in lower case it is put right), a number is entered once, a passport
comes back after it went out and goes out once at a time."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from passports.models import Passport, PassportLoan
from tests.passport_helpers import a_loan, a_passport, a_trip, role_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def custodian(db):
    return signed_in(role_user("passport custodian"))


def passport_form(**changes):
    data = {
        "holder_name": "Trần Thị Bình",
        "holder_position": "Phó Giám đốc Sở",
        "kind": "diplomatic",
        "number": "b 765 4321",
        "issued_on": "01/03/2021",
        "expires_on": "01/03/2031",
        "issued_by": "Cục Lãnh sự",
        "kept_by_agency": "on",
        "notes": "",
        "loans-TOTAL_FORMS": "0",
        "loans-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


ADD = reverse("admin:passports_passport_add")


def errors_of(response):
    return (
        str(response.context["adminform"].form.errors)
        + str(response.context["inline_admin_formsets"][0].formset.non_form_errors())
        + "".join(str(f.errors) for f in response.context["inline_admin_formsets"][0].formset.forms)
    )


def test_the_custodian_enters_a_passport_with_its_number_put_right(custodian):
    response = custodian.post(ADD, passport_form())
    assert response.status_code == 302, errors_of(response)
    passport = Passport.objects.get()
    assert (passport.number, passport.holder_name, passport.kind) == ("B7654321", "Trần Thị Bình", "diplomatic")


def test_an_expiry_before_the_issue_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        a_passport(issued_on=datetime.date(2026, 1, 1), expires_on=datetime.date(2025, 1, 1))


def test_an_expiry_before_the_issue_is_refused_in_vietnamese_and_nothing_is_saved(custodian):
    response = custodian.post(ADD, passport_form(expires_on="01/03/2020"))
    assert response.status_code == 200
    assert "Ngày hết hạn phải sau ngày cấp." in errors_of(response)
    assert not Passport.objects.exists()


def test_a_number_not_of_one_letter_and_seven_digits_is_refused_and_says_why(custodian):
    response = custodian.post(ADD, passport_form(number="12345"))
    assert "một chữ cái và bảy chữ số" in errors_of(response)
    assert not Passport.objects.exists()


def test_a_bad_number_is_refused_by_the_database_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        Passport.objects.bulk_create(
            [
                Passport(
                    holder_name="X", number="12345", issued_on="2020-01-01", expires_on="2030-01-01", province_id="20"
                )
            ]
        )


def test_a_number_already_in_the_register_is_refused(custodian):
    a_passport(number="B7654321")
    response = custodian.post(ADD, passport_form())
    assert "đã có trong sổ" in errors_of(response)
    assert Passport.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        a_passport(number="b7654321")


def test_a_return_before_the_hand_out_is_refused_by_the_database():
    passport, trip = a_passport(), a_trip()
    with pytest.raises(IntegrityError), transaction.atomic():
        a_loan(passport, trip, handed_out_on=datetime.date(2026, 2, 1), returned_on=datetime.date(2026, 1, 20))


def test_a_second_hand_out_without_a_return_is_refused_by_the_database():
    passport, trip = a_passport(), a_trip()
    a_loan(passport, trip)
    with pytest.raises(IntegrityError), transaction.atomic():
        a_loan(passport, a_trip(title="Đoàn thứ hai"), handed_out_on=datetime.date(2026, 3, 1))


def test_a_passport_returned_may_go_out_again():
    passport, trip = a_passport(), a_trip()
    a_loan(passport, trip, returned_on=datetime.date(2026, 2, 9))
    a_loan(passport, a_trip(title="Đoàn thứ hai"), handed_out_on=datetime.date(2026, 3, 1))
    assert PassportLoan.objects.filter(passport=passport).count() == 2


def loan_form(passport, trip, **changes):
    data = {
        "passport": str(passport.pk),
        "delegation": str(trip.pk),
        "handed_out_on": "28/01/2026",
        "handed_out_by": "",
        "handed_to": "",
        "returned_on": "",
        "received_back_by": "",
        "notes": "",
    }
    data.update(changes)
    return data


LOAN_ADD = reverse("admin:passports_passportloan_add")


def test_a_return_before_the_hand_out_is_refused_in_vietnamese(custodian):
    passport, trip = a_passport(), a_trip()
    response = custodian.post(LOAN_ADD, loan_form(passport, trip, returned_on="20/01/2026"))
    assert response.status_code == 200
    assert "Hộ chiếu không thể được nộp lại trước ngày giao." in str(response.context["adminform"].form.errors)
    assert not PassportLoan.objects.exists()


def test_a_second_hand_out_without_a_return_is_refused_in_vietnamese(custodian):
    passport, trip = a_passport(), a_trip()
    a_loan(passport, trip)
    response = custodian.post(LOAN_ADD, loan_form(passport, a_trip(title="Đoàn thứ hai"), handed_out_on="01/03/2026"))
    assert response.status_code == 200
    assert "Hộ chiếu này đang được giao và chưa nộp lại" in str(response.context["adminform"].form.errors)
    assert PassportLoan.objects.count() == 1


def test_a_hand_out_entered_by_the_custodian_names_them_and_belongs_to_the_passports_province(custodian):
    passport, trip = a_passport(), a_trip()
    response = custodian.post(LOAN_ADD, loan_form(passport, trip))
    assert response.status_code == 302
    loan = PassportLoan.objects.get()
    assert loan.handed_out_by.username == "passport_custodian"
    assert loan.province_id == passport.province_id


def test_a_return_entered_in_the_passports_page_names_who_took_it_back(custodian):
    passport, trip = a_passport(), a_trip()
    loan = a_loan(passport, trip)
    url = reverse("admin:passports_passport_change", args=[passport.pk])
    data = passport_form(
        holder_name=passport.holder_name,
        kind="official",
        number="C1234567",
        issued_on="01/05/2020",
        expires_on="01/05/2030",
        **{
            "loans-TOTAL_FORMS": "1",
            "loans-INITIAL_FORMS": "1",
            "loans-0-id": str(loan.pk),
            "loans-0-passport": str(passport.pk),
            "loans-0-delegation": str(trip.pk),
            "loans-0-handed_out_on": "28/01/2026",
            "loans-0-returned_on": "10/02/2026",
        },
    )
    data["_version"] = custodian.get(url).context["record_version"]
    response = custodian.post(url, data)
    assert response.status_code == 302, errors_of(response)
    loan.refresh_from_db()
    assert loan.returned_on == datetime.date(2026, 2, 10)
    assert loan.received_back_by.username == "passport_custodian"


def test_two_hand_outs_without_return_entered_at_once_on_the_passports_page_are_refused_in_vietnamese(custodian):
    passport, trip = a_passport(), a_trip()
    other = a_trip(title="Đoàn thứ hai")
    url = reverse("admin:passports_passport_change", args=[passport.pk])
    data = passport_form(
        holder_name=passport.holder_name,
        kind="official",
        number="C1234567",
        issued_on="01/05/2020",
        expires_on="01/05/2030",
        **{"loans-TOTAL_FORMS": "2", "loans-INITIAL_FORMS": "0"},
    )
    for index, (delegation, day) in enumerate([(trip, "28/01/2026"), (other, "01/03/2026")]):
        data[f"loans-{index}-passport"] = str(passport.pk)
        data[f"loans-{index}-delegation"] = str(delegation.pk)
        data[f"loans-{index}-handed_out_on"] = day
    data["_version"] = custodian.get(url).context["record_version"]
    response = custodian.post(url, data)
    assert response.status_code == 200
    assert "Hộ chiếu này đang được giao và chưa nộp lại" in errors_of(response)
    assert not PassportLoan.objects.exists()
