"""The IATI 2.03 activity export (/projects/iati.xml): it parses back, carries
the World Bank's 2010 and 2011 in-kind support, writes the children in the
schema's order, follows the list's filters and the visibility rule, leaves FDI
out, escapes what XML must escape, and costs a fixed number of queries."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from offices.models import OfficeProfile
from partners.models import LocalUnit, Partner, PartnerKind, Sector
from projects import iati
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
from tests.conftest import PUBLISHED, english

URL = reverse("projects:iati")
LIST = reverse("projects:list")
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WORLD_BANK_TITLE = "Dự án phòng chống HIV/AIDS (nguồn quỹ Ngân hàng Thế giới)"

# The children of iati-activity and of transaction, in the order of the
# xsd:sequence of IATI 2.03's iati-activities-schema.xsd (copied from the
# standard, not from the code under test).
ACTIVITY_ORDER = [
    "iati-identifier", "reporting-org", "title", "description", "participating-org", "other-identifier",
    "activity-status", "activity-date", "contact-info", "activity-scope", "recipient-country", "recipient-region",
    "location", "sector", "tag", "country-budget-items", "humanitarian-scope", "policy-marker",
    "collaboration-type", "default-flow-type", "default-finance-type", "default-aid-type", "default-tied-status",
    "budget", "planned-disbursement", "capital-spend", "transaction", "document-link", "related-activity",
    "legacy-data", "conditions", "result", "crs-add", "fss",
]  # fmt: skip
TRANSACTION_ORDER = [
    "transaction-type", "transaction-date", "value", "description", "provider-org", "receiver-org",
    "disbursement-channel", "sector", "recipient-country", "recipient-region", "flow-type", "finance-type",
    "aid-type", "tied-status",
]  # fmt: skip


REF = "VN-COA-LSN-SNGV"  # the settings' default reporting organisation


def make_project(title, *, published=True, with_participant=True, **fields):
    """A project with what IATI requires (a description, a status, a start, a
    sector and a participant), so the export writes it."""
    defaults = {
        "kind": ProjectKind.ODA,
        "description": "Mô tả dự án.",
        "status": ProjectStatus.IMPLEMENTATION,
        "planned_start": dt.date(2020, 1, 1),
        "sector": Sector.objects.get(code="31110"),
    }
    if published:
        defaults.update(is_public=True, review_state=ReviewState.APPROVED)
    project = Project.objects.create(title=title, **{**defaults, **fields})
    if with_participant:
        unit = LocalUnit.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")
        ProjectParticipant.objects.create(project=project, local_unit=unit, role=ParticipantRole.ACCOUNTABLE)
    return project


@pytest.fixture
def seeded(seeded):
    """The seeded data, with what the articles do not say and IATI requires filled
    in as staff would: the three projects' status, and a planned start for the
    two with no date at all. (Without them the export leaves all three out:
    tests/test_iati_standard.py.)"""
    Project.objects.filter(status__isnull=True).update(status=ProjectStatus.IMPLEMENTATION)
    Project.objects.filter(planned_start__isnull=True, actual_start__isnull=True).update(
        planned_start=dt.date(2009, 1, 1)
    )


def parse(body):
    return ET.fromstring(body)  # noqa: S314 - our own export, not outside input


def export(client, query=""):
    """(response, root element) of the export for this query string."""
    response = client.get(f"{URL}?{query}" if query else URL)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return response, parse(body)


def activities_by_title(root):
    return {activity.find("title/narrative").text: activity for activity in root.findall("iati-activity")}


def child_tags(element):
    return [child.tag for child in element]


def follows(tags, reference):
    """Each tag is in the reference and never comes before one that precedes it there."""
    positions = [reference.index(tag) for tag in tags]
    return positions == sorted(positions)


@pytest.fixture
def rich_project(seeded):
    """An NGO project with every piece the export writes: status, the four dates,
    participants of both sides, two locations, a sector and three transactions."""
    veco = Partner.objects.create(**PUBLISHED, name="Tổ chức VECO", name_en="VECO", kind=PartnerKind.NGO, country="BE")
    department = LocalUnit.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")
    cao_loc = LocalUnit.objects.get(name="Huyện Cao Lộc")
    town = LocalUnit.objects.get(name="Thị trấn Đồng Đăng")
    project = make_project(
        "Chuỗi giá trị chè bền vững",
        kind=ProjectKind.NGO,
        code="ODA 2019/07",
        status=ProjectStatus.IMPLEMENTATION,
        sector=Sector.objects.get(code="31110"),
        planned_start=dt.date(2019, 1, 1),
        actual_start=dt.date(2019, 3, 1),
        planned_end=dt.date(2022, 12, 31),
        actual_end=dt.date(2023, 6, 30),
        description="Hỗ trợ nông dân trồng chè.",
        outputs="120 hộ được tập huấn.",
        committed_amount=Decimal("50000"),
        currency=Currency.USD,
        committed_vnd=Decimal("1150000000"),
        with_participant=False,
    )
    project.locations.set([cao_loc, town])
    ProjectParticipant.objects.create(project=project, partner=veco, role=ParticipantRole.FUNDING)
    ProjectParticipant.objects.create(project=project, local_unit=department, role=ParticipantRole.ACCOUNTABLE)
    ProjectParticipant.objects.create(project=project, local_unit=cao_loc, role=ParticipantRole.IMPLEMENTING)
    for kind, day, amount in (
        (TransactionKind.COMMITMENT, dt.date(2019, 1, 15), "50000"),
        (TransactionKind.DISBURSEMENT, dt.date(2019, 6, 1), "20000.50"),
        (TransactionKind.EXPENDITURE, dt.date(2020, 2, 1), "7500"),
    ):
        Transaction.objects.create(
            project=project,
            kind=kind,
            date=day,
            amount=Decimal(amount),
            currency=Currency.USD,
            value_date=day - dt.timedelta(days=1),
            amount_vnd=Decimal("1"),
            provider=veco,
            receiver=cao_loc,
        )
    return project


# The file -------------------------------------------------------------------------------------------


def test_export_is_an_iati_2_03_file_to_download(client, seeded):
    response, root = export(client)

    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="VN-COA-LSN-SNGV-activities.xml"'
    assert response.streaming
    assert root.tag == "iati-activities"
    assert root.get("version") == "2.03"
    assert dt.datetime.fromisoformat(root.get("generated-datetime")).tzinfo is not None
    assert len(root.findall("iati-activity")) == 3


def test_world_bank_project_carries_its_2010_and_2011_in_kind_transactions(client, seeded):
    _, root = export(client)
    activity = activities_by_title(root)[WORLD_BANK_TITLE]
    project = Project.objects.get(title=WORLD_BANK_TITLE)

    assert activity.get(LANG) == "vi"
    assert activity.get("default-currency") == "VND"
    assert activity.find("iati-identifier").text == f"{REF}-{project.pk}"
    reporting = activity.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == (REF, "11")
    assert reporting.find("narrative").text == "Sở Ngoại vụ tỉnh Lạng Sơn"
    assert activity.find("title/narrative").get(LANG) == "vi"
    funder, implementer = activity.findall("participating-org")
    assert (funder.get("role"), funder.get("type"), funder.find("narrative").text) == ("1", "40", "Ngân hàng Thế giới")
    assert [(n.get(LANG), n.text) for n in funder.findall("narrative")] == [
        (None, "Ngân hàng Thế giới"),
        ("en", "World Bank"),
    ]
    assert (implementer.get("role"), implementer.get("type")) == ("4", "15")
    assert implementer.find("narrative").text == "Trung tâm Y tế huyện Cao Lộc"
    assert activity.find("recipient-country").get("code") == "VN"
    assert activity.find("location/name/narrative").text == "Huyện Cao Lộc"
    assert activity.find("location/location-class").get("code") == "1"
    sector = activity.find("sector")
    assert (sector.get("vocabulary"), sector.get("code")) == ("1", "13040")
    assert activity.find("default-flow-type").get("code") == "10"

    transactions = [
        (
            t.find("transaction-type").get("code"),
            t.find("transaction-date").get("iso-date"),
            t.find("value").text,
            t.find("value").get("currency"),
            t.find("value").get("value-date"),
            t.find("provider-org/narrative").text,
            t.find("receiver-org/narrative").text,
        )
        for t in activity.findall("transaction")
    ]
    # In-kind support received by the province: Incoming Funds (1).
    assert transactions == [
        ("1", "2010-01-01", "84248000", "VND", "2010-01-01", "Ngân hàng Thế giới", "Trung tâm Y tế huyện Cao Lộc"),
        ("1", "2011-01-01", "222506000", "VND", "2011-01-01", "Ngân hàng Thế giới", "Trung tâm Y tế huyện Cao Lộc"),
    ]
    assert "2011" in activity.findall("transaction")[1].find("description/narrative").text


def test_a_date_given_as_a_year_also_goes_in_words(client, seeded):
    _, root = export(client, "kind=oda")
    activity = activities_by_title(root)["Dự án Quỹ toàn cầu (hỗ trợ Trung tâm Y tế huyện Cao Lộc)"]

    (date,) = activity.findall("activity-date")
    assert (date.get("type"), date.get("iso-date")) == ("2", "2008-01-01")
    assert date.find("narrative").text == "năm 2008"


def test_every_field_of_a_full_project_is_written(client, rich_project):
    _, root = export(client)
    activity = activities_by_title(root)["Chuỗi giá trị chè bền vững"]

    # "ODA 2019/07" is no IATI identifier: the reporting organisation's prefix and the number.
    assert activity.find("iati-identifier").text == f"{REF}-{rich_project.pk}"
    assert activity.get("default-currency") == "USD"
    assert [(d.get("type"), d.find("narrative").text) for d in activity.findall("description")] == [
        ("1", "Hỗ trợ nông dân trồng chè."),
        ("4", "120 hộ được tập huấn."),
    ]
    orgs = [(o.get("role"), o.get("ref"), o.get("type")) for o in activity.findall("participating-org")]
    # The Department is the reporting organisation itself: its identifier is known.
    assert orgs == [("1", None, "21"), ("2", REF, "11"), ("4", None, "11")]
    assert activity.find("activity-status").get("code") == "2"
    assert [(d.get("type"), d.get("iso-date")) for d in activity.findall("activity-date")] == [
        ("1", "2019-01-01"),
        ("2", "2019-03-01"),
        ("3", "2022-12-31"),
        ("4", "2023-06-30"),
    ]
    assert [n.text for n in activity.findall("location/name/narrative") if not n.get(LANG)] == [
        "Huyện Cao Lộc",
        "Thị trấn Đồng Đăng",
    ]
    assert activity.find("default-flow-type").get("code") == "30"
    transactions = activity.findall("transaction")
    assert [t.find("transaction-type").get("code") for t in transactions] == ["11", "1", "4"]
    assert [t.find("value").text for t in transactions] == ["50000", "20000.5", "7500"]
    assert [t.find("value").get("value-date") for t in transactions] == ["2019-01-14", "2019-05-31", "2020-01-31"]
    assert all(t.get("ref") for t in transactions)
    assert transactions[0].find("provider-org").get("type") == "21"


def test_children_follow_the_standards_order(client, rich_project):
    _, root = export(client)
    activities = root.findall("iati-activity")

    assert len(activities) == 4
    for activity in activities:
        assert follows(child_tags(activity), ACTIVITY_ORDER), child_tags(activity)
        for transaction in activity.findall("transaction"):
            assert follows(child_tags(transaction), TRANSACTION_ORDER), child_tags(transaction)
    # The full project has something in most places, so the check above covers them.
    assert set(child_tags(activities_by_title(root)["Chuỗi giá trị chè bền vững"])) == {
        "iati-identifier", "reporting-org", "title", "description", "participating-org", "activity-status",
        "activity-date", "recipient-country", "location", "sector", "default-flow-type", "default-finance-type",
        "default-aid-type", "transaction",
    }  # fmt: skip


def test_only_elements_with_data_are_written(client, seeded):
    make_project("Viện trợ phi dự án", kind=ProjectKind.NON_PROJECT_AID)
    _, root = export(client)
    activity = activities_by_title(root)["Viện trợ phi dự án"]

    # What IATI requires, and nothing the record does not hold: non-project aid states no flow,
    # finance or aid type, and has no location or transaction.
    assert child_tags(activity) == [
        "iati-identifier", "reporting-org", "title", "description", "participating-org", "activity-status",
        "activity-date", "recipient-country", "sector",
    ]  # fmt: skip
    for element in root.iter():
        assert element.text or element.attrib or len(element), element.tag


def test_the_identifier_begins_with_the_reporting_organisations_own(client, seeded):
    ours = make_project("Dự án đã có mã IATI", code=f"{REF}-DA-2019-07")
    banks = make_project("Dự án của Ngân hàng", code="XM-DAC-44000-P123456")
    _, root = export(client)
    activities = activities_by_title(root)

    # Already one of ours: kept. The Bank's own identifier is not ours to report under.
    assert activities["Dự án đã có mã IATI"].find("iati-identifier").text == ours.code
    assert activities["Dự án của Ngân hàng"].find("iati-identifier").text == f"{REF}-{banks.pk}"


def test_reporting_organisation_comes_from_the_office_profile(client, seeded):
    profile = OfficeProfile.objects.get()
    profile.iati_org_ref, profile.iati_org_type, profile.iati_org_name = "VN-TEST-1", "10", "Cơ quan thử"
    profile.save()
    _, root = export(client)
    activity = activities_by_title(root)[WORLD_BANK_TITLE]

    assert activity.find("iati-identifier").text.startswith("VN-TEST-1-")
    assert activity.find("reporting-org").get("type") == "10"
    assert activity.find("reporting-org/narrative").text == "Cơ quan thử"


# Which projects ---------------------------------------------------------------------------------------


def identifiers(root):
    return [activity.find("iati-identifier").text for activity in root.findall("iati-activity")]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "kind=oda",
        "kind=ngo",
        "q=che",
        "status=2",
        "year=2008",
        "sector=__sector__",
        "kind=oda&q=hiv",
        "sort=title",
        "sort=value&kind=oda",
        # The list ignores a bad value (with a notice) and keeps the other filters: so does the export.
        "year=abc&kind=ngo",
    ],
)
def test_filters_select_the_same_aid_projects_as_the_list(client, rich_project, query):
    query = query.replace("__sector__", str(Sector.objects.get(code="31110").pk))
    _, root = export(client, query)
    page = client.get(f"{LIST}?{query}").context["page_obj"]
    assert not page.has_next()  # The whole list is on one page.
    listed = page.object_list

    # The same rows in the same order (the rich project's code is no IATI identifier).
    assert identifiers(root) == [f"{REF}-{p.pk}" for p in listed if p.kind != ProjectKind.FDI]


def test_filters_narrow_the_activities(client, rich_project):
    _, everything = export(client)
    _, ngo = export(client, "kind=ngo")
    _, hiv = export(client, "q=hiv")

    assert len(everything.findall("iati-activity")) == 4
    assert list(activities_by_title(ngo)) == ["Chuỗi giá trị chè bền vững"]
    assert list(activities_by_title(hiv)) == [WORLD_BANK_TITLE]


def test_a_visitors_export_leaves_out_an_unpublished_project_an_officials_includes_it(client, official_client, seeded):
    make_project("Dự án chưa công bố", published=False)

    _, visitor = export(client)
    _, official = export(official_client)

    assert "Dự án chưa công bố" not in activities_by_title(visitor)
    assert "Dự án chưa công bố" in activities_by_title(official)


def test_fdi_projects_are_never_exported(client, official_client, seeded):
    make_project("Nhà máy FDI", kind=ProjectKind.FDI)

    for who in (client, official_client):
        _, root = export(who)
        assert "Nhà máy FDI" not in activities_by_title(root)
        only_fdi = who.get(f"{URL}?kind=fdi")
        # No activity to write: a page that says so, never an empty file the schema rejects.
        assert only_fdi["Content-Type"].startswith("text/html")
        assert "Content-Disposition" not in only_fdi
        assert "chưa thể lập tệp IATI" in only_fdi.content.decode()


# Text -------------------------------------------------------------------------------------------------


def test_xml_special_characters_are_escaped_and_illegal_ones_dropped(client, seeded):
    make_project('Nước & vệ sinh <giai đoạn 2> "mới"\x0b', description="a < b && c > d")
    response = client.get(URL)
    body = b"".join(response.streaming_content)
    root = parse(body)

    activity = activities_by_title(root)['Nước & vệ sinh <giai đoạn 2> "mới"']
    assert activity.find("description/narrative").text == "a < b && c > d"
    assert "Nước &amp; vệ sinh &lt;giai đoạn 2&gt;".encode() in body
    assert b"\x0b" not in body


# Cost -------------------------------------------------------------------------------------------------


def test_export_costs_four_queries_whatever_the_number_of_projects(client, rich_project, django_assert_num_queries):
    for n in range(20):
        project = make_project(f"Dự án {n}")
        project.locations.set(LocalUnit.objects.all()[:2])
        ProjectParticipant.objects.create(
            project=project, partner=Partner.objects.get(name_en="World Bank"), role=ParticipantRole.FUNDING
        )
        Transaction.objects.create(
            project=project, kind=TransactionKind.DISBURSEMENT, date=dt.date(2020, 1, 1), amount=1
        )

    # 1 the projects with their sector, 2 participants with partner and unit,
    # 3 locations, 4 transactions with provider and receiver.
    # 0 whether any project can be written at all (an empty file is invalid).
    with django_assert_num_queries(5):
        _, root = export(client, "kind=oda")
    assert len(root.findall("iati-activity")) == 23


def test_each_chunk_of_projects_costs_three_prefetch_queries(
    client, rich_project, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(iati, "CHUNK_SIZE", 2)

    # The project query, then participants, locations and transactions for
    # each of the two chunks (2 + 2 of the 4 projects).
    with django_assert_num_queries(1 + 1 + 3 * 2):
        _, root = export(client)
    assert len(root.findall("iati-activity")) == 4


def test_an_officials_export_adds_only_the_session_and_user(official_client, seeded, django_assert_num_queries):
    # The session and the user, then the four of the export.
    with django_assert_num_queries(2 + 1 + 4):
        export(official_client)


# The link ---------------------------------------------------------------------------------------------


def test_the_project_list_links_to_the_export_with_its_filters(client, seeded):
    response = client.get(f"{LIST}?kind=oda&q=hiv")
    page = response.content.decode()

    assert 'href="/projects/iati.xml?kind=oda&amp;q=hiv"' in page
    assert "Dữ liệu viện trợ (IATI XML)" in page


def test_the_date_precision_narrative_is_vietnamese_even_in_english(client, seeded):
    response = english(client).get(URL)
    root = parse(b"".join(response.streaming_content))
    activity = activities_by_title(root)["Dự án Quỹ toàn cầu (hỗ trợ Trung tâm Y tế huyện Cao Lộc)"]

    assert activity.find("activity-date/narrative").text == "năm 2008"


def test_the_databases_blank_test_is_pythons_to_the_character(seeded):
    """The list counts the projects left out for "no description" in the database
    (common/lookups.py ``__blank``) and the file leaves them out in Python
    (str.strip()): both see the same text as blank, no-break spaces included."""
    from projects.iati_requirements import _blank

    texts = ["", " ", "\t\n\r", "\u00a0", "\u2007\u202f\u3000", "\x1c\x85", " x ", "\u200b", "a\u00a0"]
    projects = {text: make_project(f"Dự án {n}", description=text) for n, text in enumerate(texts)}
    blank = set(Project.objects.filter(description__blank=True).values_list("pk", flat=True))
    assert blank == {p.pk for text, p in projects.items() if _blank(text)}
    assert {projects[t].pk for t in ("", " ", "\u00a0", "\x1c\x85")} <= blank
    assert projects["\u200b"].pk not in blank and projects[" x "].pk not in blank
