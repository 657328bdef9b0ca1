"""Aid projects as IATI 2.03 activity XML, for the Ministry and the donors.

The file holds one ``iati-activity`` per aid project the viewer may see and the
project list's filters select: ODA, concessional loans, foreign-NGO aid and
non-project aid (``ProjectQuerySet.aid()``: aid given outside a project is
still aid, and IATI has room for it). FDI is investment, not aid, and is left
out whatever the filters say.

The reporting organisation is the province's Department of Foreign Affairs
(the office profile's, offices/models.py), a body on the receiving side of the aid.
Children are written in the order of the 2.03 schema's ``xsd:sequence``, and an
element is written only when the register holds its data. A project lacking
what the schema or IATI's standard ruleset requires (projects/iati_requirements.py)
is left out, never written broken nor filled with made-up values; a transaction
dated after today is left out (IATI transactions are money that has moved).
Every code written is drawn from the vendored codelists (projects/iati_standard/).

The response streams: projects arrive in chunks of ``CHUNK_SIZE`` from one
query, each chunk with its participants, locations and transactions prefetched
(three queries per chunk), so memory stays flat and no query runs per project.
"""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from xml.sax.saxutils import quoteattr

from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.partial_dates import DatePrecision, format_partial_date
from common.text import fold
from offices.site_scope import shown_profile
from partners.models import LocalUnit, LocalUnitKind, PartnerKind
from projects.filters import ProjectFilter
from projects.iati_requirements import export_cutoff, left_out_summary, shortfalls, writable_q
from projects.iati_standard import codes
from projects.models import Project, ProjectKind, ProjectParticipant, Transaction, TransactionKind
from projects.views import ListPage
from register.publishable import shown_to

