"""Every rule is kept twice: full_clean() (what forms and the admin call) puts a
clear message on the right field, and the database refuses the same row when
it is written directly, bypassing validation (update(), bulk_create(), raw
imports). Each named constraint of the models has its pair of tests here."""

import datetime
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import Agreement, AgreementUpdate, Partnership
from delegations.models import Delegation, DelegationMember
from partners.models import CooperationMechanism, LocalUnit, Partner
from projects.models import ExchangeRate, Project, ProjectParticipant, Transaction
from register.publishable import ReviewState
from sources.models import Citation, ReportedFigure, Source

RECORD_APPS = ["partners", "sources", "delegations", "agreements", "projects"]
COVERED = set()


def covers(*constraints):
    """Mark a test as the proof of these named constraints (see the last test of this file)."""
    COVERED.update(constraints)
    return lambda test: test


def d(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture(autouse=True)
def _english():
    # The messages are asserted in the source language, whatever the default is.
    with translation.override("en"):
        yield


# How the assertions read


def validation_errors(instance):
    """full_clean()'s errors by field; fails the test when there are none."""
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def assert_refused_by_validation(instance, field, message):
    errors = validation_errors(instance)
    assert field in errors, f"no error on {field!r}: {errors}"
    assert any(message in text for text in errors[field]), errors[field]


@contextmanager
def refused_by_database(constraint, sqlite_names=()):
    """The block must raise IntegrityError naming the constraint. PostgreSQL names
    every constraint; SQLite names its CHECK constraints but reports a unique
    index by its columns and a field's own CHECK by the column, so those are
    given as ``sqlite_names``. The savepoint keeps the test's transaction usable."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        yield
    message = str(caught.value)
    names = (constraint,) if connection.vendor == "postgresql" else (constraint, *sqlite_names)
    assert any(name in message for name in names), message


class _Rollback(Exception):
    pass


def database_accepts(instance):
    """Insert the row without validation, then undo it; False when the database refuses it."""
    try:
        with transaction.atomic():
            type(instance).objects.bulk_create([instance])
            raise _Rollback
    except _Rollback:
        return True
    except IntegrityError:
        return False


# A small world of valid records


@pytest.fixture
def province(db):
    return LocalUnit.objects.create(name="UBND tỉnh Lạng Sơn", kind="province", code="20")


@pytest.fixture
def cao_loc(db):
    return LocalUnit.objects.create(name="Huyện Cao Lộc", kind="district", code="180")


@pytest.fixture
def guangxi(db):
    return Partner.objects.create(name="Quảng Tây", name_en="Guangxi", kind="region", country="CN")


@pytest.fixture
def pingxiang(db):
    return Partner.objects.create(name="Bằng Tường", name_en="Pingxiang", kind="county", country="CN")


@pytest.fixture
def article(db):
    return Source.objects.create(title="Lạng Sơn: 6 tháng đầu năm 2023", published_on=d("2023-07-05"))


@pytest.fixture
def delegation(db):
    return Delegation.objects.create(title="Đoàn vào Quảng Tây", direction="in")


@pytest.fixture
def project(db):
    return Project.objects.create(kind="ngo", title="Phòng chống HIV/AIDS Cao Lộc")


@pytest.fixture
def world(province, guangxi, article, delegation, project):
    return {"province": province, "guangxi": guangxi, "article": article, "delegation": delegation, "project": project}


def valid_fields(model, world):
    """The fields of a row that every rule accepts."""
    return {
        Delegation: lambda: {
            "title": "Đoàn ra Quảng Tây",
            "direction": "out",
            "start_date": d("2024-03-04"),
            "end_date": d("2024-03-06"),
            "size": 8,
        },
        Agreement: lambda: {
            "title": "Bản ghi nhớ hợp tác với Quảng Tây",
            "kind": "mou",
            "signed_on": d("2023-05-10"),
            "effective_on": d("2023-05-10"),
            "expires_on": d("2028-05-10"),
            "mofa_opinion_requested_on": d("2023-04-01"),
            "mofa_opinion_on": d("2023-04-20"),
        },
        Partnership: lambda: {"local_unit": world["province"], "partner": world["guangxi"], "kind": "sister_city"},
        Project: lambda: {
            "kind": "oda",
            "title": "Trường học vùng biên",
            "status": 2,
            "planned_start": d("2020-01-01"),
            "planned_end": d("2022-12-31"),
            "actual_start": d("2020-03-01"),
            "actual_end": d("2023-06-30"),
            "committed_amount": Decimal("134525000"),
            "committed_vnd": Decimal("134525000"),
        },
        ProjectParticipant: lambda: {"project": world["project"], "partner": world["guangxi"], "role": 1},
        Transaction: lambda: {
            "project": world["project"],
            "kind": "disbursement",
            "date": d("2010-12-01"),
            "amount": Decimal("84248000"),
            "amount_vnd": Decimal("84248000"),
        },
        ExchangeRate: lambda: {"currency": "USD", "date": d("2024-01-02"), "vnd_per_unit": Decimal("24265")},
        ReportedFigure: lambda: {
            "indicator": "outbound_delegations",
            "value": Decimal("12"),
            "unit": "count",
            "period_start": d("2023-01-01"),
            "period_end": d("2023-06-30"),
            "scope": world["province"],
            "source": world["article"],
            "excerpt": "tổ chức 12 đoàn ra",
        },
        Citation: lambda: {
            "content_type": ContentType.objects.get_for_model(Delegation),
            "object_id": world["delegation"].pk,
            "source": world["article"],
            "excerpt": "đoàn công tác tỉnh Quảng Tây",
        },
        LocalUnit: lambda: {
            "name": "Huyện Văn Lãng",
            "kind": "district",
            "valid_from": d("1981-12-29"),
            "valid_to": d("2025-06-30"),
        },
        Partner: lambda: {
            "name": "Vân Nam",
            "kind": "region",
            "country": "CN",
            "latitude": Decimal("25.04"),
            "longitude": Decimal("102.71"),
        },
        Source: lambda: {"title": "Báo Lạng Sơn", "kind": "article"},
        CooperationMechanism: lambda: {"name": "Hội đàm định kỳ Lạng Sơn – Quảng Tây"},
    }[model]()


@pytest.mark.parametrize(
    "model",
    [Delegation, Agreement, Partnership, Project, ProjectParticipant, Transaction, ExchangeRate]
    + [ReportedFigure, Citation, LocalUnit, Partner, Source, CooperationMechanism],
    ids=lambda model: model.__name__,
)
def test_the_valid_rows_used_below_pass_validation_and_the_database(world, model):
    # The control for every refusal below: only the changed fields make the row bad.
    row = model(**valid_fields(model, world))
    row.full_clean()
    assert database_accepts(row)


# Rules on the values of one row


@dataclass
class Rule:
    constraint: str
    model: type
    bad: dict
    field: str
    message: str
    sqlite_names: tuple = field(default=())

    def __str__(self):
        return f"{self.constraint}-{'-'.join(self.bad)}"


RULES = [
    Rule(
        "delegation_end_not_before_start",
        Delegation,
        {"end_date": d("2024-03-01")},
        "end_date",
        "The end date cannot be before the start date.",
    ),
    Rule(
        "delegation_end_not_before_start",
        Delegation,
        {"start_date": None},
        "start_date",
        "Enter the start date as well as the end date.",
    ),
    Rule(
        "delegation_size_not_negative",
        Delegation,
        {"size": -1},
        "size",
        "greater than or equal to 0",
        # PositiveIntegerField brings its own CHECK on the column, which either database may report first.
        sqlite_names=("CHECK constraint failed: size",),
    ),
    Rule(
        "agreement_expiry_not_before_signing",
        Agreement,
        {"effective_on": None, "expires_on": d("2023-05-09")},
        "expires_on",
        "The expiry date cannot be before the signing date.",
    ),
    Rule(
        "agreement_expiry_not_before_effect",
        Agreement,
        {"effective_on": d("2023-07-01"), "expires_on": d("2023-06-30")},
        "expires_on",
        "The expiry date cannot be before the date it came into force.",
    ),
    Rule(
        "agreement_mofa_opinion_after_request",
        Agreement,
        {"mofa_opinion_on": d("2023-03-31")},
        "mofa_opinion_on",
        "The Ministry's opinion cannot come before it was requested.",
    ),
    Rule(
        "project_planned_end_not_before_start",
        Project,
        {"planned_end": d("2019-12-31")},
        "planned_end",
        "The planned end cannot be before the planned start.",
    ),
    Rule(
        "project_actual_end_not_before_start",
        Project,
        {"actual_end": d("2020-02-29")},
        "actual_end",
        "The actual end cannot be before the actual start.",
    ),
    Rule(
        "project_committed_not_negative",
        Project,
        {"committed_amount": Decimal("-1")},
        "committed_amount",
        "The amount cannot be negative.",
    ),
    Rule(
        "transaction_amount_not_negative",
        Transaction,
        {"amount": Decimal("-0.01")},
        "amount",
        "The amount cannot be negative.",
    ),
    Rule(
        "exchangerate_positive",
        ExchangeRate,
        {"vnd_per_unit": Decimal("0")},
        "vnd_per_unit",
        "The rate must be greater than zero.",
    ),
    Rule(
        "exchangerate_positive",
        ExchangeRate,
        {"vnd_per_unit": Decimal("-24265")},
        "vnd_per_unit",
        "The rate must be greater than zero.",
    ),
    Rule(
        "figure_value_not_negative",
        ReportedFigure,
        {"value": Decimal("-12")},
        "value",
        "The value cannot be negative.",
    ),
    Rule(
        "figure_period_in_order",
        ReportedFigure,
        {"period_end": d("2022-12-31")},
        "period_end",
        "The end of the period cannot be before its start.",
    ),
    Rule("figure_excerpt_not_blank", ReportedFigure, {"excerpt": ""}, "excerpt", "This field cannot be blank."),
    Rule("citation_excerpt_not_blank", Citation, {"excerpt": ""}, "excerpt", "This field cannot be blank."),
    Rule(
        "localunit_valid_to_after_from",
        LocalUnit,
        {"valid_to": d("1980-01-01")},
        "valid_to",
        "The end of validity cannot be before its start.",
    ),
    Rule(
        "partner_country_iso2",
        Partner,
        {"country": "C"},
        "country",
        "Enter a two-letter ISO 3166 country code, such as CN.",
    ),
    Rule(
        "partner_latitude_range",
        Partner,
        {"latitude": Decimal("90.5")},
        "latitude",
        "The latitude must be between -90 and 90.",
    ),
    Rule(
        "partner_latitude_range",
        Partner,
        {"latitude": Decimal("-91")},
        "latitude",
        "The latitude must be between -90 and 90.",
    ),
    Rule(
        "partner_iati_ref_characters",
        Partner,
        {"iati_ref": "XM-DAC 44000"},
        "iati_ref",
        "An IATI organisation identifier is a registration agency's code from IATI's list, "
        "a hyphen and the organisation's number in it, without spaces or / & | ?: XM-DAC-44000.",
    ),
    Rule(
        "partner_longitude_range",
        Partner,
        {"longitude": Decimal("180.000001")},
        "longitude",
        "The longitude must be between -180 and 180.",
    ),
]
covers(*(rule.constraint for rule in RULES))


@pytest.mark.parametrize("rule", RULES, ids=str)
def test_bad_row_is_refused_by_validation_with_a_message_on_the_field(world, rule):
    row = rule.model(**{**valid_fields(rule.model, world), **rule.bad})
    assert_refused_by_validation(row, rule.field, rule.message)


@pytest.mark.parametrize("rule", RULES, ids=str)
def test_bad_row_is_refused_by_the_database(world, rule):
    row = rule.model.objects.bulk_create([rule.model(**valid_fields(rule.model, world))])[0]
    with refused_by_database(rule.constraint, rule.sqlite_names):
        rule.model.objects.filter(pk=row.pk).update(**rule.bad)
    assert rule.model.objects.filter(pk=row.pk, **valid_fields(rule.model, world)).exists()


@pytest.mark.parametrize("rule", RULES, ids=str)
def test_bad_row_is_refused_by_the_database_on_insert(world, rule):
    rows_before = rule.model.objects.count()
    with refused_by_database(rule.constraint, rule.sqlite_names):
        rule.model.objects.bulk_create([rule.model(**{**valid_fields(rule.model, world), **rule.bad})])
    assert rule.model.objects.count() == rows_before


def test_three_letter_country_code_is_refused_by_validation_and_the_database(world):
    assert_refused_by_validation(Partner(name="Trung Quốc", kind="country", country="CHN"), "country", "at most 2")
    partner = world["guangxi"]
    # PostgreSQL's varchar(2) refuses it before the check constraint (DataError); SQLite has only the check.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Partner.objects.filter(pk=partner.pk).update(country="CHN")
    assert Partner.objects.get(pk=partner.pk).country == "CN"


def test_lower_case_country_code_is_stored_in_capitals(world):
    partner = Partner(name="Lào", kind="country", country="la")
    partner.full_clean()
    assert partner.country == "LA"


def test_delegation_without_end_date_or_any_date_is_accepted(world):
    for start in (d("2024-03-04"), None):
        row = Delegation(title="Đoàn ra", direction="out", start_date=start)
        row.full_clean()
        assert database_accepts(row)


def test_agreement_without_expiry_is_indefinite_and_accepted(world):
    row = Agreement(**{**valid_fields(Agreement, world), "expires_on": None})
    row.full_clean()
    assert database_accepts(row)


# Choices written directly must still be one of the choices


CHOICES = [
    ("partner_kind_valid", Partner, "kind", "planet"),
    ("localunit_kind_valid", LocalUnit, "kind", "kingdom"),
    ("source_kind_valid", Source, "kind", "rumour"),
    ("figure_indicator_valid", ReportedFigure, "indicator", "happiness"),
    ("figure_unit_valid", ReportedFigure, "unit", "EUR"),
    ("figure_qualifier_valid", ReportedFigure, "qualifier", "maybe"),
    ("delegation_direction_valid", Delegation, "direction", "sideways"),
    ("delegation_status_valid", Delegation, "status", "lost"),
    ("delegation_precision_valid", Delegation, "date_precision", "hour"),
    ("delegation_review_state_valid", Delegation, "review_state", "published"),
    ("delegation_stage_valid", Delegation, "stage", "flying"),
    ("agreement_kind_valid", Agreement, "kind", "treaty"),
    ("agreement_status_valid", Agreement, "status", "torn"),
    ("agreement_review_state_valid", Agreement, "review_state", "published"),
    ("partnership_kind_valid", Partnership, "kind", "rivals"),
    ("partnership_review_state_valid", Partnership, "review_state", "published"),
    ("project_kind_valid", Project, "kind", "gift"),
    ("project_status_valid", Project, "status", 9),
    ("project_currency_valid", Project, "currency", "XAU"),
    ("project_review_state_valid", Project, "review_state", "published"),
    ("partner_review_state_valid", Partner, "review_state", "published"),
    ("localunit_review_state_valid", LocalUnit, "review_state", "published"),
    ("mechanism_review_state_valid", CooperationMechanism, "review_state", "published"),
    ("source_review_state_valid", Source, "review_state", "published"),
    ("figure_review_state_valid", ReportedFigure, "review_state", "published"),
    ("participant_role_valid", ProjectParticipant, "role", 9),
    ("transaction_kind_valid", Transaction, "kind", "gift"),
    ("transaction_currency_valid", Transaction, "currency", "XAU"),
    ("exchangerate_currency_valid", ExchangeRate, "currency", "XAU"),
]
covers(*(constraint for constraint, *_ in CHOICES))


# A delegation's stage (issue 19; tests/test_delegation_stages.py walks every move of the service).
STAGE_RULES = [
    ("delegation_stage_outbound_only", {"direction": "in", "stage": "decided"}, "direction", "for outbound"),
    ("delegation_stage_inbound_only", {"stage": "agreed"}, "direction", "for inbound"),
    ("delegation_stopped_has_reason", {"stage": "postponed", "stage_reason": ""}, "stage_reason", "Give the reason"),
    ("delegation_return_not_before_start", {"returned_on": d("2024-03-03")}, "returned_on", "before the departure"),
    ("delegation_decision_not_after_start", {"decision_date": d("2024-03-05")}, "decision_date", "after the departure"),
    (
        "delegation_report_not_before_return",
        {"returned_on": d("2024-03-08"), "report_received_on": d("2024-03-07")},
        "report_received_on",
        "before the return",
    ),
    ("delegation_returned_has_date", {"stage": "returned"}, "returned_on", "the date the delegation returned"),
    (
        "delegation_report_has_date",
        {"stage": "report_received", "returned_on": d("2024-03-08")},
        "report_received_on",
        "the date the result report was received",
    ),
]
covers(*(constraint for constraint, *_ in STAGE_RULES))


@pytest.mark.parametrize(
    ("constraint", "fields", "field_name", "message"), STAGE_RULES, ids=[rule[0] for rule in STAGE_RULES]
)
def test_a_delegation_breaking_a_stage_rule_is_refused_by_validation_and_by_the_database(
    world, constraint, fields, field_name, message
):
    row = Delegation(**{**valid_fields(Delegation, world), **fields})
    assert_refused_by_validation(row, field_name, message)
    with refused_by_database(constraint):
        Delegation.objects.bulk_create([row])


@pytest.mark.parametrize(("constraint", "model", "field_name", "value"), CHOICES, ids=[c[0] for c in CHOICES])
def test_unknown_choice_is_refused_by_validation(world, constraint, model, field_name, value):
    row = model(**{**valid_fields(model, world), field_name: value})
    assert_refused_by_validation(row, field_name, "is not a valid choice")


@pytest.mark.parametrize(("constraint", "model", "field_name", "value"), CHOICES, ids=[c[0] for c in CHOICES])
def test_unknown_choice_is_refused_by_the_database(world, constraint, model, field_name, value):
    row = model.objects.bulk_create([model(**valid_fields(model, world))])[0]
    with refused_by_database(constraint):
        model.objects.filter(pk=row.pk).update(**{field_name: value})


# A date known to the month or the year is the first day of its period (common/partial_dates.py)

PARTIAL_DATES = [
    ("delegation_start_date_first_of_period", Delegation, "start_date", "date_precision"),
    ("delegation_end_date_first_of_period", Delegation, "end_date", "date_precision"),
    ("agreement_signed_on_first_of_period", Agreement, "signed_on", "date_precision"),
    ("partnership_established_on_first_of_period", Partnership, "established_on", "date_precision"),
    ("project_planned_start_first_of_period", Project, "planned_start", "date_precision"),
    ("project_planned_end_first_of_period", Project, "planned_end", "date_precision"),
    ("project_actual_start_first_of_period", Project, "actual_start", "date_precision"),
    ("project_actual_end_first_of_period", Project, "actual_end", "date_precision"),
    ("transaction_date_first_of_period", Transaction, "date", "date_precision"),
    ("mechanism_established_on_first_of_period", CooperationMechanism, "established_on", "established_precision"),
    ("figure_period_start_first_of_period", ReportedFigure, "period_start", "period_precision"),
    ("agreementupdate_date_first_of_period", AgreementUpdate, "date", "date_precision"),
]
covers(*(constraint for constraint, *_ in PARTIAL_DATES))


def partial_date_row(model, world):
    if model is AgreementUpdate:
        agreement = Agreement.objects.create(**valid_fields(Agreement, world))
        return AgreementUpdate(agreement=agreement, date=d("2011-10-01"), note="Tổng kết")
    return model(**valid_fields(model, world))


@pytest.mark.parametrize(
    ("constraint", "model", "field_name", "precision"), PARTIAL_DATES, ids=[c[0] for c in PARTIAL_DATES]
)
def test_a_month_or_a_year_is_kept_as_the_first_day_of_its_period(world, constraint, model, field_name, precision):
    # Whole periods, so that every other rule (ends after starts) still holds.
    row = partial_date_row(model, world)
    for name in model.PARTIAL_DATES:
        if name not in getattr(model, "PARTIAL_DATE_ENDS", ()):
            setattr(row, name, d("2011-10-01"))
    if model is ReportedFigure:
        row.period_end = d("2011-10-31")
    setattr(row, precision, "month")
    row.full_clean()
    assert database_accepts(row)
    # A start moved earlier, an end later: only this rule is broken (PostgreSQL names the first it meets).
    wrong = d("2011-09-30") if "start" in field_name else d("2011-10-09")
    setattr(row, field_name, wrong)
    assert_refused_by_validation(row, field_name, "1st of the month")
    setattr(row, field_name, d("2011-10-01"))
    row.save()
    with refused_by_database(constraint):
        model.objects.filter(pk=row.pk).update(**{field_name: wrong})


def test_delegation_with_unknown_direction_left_blank_is_accepted(world):
    row = Delegation(**{**valid_fields(Delegation, world), "direction": ""})
    row.full_clean()
    assert database_accepts(row)


# Records that point at themselves


@covers("partner_not_own_parent")
def test_partner_that_is_its_own_parent_is_refused(guangxi):
    guangxi.parent = guangxi
    assert_refused_by_validation(guangxi, "parent", "cannot belong to itself")
    with refused_by_database("partner_not_own_parent"):
        Partner.objects.filter(pk=guangxi.pk).update(parent=guangxi.pk)
    assert Partner.objects.get(pk=guangxi.pk).parent is None


@covers("localunit_not_own_parent")
def test_local_unit_that_is_its_own_parent_is_refused(province):
    province.parent = province
    assert_refused_by_validation(province, "parent", "A unit cannot belong to itself.")
    with refused_by_database("localunit_not_own_parent"):
        LocalUnit.objects.filter(pk=province.pk).update(parent=province.pk)


@covers("localunit_not_own_successor")
def test_local_unit_that_succeeds_itself_is_refused(cao_loc):
    cao_loc.successor = cao_loc
    assert_refused_by_validation(cao_loc, "successor", "A unit cannot succeed itself.")
    with refused_by_database("localunit_not_own_successor"):
        LocalUnit.objects.filter(pk=cao_loc.pk).update(successor=cao_loc.pk)


@covers("agreement_not_own_successor")
def test_agreement_that_supersedes_itself_is_refused(world):
    agreement = Agreement.objects.create(**valid_fields(Agreement, world))
    agreement.succeeded_by = agreement
    assert_refused_by_validation(agreement, "succeeded_by", "An agreement cannot supersede itself.")
    with refused_by_database("agreement_not_own_successor"):
        Agreement.objects.filter(pk=agreement.pk).update(succeeded_by=agreement.pk)


@covers("source_url_web_only")
@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://x.vn/a"])
def test_source_address_that_is_not_a_web_address_is_refused(world, url):
    source = Source(**{**valid_fields(Source, world), "url": url})
    assert_refused_by_validation(source, "url", "Enter a valid URL.")
    row = Source.objects.bulk_create([Source(**valid_fields(Source, world))])[0]
    with refused_by_database("source_url_web_only"):
        Source.objects.filter(pk=row.pk).update(url=url)


PUBLISHABLE = [
    ("delegation_public_only_when_approved", Delegation),
    ("agreement_public_only_when_approved", Agreement),
    ("partnership_public_only_when_approved", Partnership),
    ("project_public_only_when_approved", Project),
    # Since issue 13, what the records rest on is reviewed and published like them.
    ("partner_public_only_when_approved", Partner),
    ("localunit_public_only_when_approved", LocalUnit),
    ("mechanism_public_only_when_approved", CooperationMechanism),
    ("source_public_only_when_approved", Source),
    ("figure_public_only_when_approved", ReportedFigure),
]
covers(*(constraint for constraint, _model in PUBLISHABLE))


@pytest.mark.parametrize(("constraint", "model"), PUBLISHABLE, ids=[c for c, _m in PUBLISHABLE])
@pytest.mark.parametrize("state", [ReviewState.DRAFT, ReviewState.SUBMITTED])
def test_a_record_that_is_not_approved_cannot_be_published(world, constraint, model, state):
    row = model(**{**valid_fields(model, world), "review_state": state, "is_public": True})
    assert_refused_by_validation(row, "is_public", "Only an approved record can be published.")
    saved = model.objects.bulk_create([model(**{**valid_fields(model, world), "review_state": state})])[0]
    with refused_by_database(constraint):
        model.objects.filter(pk=saved.pk).update(is_public=True)
    model.objects.filter(pk=saved.pk).update(review_state=ReviewState.APPROVED, is_public=True)


# Unique codes: two records may not share a code, but any number may have none


@pytest.mark.parametrize(
    ("constraint", "model", "message", "sqlite_name"),
    [
        ("project_code_unique", Project, "Project with this Code already exists.", "projects_project.code"),
        (
            "agreement_code_unique",
            Agreement,
            "International agreement with this Number already exists.",
            "agreements_agreement.code",
        ),
        ("localunit_code_unique", LocalUnit, "Local unit with this Code already exists.", "partners_localunit.code"),
    ],
    ids=["project", "agreement", "local unit"],
)
def test_duplicate_code_is_refused_and_blank_codes_are_not_duplicates(world, constraint, model, message, sqlite_name):
    model.objects.create(**valid_fields(model, world), code="WB-HIV-2010")

    assert_refused_by_validation(model(**valid_fields(model, world), code="WB-HIV-2010"), "code", message)
    with refused_by_database(constraint, [sqlite_name]):
        model.objects.bulk_create([model(**valid_fields(model, world), code="WB-HIV-2010")])

    for _ in range(2):
        blank = model(**valid_fields(model, world), code="")
        blank.full_clean()
        model.objects.bulk_create([blank])
    assert model.objects.filter(code="").count() >= 2
    assert model.objects.filter(code="WB-HIV-2010").count() == 1


covers("project_code_unique", "agreement_code_unique", "localunit_code_unique")


@covers("project_committed_vnd_not_negative", "transaction_amount_vnd_not_negative")
@pytest.mark.parametrize(
    ("model", "column", "value"), [(Project, "committed_vnd", 134525000), (Transaction, "amount_vnd", 84248000)]
)
def test_negative_vnd_value_written_over_the_derivation_never_stays(world, model, column, value):
    # The đồng value is the database's to derive (projects/conversion_sql.py): SQLite's
    # check refuses the write before its trigger runs, PostgreSQL's trigger re-derives it.
    row = model.objects.create(**valid_fields(model, world))
    with suppress(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{column: -1})
    assert model.objects.values_list(column, flat=True).get(pk=row.pk) == value


@covers("exchangerate_one_per_day")
def test_second_rate_for_the_same_currency_and_day_is_refused(world):
    ExchangeRate.objects.create(currency="USD", date=d("2024-01-02"), vnd_per_unit=Decimal("24265"))
    again = ExchangeRate(currency="USD", date=d("2024-01-02"), vnd_per_unit=Decimal("24300"))
    assert_refused_by_validation(again, NON_FIELD_ERRORS, "already exists")
    with refused_by_database("exchangerate_one_per_day", ["projects_exchangerate.currency"]):
        ExchangeRate.objects.bulk_create([again])

    for other in (
        ExchangeRate(currency="EUR", date=d("2024-01-02"), vnd_per_unit=Decimal("26700")),
        ExchangeRate(currency="USD", date=d("2024-01-03"), vnd_per_unit=Decimal("24270")),
    ):
        other.full_clean()
        assert database_accepts(other)


@covers("partnership_pair_unique")
def test_same_twinning_pair_twice_is_refused(world, cao_loc, pingxiang):
    Partnership.objects.create(local_unit=cao_loc, partner=pingxiang, kind="district_pair")
    again = Partnership(local_unit=cao_loc, partner=pingxiang, kind="district_pair")
    assert_refused_by_validation(again, NON_FIELD_ERRORS, "already exists")
    with refused_by_database("partnership_pair_unique", ["agreements_partnership.local_unit_id"]):
        Partnership.objects.bulk_create([again])

    other_kind = Partnership(local_unit=cao_loc, partner=pingxiang, kind="sister_city")
    other_kind.full_clean()
    assert database_accepts(other_kind)


# Project participants: exactly one party, each role once


@covers("participant_exactly_one_party")
def test_participant_with_both_a_partner_and_a_local_unit_is_refused(world, province, guangxi, project):
    both = ProjectParticipant(project=project, partner=guangxi, local_unit=province, role=4)
    assert_refused_by_validation(both, NON_FIELD_ERRORS, "Choose either a partner or a local unit")

    row = ProjectParticipant.objects.create(project=project, partner=guangxi, role=4)
    with refused_by_database("participant_exactly_one_party"):
        ProjectParticipant.objects.filter(pk=row.pk).update(local_unit=province)
    with refused_by_database("participant_exactly_one_party"):
        ProjectParticipant.objects.bulk_create([both])


def test_participant_with_neither_a_partner_nor_a_local_unit_is_refused(world, project, guangxi):
    neither = ProjectParticipant(project=project, role=4)
    assert_refused_by_validation(neither, NON_FIELD_ERRORS, "Choose either a partner or a local unit")

    row = ProjectParticipant.objects.create(project=project, partner=guangxi, role=4)
    with refused_by_database("participant_exactly_one_party"):
        ProjectParticipant.objects.filter(pk=row.pk).update(partner=None)
    with refused_by_database("participant_exactly_one_party"):
        ProjectParticipant.objects.bulk_create([neither])


@pytest.mark.parametrize(
    ("constraint", "party", "message", "sqlite_name"),
    [
        (
            "participant_partner_role_unique",
            "guangxi",
            "This partner already has this role in the project.",
            "projects_projectparticipant.project_id",
        ),
        (
            "participant_unit_role_unique",
            "province",
            "This unit already has this role in the project.",
            "projects_projectparticipant.project_id",
        ),
    ],
    ids=["partner", "local unit"],
)
def test_same_party_in_the_same_role_twice_is_refused(world, constraint, party, message, sqlite_name):
    party_field = "partner" if party == "guangxi" else "local_unit"
    fields = {"project": world["project"], party_field: world[party], "role": 1}
    ProjectParticipant.objects.create(**fields)

    assert_refused_by_validation(ProjectParticipant(**fields), NON_FIELD_ERRORS, message)
    with refused_by_database(constraint, [sqlite_name]):
        ProjectParticipant.objects.bulk_create([ProjectParticipant(**fields)])

    other_role = ProjectParticipant(**{**fields, "role": 4})
    other_role.full_clean()
    assert database_accepts(other_role)


covers("participant_partner_role_unique", "participant_unit_role_unique")


# One head per delegation


@covers("delegationmember_one_leader")
def test_second_head_of_the_same_delegation_is_refused(world, delegation):
    DelegationMember.objects.create(delegation=delegation, name="Hoàng Văn Nghiệm", is_leader=True)

    second = DelegationMember(delegation=delegation, name="Dương Xuân Huyên", is_leader=True)
    assert_refused_by_validation(second, NON_FIELD_ERRORS, "This delegation already has a head.")
    with refused_by_database("delegationmember_one_leader", ["delegations_delegationmember.delegation_id"]):
        DelegationMember.objects.bulk_create([second])

    member = DelegationMember.objects.create(delegation=delegation, name="Dương Xuân Huyên", is_leader=False)
    with refused_by_database("delegationmember_one_leader", ["delegations_delegationmember.delegation_id"]):
        DelegationMember.objects.filter(pk=member.pk).update(is_leader=True)


def test_members_who_are_not_heads_and_heads_of_other_delegations_are_accepted(world, delegation):
    DelegationMember.objects.create(delegation=delegation, name="Hoàng Văn Nghiệm", is_leader=True)
    other = Delegation.objects.create(title="Đoàn ra Bằng Tường", direction="out")
    for member in (
        DelegationMember(delegation=delegation, name="Dương Xuân Huyên"),
        DelegationMember(delegation=delegation, name="Nguyễn Thị Hà"),
        DelegationMember(delegation=other, name="Lương Trọng Quỳnh", is_leader=True),
    ):
        member.full_clean()
        member.save()
    assert delegation.members.count() == 3
    assert DelegationMember.objects.filter(is_leader=True).count() == 2


# Any start and end date: validation and the database agree


dates = st.dates(min_value=datetime.date(1945, 1, 1), max_value=datetime.date(2100, 12, 31))
db_examples = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def passes_validation(instance):
    try:
        instance.full_clean()
    except ValidationError:
        return False
    return True


@db_examples
@given(start=dates, end=dates)
def test_delegation_dates_are_accepted_exactly_when_the_end_is_not_before_the_start(db, start, end):
    row = Delegation(title="Đoàn ra", direction="out", start_date=start, end_date=end)
    assert passes_validation(row) is (end >= start)
    assert database_accepts(row) is (end >= start)


@db_examples
@given(signed=dates, expires=dates)
def test_agreement_is_accepted_exactly_when_it_does_not_expire_before_it_is_signed(db, signed, expires):
    row = Agreement(title="Thỏa thuận", kind="agreement", signed_on=signed, expires_on=expires)
    assert passes_validation(row) is (expires >= signed)
    assert database_accepts(row) is (expires >= signed)


@db_examples
@given(start=dates, end=dates)
def test_figure_period_is_accepted_exactly_when_it_ends_after_it_starts(world, start, end):
    row = ReportedFigure(**{**valid_fields(ReportedFigure, world), "period_start": start, "period_end": end})
    assert passes_validation(row) is (end >= start)
    assert database_accepts(row) is (end >= start)


# Nothing is left out


def test_every_named_constraint_of_the_record_apps_is_proven_here():
    declared = {
        constraint.name
        for app in RECORD_APPS
        for model in apps.get_app_config(app).get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint | models.UniqueConstraint)
    }
    assert declared - COVERED == set(), "constraints without a test"
    assert COVERED - declared == set(), "tests for constraints that no longer exist"
