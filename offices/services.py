"""Setting up the register for a province: its office profile and its local
units of the 2025 map (the province and its communes, wards and special
zones), each citing the official list it comes from.

Used by ``manage.py start_province`` and by the admin's profile screen on a
fresh database. A database that already belongs to another province is
refused, never half-converted: everything is written in one transaction."""

from dataclasses import dataclass

import vietnam_provinces
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from agreements.models import Agreement, Partnership
from delegations.models import Delegation
from offices import provinces
from offices.models import OfficeProfile
from partners.models import CooperationMechanism, LocalUnit, LocalUnitKind
from projects.models import Project
from register.publishable import ReviewState
from sources.models import Citation, ReportedFigure, Source, SourceKind

# Where the General Statistics Office publishes the list (vietnam-provinces' source).
LIST_URL = "https://danhmuchanhchinh.gso.gov.vn/"
# What belongs to a province; partners (China, Guangxi, JICA...) are shared by all provinces.
PROVINCE_RECORDS = (
    LocalUnit,
    CooperationMechanism,
    Source,
    ReportedFigure,
    Delegation,
    Agreement,
    Partnership,
    Project,
)
APPROVED = {"review_state": ReviewState.APPROVED, "is_public": True}


class ProvinceRefused(Exception):
    """The database cannot be set up for this province; the message says why, in the reader's language."""


@dataclass
class Started:
    profile: OfficeProfile
    profile_created: bool
    units_created: int
    units_existing: int


def find_province(code, name=None):
    """The province of ``code`` in the 2025 list, checked against ``name`` when given."""
    province = provinces.province(code)
    if province is None:
        raise ProvinceRefused(
            _("There is no province or city with code %(code)s in the 2025 list of 34 (01 Hà Nội … 96 Cà Mau).")
            % {"code": code}
        )
    if name and not provinces.names_match(province, name):
        raise ProvinceRefused(
            _("Code %(code)s is %(province)s, not “%(name)s”.")
            % {"code": province.code, "province": province.full_name, "name": name}
        )
    return province


def defaults_for(province):
    """The profile's names derived from the province, for the fields left blank
    ("UBND TỈNH CAO BẰNG", "Cao Bằng"...); REPORT_* and IATI_REPORTING_ORG_*
    settings, when set, come first. The administrator checks them in the admin."""
    short, level = province.short_name, province.level
    office_name = f"Sở Ngoại vụ {level} {short}"
    issuer = list(settings.REPORT_ISSUER)
    iati = settings.IATI_REPORTING_ORG
    return {
        "province_code": province.code,
        "office_name": office_name,
        "office_name_en": f"{short} Department of Foreign Affairs",
        "superior_body": "\n".join(issuer[:-1]) or f"UBND {level.upper()} {short.upper()}",
        "heading_name": issuer[-1] if issuer else "SỞ NGOẠI VỤ",
        # "Thành phố Hồ Chí Minh, ngày …": the city's name is never written without its title.
        "place": settings.REPORT_PLACE or (province.name if short == "Hồ Chí Minh" else short),
        "report_symbol": f"BC-{settings.REPORT_SYMBOL}",
        "signer_title": settings.REPORT_SIGNER_TITLE,
        "iati_org_name": iati["name"] or office_name,
        # Unset: a placeholder of the right form, to be replaced by the office's own code (mã ĐVQHNS).
        "iati_org_ref": iati["ref"] or f"VN-COA-{province.code}-SNGV",
        "iati_org_type": iati["type"],
        "site_title": f"Cơ sở dữ liệu đối ngoại {level} {short}",
        "site_title_en": f"{short} foreign-affairs register",
    }


def records_held():
    """{verbose name plural: count} of the province records in the database, those present only."""
    counts = {model._meta.verbose_name_plural: model.objects.count() for model in PROVINCE_RECORDS}
    return {str(name): count for name, count in counts.items() if count}


def check_may_start(province):
    """This province's profile, or None when it has none yet. A database may hold
    several provinces' offices, each with its own records (docs/PROVINCES.md); on
    an install upgraded from before that, records held while no office exists yet
    are named and refused unless ``records_are_ours`` is said (``start_province``)."""
    profile = OfficeProfile.objects.filter(province_code=province.code).first()
    return profile


