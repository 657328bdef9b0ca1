"""The IATI file against the official IATI 2.03 standard, vendored in
projects/iati_standard/: the schema (iati-activities-schema.xsd), the standard
ruleset (ruleset-standard.json, interpreted by projects/iati_ruleset.py) and
the codelists, on the seeded and on a synthetic database. A project that
cannot be a valid activity from its own data is left out and staff are told
why; nothing is made up to fill a gap."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from partners.models import LocalUnit, Partner, Sector
from projects.iati import sector_codes
from projects.iati_requirements import export_cutoff
from projects.iati_ruleset import Case, failures, ruleset
from projects.iati_standard import check, codelist_errors, schema_errors
from projects.models import (
    Currency,
    ParticipantRole,
    Project,
    ProjectKind,
    ProjectParticipant,
    ProjectStatus,
    Transaction,
    TransactionKind,
)
from register.publishable import ReviewState

URL = reverse("projects:iati")
LIST = reverse("projects:list")
REF = "VN-COA-LSN-SNGV"  # the settings' default reporting organisation
# The one ruleset warning the data cannot avoid: a sector that is not a DAC
# 5-digit purpose code ("12000", the CRS's heading for Health, is in no list).
SECTOR_WARNING = "102.1.1"


def body_of(client, query=""):
    response = client.get(f"{URL}?{query}" if query else URL)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def tree(body):
    return etree.fromstring(body).getroottree()  # our own export, not outside input


def titles(body):
    return [a.findtext("title/narrative") for a in tree(body).getroot().iterfind("iati-activity")]


def assert_valid(body):
    """0 schema errors, 0 codes outside their codelist, and no ruleset failure
    but the sector warning, on activities whose sector is not a DAC 5-digit code."""
    schema, rules, codelists = check(body)
    assert schema == []
    assert codelists == []
    assert [str(f) for f in rules if f.id != SECTOR_WARNING] == []
    document = tree(body)
    for failure in rules:
        (activity,) = document.xpath(f"/iati-activities/iati-activity[iati-identifier='{failure.activity}']")
        assert activity.xpath("sector/@vocabulary") != ["1"]


def complete_project(title="Dự án nước sạch nông thôn", **fields):
    """A published ODA project with everything IATI requires, a partial date, a
    location, a funder and an implementer, and transactions past and future."""
    defaults = {
        "kind": ProjectKind.ODA,
        "description": "Cấp nước sạch cho các xã vùng cao.",
        "status": ProjectStatus.IMPLEMENTATION,
        "actual_start": dt.date(2019, 1, 1),
        "date_precision": "year",
        "sector": Sector.objects.get(code="12000"),
        "is_public": True,
        "review_state": ReviewState.APPROVED,
    }
    project = Project.objects.create(title=title, **{**defaults, **fields})
    project.locations.set([LocalUnit.objects.get(name="Huyện Cao Lộc")])
    bank = Partner.objects.get(name_en="World Bank")
    ProjectParticipant.objects.create(project=project, partner=bank, role=ParticipantRole.FUNDING)
    unit = LocalUnit.objects.get(name="Trung tâm Y tế huyện Cao Lộc")
    ProjectParticipant.objects.create(project=project, local_unit=unit, role=ParticipantRole.IMPLEMENTING)
    Transaction.objects.create(
        project=project,
        kind=TransactionKind.DISBURSEMENT,
        date=dt.date(2020, 5, 1),
        amount=1000,
        currency=Currency.USD,
        provider=bank,
        receiver=unit,
    )
    return project


# The seeded data ----------------------------------------------------------------------------------


def test_seeded_projects_missing_what_iati_requires_are_left_out_not_exported_broken(official_client, seeded):
    # The articles state no project's status, and two projects have no date at all.
    response = official_client.get(URL)

    # Not an empty file (the schema wants an activity): a page naming what is missing.
    assert response["Content-Type"].startswith("text/html")
    assert "chưa thể lập tệp IATI" in response.content.decode()
    assert "thiếu tình trạng (3)" in response.content.decode()
    page = official_client.get(LIST).content.decode()
    assert "3 dự án viện trợ không được đưa vào tệp IATI" in page
    assert "thiếu tình trạng (3)" in page
    assert "thiếu ngày bắt đầu (dự kiến hoặc thực tế) (2)" in page


def test_the_seeded_file_validates_against_the_official_schema_and_ruleset(official_client, seeded):
    # What staff would add to make the seeded projects exportable: a status; a start for
    # the two undated ones. The file then holds the three, and a complete fourth.
    Project.objects.update(status=ProjectStatus.IMPLEMENTATION)
    Project.objects.filter(actual_start__isnull=True).update(planned_start=dt.date(2009, 1, 1))
    complete_project()

    body = body_of(official_client)

    assert len(titles(body)) == 4
    assert_valid(body)


def test_every_activity_identifier_begins_with_the_reporting_organisations_registered_id(client, seeded):
    complete_project()
    root = tree(body_of(client)).getroot()

    (activity,) = root.iterfind("iati-activity")
    assert activity.find("reporting-org").get("ref") == REF
    assert activity.findtext("iati-identifier").startswith(f"{REF}-")


# Left out, and said so ---------------------------------------------------------------------------


def test_a_project_without_description_is_left_out_and_listed_for_staff_only(client, official_client, seeded):
    complete_project("Dự án có mô tả")
    complete_project("Dự án không mô tả", description="  \n")

    assert titles(body_of(official_client)) == ["Dự án có mô tả"]
    assert titles(body_of(client)) == ["Dự án có mô tả"]
    staff_page = official_client.get(LIST).content.decode()
    assert "4 dự án viện trợ không được đưa vào tệp IATI" in staff_page  # the 3 seeded ones and this
    assert "thiếu mô tả (1)" in staff_page
    visitor_page = client.get(LIST).content.decode()
    assert "tệp IATI vì thiếu" not in visitor_page
    assert "thiếu mô tả" not in visitor_page


def test_the_staff_notice_follows_the_lists_filters(official_client, seeded):
    complete_project("Dự án không mô tả", description="", kind=ProjectKind.NGO)

    page = official_client.get(f"{LIST}?kind=ngo").content.decode()

    assert "1 dự án viện trợ không được đưa vào tệp IATI" in page
    assert "thiếu mô tả (1)" in page
    assert "thiếu tình trạng" not in page  # the seeded projects are ODA


def test_a_long_list_links_to_its_staff_notice_instead_of_counting_on_every_page(
    client, official_client, seeded, monkeypatch
):
    # Past INLINE_LEFT_OUT listed projects (2.000; here 0) the count is one click away.
    monkeypatch.setattr("projects.views.INLINE_LEFT_OUT", 0)
    complete_project("Dự án không mô tả", description="", kind=ProjectKind.NGO)
    summary = reverse("projects:iati_left_out")

    page = official_client.get(f"{LIST}?kind=ngo").content.decode()

    assert "tệp IATI vì thiếu" not in page
    assert f'href="{summary}?kind=ngo"' in page
    notice = official_client.get(f"{summary}?kind=ngo").content.decode()
    assert "1 dự án viện trợ không được đưa vào tệp IATI" in notice
    assert "thiếu mô tả (1)" in notice
    assert "thiếu tình trạng" not in notice  # the list's filter holds: the seeded projects are ODA
    assert f'href="{LIST}?kind=ngo"' in notice
    assert "không dự án nào bị loại" in official_client.get(f"{summary}?kind=fdi").content.decode()
    # Visitors are never told, on the list or here.
    assert summary not in client.get(LIST).content.decode()
    assert client.get(summary).status_code == 404


def test_nothing_is_made_up_for_a_project_without_status_or_sector(official_client, seeded):
    complete_project("Đủ dữ liệu")
    complete_project("Không rõ tình trạng", status=None)
    complete_project("Không rõ lĩnh vực", sector=None)

    assert titles(body_of(official_client)) == ["Đủ dữ liệu"]
    page = official_client.get(LIST).content.decode()
    assert "thiếu tình trạng (4)" in page
    assert "thiếu lĩnh vực (1)" in page


def test_an_actual_start_in_the_future_is_left_out(official_client, seeded):
    complete_project("Đủ dữ liệu")
    complete_project("Bắt đầu năm sau", actual_start=export_cutoff() + dt.timedelta(days=400), date_precision="day")

    assert titles(body_of(official_client)) == ["Đủ dữ liệu"]
    assert "ngày bắt đầu hoặc kết thúc thực tế ở tương lai (1)" in official_client.get(LIST).content.decode()


# Transactions ------------------------------------------------------------------------------------


def test_no_transaction_dated_in_the_future_is_exported(client, seeded):
    project = complete_project()
    tomorrow = export_cutoff() + dt.timedelta(days=1)
    Transaction.objects.create(project=project, kind=TransactionKind.COMMITMENT, date=tomorrow, amount=5)
    Transaction.objects.create(
        project=project, kind=TransactionKind.DISBURSEMENT, date=export_cutoff(), value_date=tomorrow, amount=6
    )
    Transaction.objects.create(project=project, kind=TransactionKind.EXPENDITURE, date=export_cutoff(), amount=7)

    body = body_of(client)
    dates = tree(body).xpath("//transaction/transaction-date/@iso-date")

    assert dates == ["2020-05-01", export_cutoff().isoformat()]
    assert_valid(body)


# Codes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("13040", ("1", "13040")),  # a DAC 5-digit purpose code
        ("121", ("2", "121")),  # a DAC 3-digit category
        ("12100", ("2", "121")),  # the same category stored with two zeros
        ("12000", ("99", "12000")),  # the CRS's heading "Health": in neither list, so the register's own
        ("11000", ("99", "11000")),
        ("YT-01", ("99", "YT-01")),
    ],
)
def test_sector_codes_are_written_in_their_own_vocabulary(stored, written):
    assert sector_codes(stored) == written


def test_a_3_digit_sector_is_written_as_vocabulary_2(client, seeded):
    complete_project(sector=Sector.objects.create(code="121", name="Y tế tổng quát", name_en="Health, General"))

    body = body_of(client)

    sector = tree(body).find("iati-activity/sector")
    assert (sector.get("vocabulary"), sector.get("code")) == ("2", "121")
    assert_valid(body)


def test_finance_aid_and_organisation_codes_come_from_the_codelists(client, seeded):
    complete_project("Khoản vay", kind=ProjectKind.LOAN)
    complete_project("Viện trợ NGO", kind=ProjectKind.NGO)
    complete_project("Phi dự án", kind=ProjectKind.NON_PROJECT_AID)

    body = body_of(client)
    activities = {a.findtext("title/narrative"): a for a in tree(body).getroot().iterfind("iati-activity")}

    assert activities["Khoản vay"].find("default-finance-type").get("code") == "421"
    assert activities["Viện trợ NGO"].find("default-finance-type").get("code") == "110"
    assert activities["Viện trợ NGO"].find("default-aid-type").attrib == {"code": "C01", "vocabulary": "1"}
    # Non-project aid may be a grant or a loan, and is no project: neither is stated.
    assert activities["Phi dự án"].find("default-finance-type") is None
    assert activities["Phi dự án"].find("default-aid-type") is None
    assert_valid(body)


# The checks can fail -----------------------------------------------------------------------------

BROKEN = b"""<iati-activities version="2.03" generated-datetime="2024-01-01T00:00:00+07:00">
<iati-activity last-updated-datetime="2024-01-01T00:00:00+07:00" xml:lang="vi" default-currency="VND">
<iati-identifier>XM-DAC-44000-P1</iati-identifier>
<reporting-org ref="VN-LSN-SNGV" type="11"><narrative>S\xe1\xbb\x9f</narrative></reporting-org>
<title><narrative>T</narrative></title>
<activity-date type="3" iso-date="2020-01-01"/>
<sector vocabulary="1" code="12000"/>
<transaction><transaction-type code="1"/><transaction-date iso-date="2999-01-01"/>
<value value-date="2999-01-01">5</value></transaction>
</iati-activity></iati-activities>"""


def test_what_the_old_export_wrote_fails_the_checks():
    schema, rules, codelists = check(BROKEN)
    document = tree(BROKEN)

    # description, participating-org and activity-status are missing.
    assert any("description" in error for error in schema_errors(document))
    assert schema
    assert {f.id for f in rules} >= {
        "1.1.21",  # the identifier does not begin with the reporting organisation's
        "1.14.8",  # VN-LSN is no registration agency
        "6.11.1",  # no start date
        "11.2.1",  # a transaction dated in the future
        "11.2.2",  # its value date too
    }
    assert codelists == ["XM-DAC-44000-P1: sector[@vocabulary='1']/@code = '12000' is not in the Sector codelist"]
    assert codelist_errors(document) == codelists


def test_every_rule_of_the_ruleset_is_interpreted():
    names = {name for rules in ruleset().values() for name in rules}
    looped = {
        name for rules in ruleset().values() for case in rules.get("loop", {}).get("cases", []) for name in case["do"]
    }
    assert {n for n in names | looped if n != "loop"} <= {n for n in dir(Case) if not n.startswith("_")}
    assert failures(tree(BROKEN))  # and running them all raises nothing


# A synthetic database ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_file_of_a_synthetic_database_validates(client):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    call_command("generate_synthetic", delegations=300, seed=3, stdout=StringIO())
    out = StringIO()
    call_command("iati_validate", stdout=out)
    report = out.getvalue().splitlines()[-1]

    # The generator spreads the records over the 34 provinces (docs/PROVINCES.md, step 7):
    # a national reader's file holds them all, as the command's does.
    reader = get_user_model().objects.create_user("xem", password="x")
    reader.groups.add(Group.objects.get(name="national"))
    client.force_login(reader)
    body = body_of(client)
    written = len(titles(body))
    assert written > 10
    assert_valid(body)
    aid = Project.objects.aid().count()
    assert report.startswith(f"{written} activities, 0 errors")
    left_out = aid - written
    assert f"; {left_out} left out: " in report
    # The list's count (SQL) and the file's (Python) agree.
    assert f"{left_out} dự án viện trợ không được đưa vào tệp IATI" in client.get(LIST).content.decode()


# Partners' identifiers ---------------------------------------------------------------------------


def test_a_partners_iati_identifier_is_its_ref_in_the_file(client, seeded):
    Partner.objects.filter(name_en="World Bank").update(iati_ref="XM-DAC-44000")
    complete_project()

    body = body_of(client)
    activity = tree(body).find("iati-activity")

    funder = activity.find("participating-org[@role='1']")
    assert (funder.get("ref"), funder.findtext("narrative")) == ("XM-DAC-44000", "Ngân hàng Thế giới")
    assert activity.find("transaction/provider-org").get("ref") == "XM-DAC-44000"
    # The implementer, one of our units, has none: it is named.
    assert activity.find("participating-org[@role='4']").get("ref") is None
    assert_valid(body)


@pytest.mark.parametrize("ref", ["44000", "XX-DAC-44000", "XM-DAC-", "XM-DAC-44 000", "XM-DAC-44/000"])
def test_a_partner_identifier_not_of_a_registration_agency_is_refused(seeded, ref):
    from django.core.exceptions import ValidationError

    bank = Partner.objects.get(name_en="World Bank")
    bank.iati_ref = ref
    with pytest.raises(ValidationError) as refused:
        bank.full_clean()
    assert "iati_ref" in refused.value.message_dict


def test_the_database_refuses_a_partner_identifier_with_a_space(seeded):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.filter(name_en="World Bank").update(iati_ref="XM-DAC-44 000")


@pytest.mark.no_office  # the settings' organisation, before any office is entered
def test_the_deploy_check_warns_of_a_reporting_organisation_iati_does_not_recognise(db, settings):
    from django.core.checks import run_checks

    from offices.models import OfficeProfile

    def warnings():
        return [m.id for m in run_checks(include_deployment_checks=True) if m.id == "register.W002"]

    # No office profile yet: the placeholder VN-COA-SNGV has the right form; the setting replaces it.
    assert warnings() == []
    settings.IATI_REPORTING_ORG = {**settings.IATI_REPORTING_ORG, "ref": "VN-LSN-SNGV"}
    assert warnings() == ["register.W002"]
    # The profile wins over the setting (an identifier written past the form's check).
    call_command("loaddata", str(settings.BASE_DIR / "fixtures" / "00_office.json"), verbosity=0)
    assert warnings() == []
    OfficeProfile.objects.update(iati_org_ref="VN-LSN-SNGV")
    assert warnings() == ["register.W002"]