IATI_VERSION = "2.03"
CHUNK_SIZE = 500
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The register records what partners give our units (provider: a Partner,
# receiver: a LocalUnit), and the reporting organisation sits on that receiving
# side. IATI words such flows from the recipient's seat: a promise is an
# Incoming Commitment (11, "reported by a recipient"), money received is
# Incoming Funds (1). Writing them as the donor's Outgoing Commitment (2) or
# Disbursement (3) would count the money twice beside the donor's own file.
# In-kind support has no IATI type of its own: the World Bank's medicines for
# the Cao Lộc health centre are stored as two in-kind transactions valued in
# đồng, from the Bank to the centre, i.e. value received for the activity, so
# Incoming Funds (1) with their description saying what the goods were.
# Expenditure is money spent on goods and services for the activity (4).
TRANSACTION_TYPES = {
    TransactionKind.COMMITMENT: "11",
    TransactionKind.DISBURSEMENT: "1",
    TransactionKind.IN_KIND: "1",
    TransactionKind.EXPENDITURE: "4",
}

# IATI FlowType: ODA grants and concessional loans are ODA (10); what foreign
# NGOs give is private development finance (30). Non-project aid may come from
# either, so it states none.
FLOW_TYPES = {ProjectKind.ODA: "10", ProjectKind.LOAN: "10", ProjectKind.NGO: "30"}

# IATI FinanceType, where the kind says it: what foreign NGOs give is
# non-refundable aid by Vietnamese law (a standard grant, 110); a concessional
# loan is a loan (421). ODA may be a grant or a loan, and non-project aid either
# ODA or NGO aid: they state none.
FINANCE_TYPES = {ProjectKind.LOAN: "421", ProjectKind.NGO: "110"}
# IATI AidType (DAC, vocabulary 1): ODA, loan and NGO records are projects
# (C01, project-type interventions); non-project aid is not, and its kind
# (budget support, goods, relief) is not recorded.
AID_TYPES = {ProjectKind.ODA: "C01", ProjectKind.LOAN: "C01", ProjectKind.NGO: "C01"}

# IATI OrganisationType, where a partner's kind says it: 10 government,
# 11 local (sub-national) government, 15 other public sector, 21 international
# NGO, 40 multilateral, 70 private sector. "Other" kinds state no type.
PARTNER_TYPES = {
    PartnerKind.COUNTRY: "10",
    PartnerKind.GOVERNMENT_BODY: "10",
    PartnerKind.EMBASSY: "10",
    PartnerKind.BORDER_POST: "10",
    PartnerKind.VN_CENTRAL_BODY: "10",
    PartnerKind.REGION: "11",
    PartnerKind.PREFECTURE_CITY: "11",
    PartnerKind.COUNTY: "11",
    PartnerKind.TOWN: "11",
    PartnerKind.VILLAGE: "11",
    PartnerKind.VN_PROVINCE: "11",
    PartnerKind.INTERNATIONAL_ORG: "40",
    PartnerKind.BANK: "40",
    PartnerKind.NGO: "21",
    PartnerKind.COMPANY: "70",
}
# Our own units: the province's bodies are local government; border guards
# belong to the national army; public service units (a health centre) are
# other public sector. Party committees and "other" state no type.
UNIT_TYPES = {
    LocalUnitKind.PROVINCE: "11",
    LocalUnitKind.COUNCIL: "11",
    LocalUnitKind.DEPARTMENT: "11",
    LocalUnitKind.DISTRICT: "11",
    LocalUnitKind.CITY: "11",
    LocalUnitKind.COMMUNE: "11",
    LocalUnitKind.TOWN: "11",
    LocalUnitKind.VILLAGE: "11",
    LocalUnitKind.BORDER_GATE: "11",
    LocalUnitKind.ECONOMIC_ZONE: "11",
    LocalUnitKind.BORDER_GUARD_POST: "10",
    LocalUnitKind.PUBLIC_SERVICE: "15",
}
# IATI LocationClass: 1 administrative region, 2 populated place, 3 structure.
LOCATION_CLASSES = {
    LocalUnitKind.PROVINCE: "1",
    LocalUnitKind.DISTRICT: "1",
    LocalUnitKind.CITY: "1",
    LocalUnitKind.COMMUNE: "1",
    LocalUnitKind.TOWN: "1",
    LocalUnitKind.ECONOMIC_ZONE: "1",
    LocalUnitKind.VILLAGE: "2",
    LocalUnitKind.BORDER_GATE: "3",
    LocalUnitKind.BORDER_GUARD_POST: "3",
    LocalUnitKind.PUBLIC_SERVICE: "3",
}

# An IATI identifier is the reporting organisation's identifier, a hyphen and
# the activity's own reference. IATI forbids spaces, "/", "&", "|" and "?" in it.
IATI_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
# Characters XML 1.0 cannot carry at all (text pasted from Word brings some).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def reporting_org(user=None):
    """{"ref", "type", "name"} of the office whose records the file holds: the province the
    page shows ``user`` (offices/site_scope.py), from the cached profiles: no query once read."""
    return shown_profile(user).iati_reporting_org()


def file_name(org_ref):
    """'VN-COA-04-SNGV-activities.xml': the reporter's identifier first, as IATI's registry names files."""
    return f"{re.sub(r'[^A-Za-z0-9._-]', '-', org_ref)}-activities.xml"


def activity_identifier(project, org_ref):
    """The project's code when it already is one of the reporting organisation's
    IATI identifiers (``<org ref>-...``), else ``<org ref>-<pk>``: IATI's ruleset
    wants every activity identifier to begin with the reporter's own."""
    code = project.code.strip()
    prefix = f"{org_ref}-"
    if code.startswith(prefix) and IATI_REFERENCE.match(code[len(prefix) :]):
        return code
    return f"{prefix}{project.pk}"


def sector_codes(code):
    """(vocabulary, code) of a sector code: a DAC 5-digit purpose code is vocabulary 1;
    a DAC 3-digit category is vocabulary 2 ("121"), also when stored with two
    zeros ("12100" is written "121"); any other is the register's own (99).
    "11000" (Education) and "12000" (Health) are the CRS's group headings, in
    neither list (IATI's categories split them: 111-114, 121-123): they are the
    register's own, with their names, rather than a narrower code the record
    does not state."""
    code = code.strip()
    if code in codes("Sector"):
        return "1", code
    category = code[:3] if len(code) == 5 and code.endswith("00") else code
    if category in codes("SectorCategory"):
        return "2", category
    return "99", code


def _clean(text):
    return XML_ILLEGAL.sub("", str(text)).strip()


def _sub(parent, tag, attrs=None, text=None):
    """A child element; attributes whose value is empty are left out."""
    element = ET.SubElement(parent, tag, {k: str(v) for k, v in (attrs or {}).items() if v not in (None, "")})
    if text is not None:
        element.text = _clean(text)
    return element


def _narrative(parent, text, lang=None):
    if _clean(text or ""):
        _sub(parent, "narrative", {XML_LANG: lang}, text)


def _names(parent, name, name_en=""):
    """The Vietnamese name (the activity's default language), and the English one when it differs."""
    _narrative(parent, name)
    if name_en and name_en.strip() != name.strip():
        _narrative(parent, name_en, "en")


def _amount(value):
    """84248000.00 -> "84248000": a plain decimal without exponent or separators."""
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class ActivityWriter:
    """Builds one ``iati-activity`` element per project. The project must come
    with ``sector`` selected and ``participants`` (with partner and local unit),
    ``locations`` and ``transactions`` (with provider and receiver) prefetched:
    nothing here runs a query. A transaction's provider or receiver that the
    viewer (``user``, when given) may not see is left out of it.

    ``activity()`` returns None for a project that cannot be a valid activity;
    ``left_out`` then holds (project id, [reasons]), and ``future_transactions``
    counts the transactions dated after ``day`` (today) that were not written."""

    def __init__(self, org=None, user=None, day=None):
        self.org = org or reporting_org()
        self.user = user
        self.day = day or export_cutoff()
        self._org_name = fold(self.org["name"])
        self._identifiers = set()
        self.left_out = []
        self.future_transactions = 0

    def shown(self, obj):
        return self.user is None or shown_to(self.user, obj) is not None

    def org_ref(self, name):
        """Our units carry no IATI identifier, except the reporting organisation itself."""
        return self.org["ref"] if fold(name) == self._org_name else ""

    def party(self, parent, tag, attrs, partner=None, unit=None):
        if partner is not None:
            attrs = {"ref": partner.iati_ref, "type": PARTNER_TYPES.get(partner.kind), **attrs}
            element = _sub(parent, tag, attrs)
            _names(element, partner.name, partner.name_en)
        else:
            attrs = {"ref": self.org_ref(unit.name), "type": UNIT_TYPES.get(unit.kind), **attrs}
            element = _sub(parent, tag, attrs)
            _names(element, unit.name, unit.name_en)
        return element

    def activity(self, project):
        participants = list(project.participants.all())
        reasons = shortfalls(project, participants, self.day)
        identifier = activity_identifier(project, self.org["ref"])
        if identifier in self._identifiers:
            reasons.append(_("identifier already used by another project"))
        if reasons:
            self.left_out.append((project.pk, reasons))  # not the project: the stream's memory stays flat
            return None
        self._identifiers.add(identifier)
        return self.build(project, identifier, participants)

    def build(self, project, identifier, participants):
        org = self.org
        activity = ET.Element(
            "iati-activity",
            {
                "last-updated-datetime": project.updated_at.isoformat(timespec="seconds"),
                XML_LANG: "vi",
                "default-currency": project.currency,
            },
        )
        _sub(activity, "iati-identifier", text=identifier)
        _narrative(_sub(activity, "reporting-org", {"ref": org["ref"], "type": org["type"]}), org["name"])
        _narrative(_sub(activity, "title"), project.title, "vi")
        for kind, text in (("1", project.description), ("4", project.outputs)):
            if _clean(text):
                _narrative(_sub(activity, "description", {"type": kind}), text)
        for participant in participants:
            self.party(
                activity,
                "participating-org",
                {"role": participant.role},
                partner=participant.partner,
                unit=participant.local_unit,
            )
        _sub(activity, "activity-status", {"code": project.status})
        self.dates(activity, project)
        _sub(activity, "recipient-country", {"code": "VN"})
        for unit in project.locations.all():
            location = _sub(activity, "location", {"ref": unit.code})
            _names(_sub(location, "name"), unit.name, unit.name_en)
            if unit.kind in LOCATION_CLASSES:
                _sub(location, "location-class", {"code": LOCATION_CLASSES[unit.kind]})
        self.sector(activity, project.sector)
        if project.kind in FLOW_TYPES:
            _sub(activity, "default-flow-type", {"code": FLOW_TYPES[project.kind]})
        if project.kind in FINANCE_TYPES:
            _sub(activity, "default-finance-type", {"code": FINANCE_TYPES[project.kind]})
        if project.kind in AID_TYPES:
            _sub(activity, "default-aid-type", {"code": AID_TYPES[project.kind], "vocabulary": "1"})
        for transaction in project.transactions.all():
            if max(transaction.date, transaction.value_date or transaction.date) > self.day:
                self.future_transactions += 1
                continue
            self.transaction(activity, transaction)
        return activity

    def dates(self, activity, project):
        """Types 1-4: planned start, actual start, planned end, actual end. IATI wants a
        full date; a year or a month the source gave alone also goes in words."""
        for code, value in (
            ("1", project.planned_start),
            ("2", project.actual_start),
            ("3", project.planned_end),
            ("4", project.actual_end),
        ):
            if value is None:
                continue
            element = _sub(activity, "activity-date", {"type": code, "iso-date": value.isoformat()})
            if project.date_precision != DatePrecision.DAY:
                # The stream outlives the request's language: the words are the file's Vietnamese.
                with translation.override("vi"):
                    _narrative(element, format_partial_date(value, project.date_precision))

    def sector(self, activity, sector):
        """The DAC code in its vocabulary (``sector_codes``); the register's own (99) says its name."""
        vocabulary, code = sector_codes(sector.code)
        element = _sub(activity, "sector", {"vocabulary": vocabulary, "code": code})
        if vocabulary == "99":
            _names(element, sector.name, sector.name_en)

    def transaction(self, activity, transaction):
        element = _sub(activity, "transaction", {"ref": transaction.pk})
        _sub(element, "transaction-type", {"code": TRANSACTION_TYPES[transaction.kind]})
        _sub(element, "transaction-date", {"iso-date": transaction.date.isoformat()})
        value_date = transaction.value_date or transaction.date
        _sub(
            element,
            "value",
            {"currency": transaction.currency, "value-date": value_date.isoformat()},
            _amount(transaction.amount),
        )
        if _clean(transaction.description):
            _narrative(_sub(element, "description"), transaction.description)
        if transaction.provider_id and self.shown(transaction.provider):
            self.party(element, "provider-org", {}, partner=transaction.provider)
        if transaction.receiver_id and self.shown(transaction.receiver):
            self.party(element, "receiver-org", {}, unit=transaction.receiver)
        return element


def aid_projects_for_export(queryset, user=None):
    """Aid projects only, with everything ``ActivityWriter`` reads: the project
    query (with the sector) and three prefetches per chunk of projects; the
    participants and locations ``user`` may see, when given."""
    participants = ProjectParticipant.objects.select_related("partner", "local_unit").order_by("role", "pk")
    locations = LocalUnit.objects.order_by("name")
    if user is not None:
        participants, locations = participants.visible_to(user), locations.visible_to(user)
    transactions = Transaction.objects.select_related("provider", "receiver").order_by("date", "pk")
    return (
        queryset.aid()
        .select_related("sector")
        .prefetch_related(
            Prefetch("participants", queryset=participants),
            Prefetch("locations", queryset=locations),
            Prefetch("transactions", queryset=transactions),
        )
    )


def iati_xml_chunks(projects, org=None, generated=None, user=None, writer=None):
    """The document as a stream of text pieces: the root's opening tag, one
    serialised activity per project that can be one, the closing tag. Pass
    ``writer`` to read what it left out once the stream is consumed."""
    generated = generated or timezone.now()
    writer = writer or ActivityWriter(org, user)
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<iati-activities version={quoteattr(IATI_VERSION)}"
        f" generated-datetime={quoteattr(generated.isoformat(timespec='seconds'))}>\n"
    )
    for project in projects:
        activity = writer.activity(project)
        if activity is not None:
            yield ET.tostring(activity, encoding="unicode") + "\n"
    yield "</iati-activities>\n"


