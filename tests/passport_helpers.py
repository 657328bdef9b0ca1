"""Passports, hand-outs and the people who handle them, for tests/test_passports*.py."""

import datetime

from django.test import Client

from delegations.models import Delegation
from offices.models import StaffProfile
from passports.models import Passport, PassportLoan
from tests.conftest import make_user


def a_passport(holder="Nguyễn Văn An", number="C1234567", expires_on=datetime.date(2030, 5, 1), **fields):
    return Passport.objects.create(
        holder_name=holder,
        number=number,
        issued_on=fields.pop("issued_on", datetime.date(2020, 5, 1)),
        expires_on=expires_on,
        **fields,
    )


def a_trip(title="Đoàn công tác sang Quảng Tây", start=datetime.date(2026, 2, 2), end=datetime.date(2026, 2, 6), **f):
    return Delegation.objects.create(title=title, start_date=start, end_date=end, **f)


def a_loan(passport, delegation, handed_out_on=datetime.date(2026, 1, 28), **fields):
    return PassportLoan.objects.create(passport=passport, delegation=delegation, handed_out_on=handed_out_on, **fields)


def role_user(role, province=None):
    user = make_user(role.replace(" ", "_") + (f"_{province}" if province else ""), role, is_staff=role != "visitor")
    if province:
        StaffProfile.objects.create(user=user, province_id=province)
    return user


def signed_in(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
