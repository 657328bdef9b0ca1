"""Deployment checks of our own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def check_undeclared_proxy(app_configs, **kwargs):
    """A check cannot see requests: it reads what the site recorded when one
    came through a proxy while DJANGO_PROXY_COUNT was 0
    (register/login_throttle.py, UndeclaredProxyMiddleware)."""
    if settings.PROXY_COUNT:
        return []
    from register.models import ProxySighting

    try:
        sighting = ProxySighting.objects.first()
    except DatabaseError:
        return []  # not migrated yet, or no database: nothing recorded
    if sighting is None:
        return []
    return [
        Warning(
            f"The site runs behind a proxy (a request on {sighting.seen_at:%Y-%m-%d %H:%M} came from "
            f"{sighting.remote_addr or 'an unknown address'} with X-Forwarded-For: {sighting.forwarded_for}) "
            "but DJANGO_PROXY_COUNT is 0, so every visitor shares the proxy's address and the login "
            "limit per address locks them all out together.",
            hint="Set DJANGO_PROXY_COUNT to the number of proxies of yours in front of gunicorn (nginx alone: 1).",
            id="register.W001",
        )
    ]


@register(deploy=True)
def check_iati_reporting_org(app_configs, **kwargs):
    """Every activity identifier of the IATI file starts with the reporting
    organisation's identifier (the office profile's; while there is no profile,
    IATI_REPORTING_ORG_REF or its placeholder): one IATI does not recognise makes
    the whole file wrong."""
    from offices.models import OfficeProfile
    from offices.profile import PLACEHOLDER_REF
    from projects.iati_standard import valid_organisation_identifier

    try:
        profile = OfficeProfile.objects.first()
    except DatabaseError:
        profile = None  # not migrated yet, or no database: the setting is what there is
    ref = profile.iati_org_ref if profile else settings.IATI_REPORTING_ORG["ref"] or PLACEHOLDER_REF
    if not valid_organisation_identifier(ref):
        where = "The office profile's IATI organisation identifier" if profile else "IATI_REPORTING_ORG_REF"
        return [
            Warning(
                f"{where} {ref!r} is not an IATI organisation identifier: IATI rejects the IATI file's activities.",
                hint="Set it to VN-COA- and the office's code in the Chart of Accounts (mã ĐVQHNS), in the admin's "
                "office profile.",
                id="register.W002",
            )
        ]
    return []