def filtered_projects(request):
    """The project list's rows for this viewer and query string, in the list's
    order: the same FilterSet over the same visible rows. A filter value the
    list would ignore (with a notice) is ignored here too."""
    base = Project.objects.visible_to(request.user).annotate(start_on=Coalesce("actual_start", "planned_start"))
    filterset = ProjectFilter(request.GET or None, queryset=base, request=request)
    sort = request.GET.get("sort", "")
    if sort not in ListPage.sort_options:
        sort = ListPage.default_sort
    return filterset.qs.order_by(*ListPage.sort_options[sort][1])


def left_out(request):
    """GET /projects/iati/left-out/?<the list's filters>: how many of the listed aid
    projects the IATI file leaves out, and why; for staff, as on a short list (a
    long one links here instead of counting on every page)."""
    if not request.user.is_authenticated:
        raise Http404
    total, reasons = left_out_summary(filtered_projects(request))
    return render(request, "projects/iati_left_out.html", {"left_out": total, "reasons": reasons})


def activities_xml(request):
    """GET /projects/iati.xml?<the list's filters>: the aid projects among the
    list's rows as an IATI 2.03 activity file."""
    rows = filtered_projects(request)
    if not rows.aid().filter(writable_q()).exists():
        # The schema wants at least one activity: an empty file would be rejected by
        # every IATI validator, so the viewer gets a page that says why instead.
        total, reasons = left_out_summary(rows) if request.user.is_authenticated else (0, [])
        return render(request, "projects/iati_none.html", {"left_out": total, "reasons": reasons})
    projects = aid_projects_for_export(rows, request.user).iterator(chunk_size=CHUNK_SIZE)
    # Read now: the stream is written after the request's province (its URL prefix) is let go.
    org = reporting_org(request.user)
    chunks = (piece.encode("utf-8") for piece in iati_xml_chunks(projects, org=org, user=request.user))
    response = StreamingHttpResponse(chunks, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(org["ref"])}"'
    return response