def start_province(province, records_are_ours=False, **fields):
    """Create the profile (``fields`` over ``defaults_for``) and the province's
    local units, or complete them when the profile is there already.

    With no office at all in a database that holds records (an install upgraded
    from before offices: its migration stops and asks for this), the records are
    this province's only if ``records_are_ours``: the profile is created, and the
    local units are left to a second run, once `migrate` has given the records
    their province. Raises ProvinceRefused (nothing written) otherwise."""
    with transaction.atomic():
        profile = check_may_start(province)
        upgrading = False
        if profile is None and not OfficeProfile.objects.exists():
            held = records_held()
            if held and not records_are_ours:
                listing = ", ".join(f"{count} {name}" for name, count in held.items())
                raise ProvinceRefused(
                    _(
                        "This database already holds records (%(records)s) and no office profile says whose "
                        "province they are. If they are %(province)s's, run the command again with "
                        "--records-are-ours; otherwise run start_province on a new, migrated database."
                    )
                    % {"records": listing, "province": province.full_name}
                )
            upgrading = bool(held)
        created = profile is None
        if created:
            profile = OfficeProfile(**{**defaults_for(province), **{k: v for k, v in fields.items() if v}})
            profile.full_clean()
            profile.save()
        if upgrading:
            return Started(profile, created, 0, 0)
        units_created, units_existing = add_local_units(province)
    return Started(profile, created, units_created, units_existing)


def _source_for(province, units):
    """The official list as a source the units cite, with one line per unit."""
    title = f"Danh mục đơn vị hành chính từ ngày 01/7/2025: {province.full_name}"
    source = Source.objects.filter(title=title, url=LIST_URL).first()
    if source is not None:
        return source
    lines = "\n".join(line for line, _unit in units)
    source = Source(
        kind=SourceKind.OTHER,
        title=title,
        publisher="Tổng cục Thống kê",
        url=LIST_URL,
        reference="202/2025/QH15",
        body=(
            "Danh mục đơn vị hành chính cấp tỉnh và cấp xã từ ngày 01/7/2025 (Nghị quyết 202/2025/QH15 của "
            "Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh và các nghị quyết năm 2025 của Ủy ban Thường vụ "
            f"Quốc hội về sắp xếp đơn vị hành chính cấp xã), {province.full_name}:\n\n{lines}\n"
        ),
        notes=(
            f"Theo gói vietnam-provinces {vietnam_provinces.__version__} "
            f"(dữ liệu lấy ngày {vietnam_provinces.__data_version__})."
        ),
        province_id=province.code,
        **APPROVED,
    )
    source.full_clean()
    source.save()
    return source


def add_local_units(province):
    """The province (UBND tỉnh …) and each of its communes, wards and special
    zones, by code: those already present (same code) are left as they are.
    Returns (created, already there)."""
    short = province.short_name
    head = LocalUnit(
        name=f"UBND {province.full_name}",
        name_en=f"{short} {'City' if province.is_city else 'Provincial'} People's Committee",
        aliases=f"{province.full_name[0].upper()}{province.full_name[1:]}\n{short}",
        kind=LocalUnitKind.PROVINCE,
        code=province.code,
        province_id=province.code,
        **APPROVED,
    )
    communes = [
        LocalUnit(name=c.name, kind=LocalUnitKind.COMMUNE, code=c.code, province_id=province.code, **APPROVED)
        for c in provinces.communes(province.code)
    ]
    units = [(f"Mã {province.code}: {province.full_name}", head)]
    units += [(f"Mã {unit.code}: {unit.name}", unit) for unit in communes]
    existing = {u.code: u for u in LocalUnit.objects.filter(code__in=[u.code for _line, u in units])}
    missing = [(line, unit) for line, unit in units if unit.code not in existing]
    if not missing:
        return 0, len(existing)
    source = _source_for(province, units)
    parent = existing.get(province.code)
    unit_type = ContentType.objects.get_for_model(LocalUnit)
    for line, unit in missing:
        if unit is not head:
            unit.parent = parent
        unit.save()  # one by one: each gets its search text and its history row
        if unit is head:
            parent = head
        Citation.objects.create(content_type=unit_type, object_id=unit.pk, source=source, excerpt=line)
    return len(missing), len(existing)
