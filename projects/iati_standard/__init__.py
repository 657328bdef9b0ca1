"""The IATI 2.03 standard, vendored (see README.md here for the sources and
commits), and the checks the register's activity file must pass:

- ``codes(name)``: the active codes of one of the vendored codelists, which
  the writer (projects/iati.py) draws its values from;
- ``schema_errors(document)``: the official ``iati-activities-schema.xsd``;
- ``ruleset_failures(document)``: IATI's standard ruleset
  (``ruleset-standard.json``), read and interpreted rule by rule (projects/
  iati_ruleset.py), not copied into code;
- ``codelist_errors(document)``: every coded value the writer emits is in its
  codelist.

``check(xml_bytes)`` runs all of them. Nothing here reads the network: a fresh
clone validates offline.

Copied unchanged from ../shared/standards/iati-2.03 (README.md here names the
repositories and commits): the three XSDs, the ruleset, the licences, and the
codelists of the values the writer emits (CODED below) plus
OrganisationRegistrationAgency, whose codes start every organisation identifier.
"""

from functools import cache
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
CODELISTS = HERE / "codelists"
SCHEMA = HERE / "iati-activities-schema.xsd"
RULESET = HERE / "ruleset-standard.json"


@cache
def codes(name):
    """The codes of codelist ``name`` that are not withdrawn."""
    root = etree.parse(str(CODELISTS / f"{name}.xml")).getroot()  # our own vendored file
    return frozenset(
        item.findtext("code").strip()
        for item in root.iter("codelist-item")
        if item.get("status", "active") != "withdrawn"
    )


@cache
def code_names(name):
    """Code -> English name of each code of codelist ``name`` that is not withdrawn."""
    root = etree.parse(str(CODELISTS / f"{name}.xml")).getroot()  # our own vendored file
    return {
        item.findtext("code").strip(): item.findtext("name/narrative").strip()
        for item in root.iter("codelist-item")
        if item.get("status", "active") != "withdrawn"
    }


def valid_organisation_identifier(text):
    """An IATI organisation identifier: a registration agency's code from the
    vendored list ("XM-DAC", "VN-COA"), a hyphen and the organisation's own
    code, without spaces or the characters IATI forbids (/ & | ?)."""
    parts = text.split("-")
    return (
        len(parts) >= 3
        and "-".join(parts[:2]) in codes("OrganisationRegistrationAgency")
        and all(parts[2:])
        and not any(c.isspace() or c in "/&|?" for c in text)
    )


@cache
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def schema_errors(document):
    """The XSD's complaints about ``document`` (an lxml tree), one string each."""
    validator = schema()
    if validator.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in validator.error_log]


# Which codelist each coded value the writer emits must belong to: (XPath from
# an activity, codelist). Sectors depend on their vocabulary (1: 5-digit DAC
# purpose codes, 2: 3-digit DAC categories; 99, the reporting organisation's
# own, has no list).
CODED = (
    ("@default-currency", "Currency"),
    ("@xml:lang", "Language"),
    ("descendant::narrative/@xml:lang", "Language"),
    ("reporting-org/@type", "OrganisationType"),
    ("description/@type", "DescriptionType"),
    ("participating-org/@role", "OrganisationRole"),
    ("participating-org/@type", "OrganisationType"),
    ("activity-status/@code", "ActivityStatus"),
    ("activity-date/@type", "ActivityDateType"),
    ("recipient-country/@code", "Country"),
    ("location/location-class/@code", "GeographicLocationClass"),
    ("sector/@vocabulary", "SectorVocabulary"),
    ("sector[@vocabulary='1']/@code", "Sector"),
    ("sector[@vocabulary='2']/@code", "SectorCategory"),
    ("default-flow-type/@code", "FlowType"),
    ("default-finance-type/@code", "FinanceType"),
    ("default-aid-type/@vocabulary", "AidTypeVocabulary"),
    ("default-aid-type[@vocabulary='1']/@code", "AidType"),
    ("transaction/transaction-type/@code", "TransactionType"),
    ("transaction/value/@currency", "Currency"),
    ("transaction/provider-org/@type", "OrganisationType"),
    ("transaction/receiver-org/@type", "OrganisationType"),
)


def codelist_errors(document):
    errors = []
    for activity in document.getroot().iterfind("iati-activity"):
        identifier = activity.findtext("iati-identifier")
        for path, codelist in CODED:
            for value in activity.xpath(path):
                if str(value) not in codes(codelist):
                    errors.append(f"{identifier}: {path} = {value!r} is not in the {codelist} codelist")
        unknown_sectors = activity.xpath("sector[not(@vocabulary) or @vocabulary='' ]")
        errors.extend(f"{identifier}: a sector without vocabulary" for _ in unknown_sectors)
    return errors


def ruleset_failures(document):
    """The ruleset's failed cases, errors and warnings alike, and duplicate identifiers."""
    from projects.iati_ruleset import duplicate_identifiers, failures

    return failures(document) + duplicate_identifiers(document)


def check(xml_bytes):
    """(schema errors, ruleset failures, codelist errors) of an activity file."""
    document = etree.fromstring(xml_bytes, etree.XMLParser(resolve_entities=False, no_network=True)).getroottree()
    return schema_errors(document), ruleset_failures(document), codelist_errors(document)
