"""Who reads a passport's number, and the log of who looked at passports.

The number is personal data (Decree 13/2023/NĐ-CP): it is shown, searched and
exported only for users with ``passports.view_passport_number`` (the passport
custodian role and the administrators, register/roles.py; superusers). Every
GET of a passport's page or history, and every export, writes a
``PassportViewLog`` row, whoever the user."""

from passports.models import PassportViewLog
from register.login_throttle import client_ip
from register.roles import PASSPORT_NUMBER

# What a user who may not read the number sees in its place: nothing of it, not even its last digits
# (holder, kind and expiry already tell two passports apart; a partial number helps only who would misuse it).
HIDDEN_NUMBER = "••••••••"


def may_see_numbers(user):
    return user.is_active and user.has_perm(f"passports.{PASSPORT_NUMBER}")


def log_view(request, kind, passport=None, rows=None, province=None):
    """One line of the view log: ``request.user`` saw ``passport`` (its page, its history) or exported ``rows``."""
    user = request.user
    return PassportViewLog.objects.create(
        province_id=passport.province_id if passport is not None else province,
        passport=passport,
        passport_label=str(passport) if passport is not None else "",
        user=user,
        username=user.get_username(),
        kind=kind,
        rows=rows,
        address=client_ip(request) or None,
    )
