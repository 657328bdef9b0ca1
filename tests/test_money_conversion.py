"""The đồng value of an amount is always derived from the amount, the currency,
the value date and the exchange rates, whatever wrote the row (projects/
conversion_sql.py): it follows a changed amount or currency, a rate added,
corrected or deleted later, is not taken from a rate too old for the value date,
and no total in đồng silently leaves out (or mixes in) an unconverted amount."""

import datetime as dt
import io
import json
import re
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from common.formatting import vnd_total
from common.partial_dates import PartialDate
from operations.synthetic import rows as synthetic_rows
from projects import conversion_sql, project_tally, transaction_tally
from projects.apps import install_conversion
from projects.columns import TRANSACTION_COLUMNS
from projects.models import ExchangeRate, Project, ProjectKind, Transaction, TransactionKind
from projects.resources import TransactionResource
from register.import_admin import read_csv
from register.publishable import ReviewState
from tests.conftest import PUBLISHED, english
from tests.import_files import HEADER_ROW, csv_bytes, headers, version_of

pytestmark = pytest.mark.django_db

D = dt.date
VALUED = D(2024, 3, 5)  # the transactions' default date, a few days after the rates'


def rate(currency, day, vnd_per_unit):
    return ExchangeRate.objects.create(currency=currency, date=day, vnd_per_unit=Decimal(vnd_per_unit))


def project(**fields):
    return Project.objects.create(kind=ProjectKind.ODA, title="Trạm y tế biên giới", **{**PUBLISHED, **fields})


def pay(record, amount, currency, day=VALUED, kind=TransactionKind.DISBURSEMENT, **fields):
    return Transaction.objects.create(
        project=record, kind=kind, date=day, amount=Decimal(amount), currency=currency, **fields
    )


def vnd_of(row):
    row.refresh_from_db()
    return row.amount_vnd if isinstance(row, Transaction) else row.committed_vnd


def text_of(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.fixture
def rates(db):
    rate("USD", D(2024, 3, 1), "24000")
    rate("EUR", D(2024, 3, 1), "26000")
    rate("JPY", D(2024, 3, 1), "170")


def assert_tallies_exact():
    assert transaction_tally.differences() == []
    assert project_tally.differences() == []


# --- Amount and currency -------------------------------------------------------------------------------------------


def test_changing_the_amount_re_derives_the_vnd_value(rates):
    payment = pay(project(), "1000", "USD")
    assert payment.amount_vnd == Decimal("24000000")
    payment.amount = Decimal("400000")
    payment.save()
    assert payment.amount_vnd == vnd_of(payment) == Decimal("9600000000")
    assert_tallies_exact()


def test_changing_the_currency_re_derives_the_vnd_value(rates):
    payment = pay(project(), "400000", "USD")
    payment.currency = "JPY"
    payment.save()
    # Not 9.600.000.000 ₫ (the dollar value kept): 400.000 yen at 170 ₫.
    assert vnd_of(payment) == Decimal("68000000")
    payment.currency = "VND"
    payment.save()
    assert vnd_of(payment) == Decimal("400000")
    assert (payment.rate_date, payment.vnd_rate) == (None, None)


def test_changing_the_value_date_takes_the_rate_of_that_date(rates):
    rate("USD", D(2024, 4, 1), "25000")
    payment = pay(project(), "1000", "USD")
    assert vnd_of(payment) == Decimal("24000000")
    payment.value_date = D(2024, 4, 2)
    payment.save()
    assert (vnd_of(payment), payment.rate_date) == (Decimal("25000000"), D(2024, 4, 1))


def test_a_projects_committed_value_follows_its_amount_currency_and_start(rates):
    plan = project(committed_amount=Decimal("1000000"), currency="USD", actual_start=D(2024, 3, 10))
    assert plan.committed_vnd == Decimal("24000000000")
    plan.currency = "EUR"  # 1.000.000 EUR is not kept at the dollar rate
    plan.save()
    assert vnd_of(plan) == Decimal("26000000000")
    plan.actual_start = None  # no date to take the rate on
    plan.save()
    assert vnd_of(plan) is None
    with translation.override("en"):
        assert "no date" in str(plan.conversion)
    assert_tallies_exact()


# --- Every writer ----------------------------------------------------------------------------------------------------


def test_queryset_update_and_raw_sql_re_derive(rates):
    payment = pay(project(), "1000", "USD")
    Transaction.objects.filter(pk=payment.pk).update(amount=Decimal("2000"))
    assert vnd_of(payment) == Decimal("48000000")
    Transaction.objects.filter(pk=payment.pk).update(currency="EUR")
    assert vnd_of(payment) == Decimal("52000000")
    with connection.cursor() as cursor:
        # A stale value written over the derivation does not stay.
        cursor.execute("UPDATE projects_transaction SET amount_vnd = 6900000000 WHERE id = %s", [payment.pk])
    assert vnd_of(payment) == Decimal("52000000")
    assert_tallies_exact()


def test_bulk_create_and_loaddata_derive_whatever_value_they_carry(rates, tmp_path):
    record = project()
    made = Transaction.objects.bulk_create(
        [
            Transaction(
                project=record,
                kind="disbursement",
                date=D(2024, 3, 5),
                amount=400000,
                currency="JPY",
                amount_vnd=Decimal("6900000000"),
            )
        ]  # fmt: skip
    )
    assert vnd_of(made[0]) == Decimal("68000000")
    fixture = tmp_path / "transactions.json"
    fields = {"project": record.pk, "kind": "disbursement", "date": "2024-03-06", "amount": "10",
              "currency": "EUR", "amount_vnd": "1", "date_precision": "day", "description": ""}  # fmt: skip
    fixture.write_text(json.dumps([{"model": "projects.transaction", "pk": 9001, "fields": fields}]))
    call_command("loaddata", str(fixture), verbosity=0)
    assert Transaction.objects.get(pk=9001).amount_vnd == Decimal("260000")
    assert_tallies_exact()


def management_form(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_data(response):
    """The POST the admin change page would send unchanged: its form's and its
    inline formsets' current values, management forms included."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            if value in (None, False):
                continue
            key = form.add_prefix(name)
            if isinstance(value, PartialDate):
                data[key] = field.widget.format_value(value)  # "05/03/2024", "10/2011", "2008"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is True:
                data[key] = "on"
            else:
                data[key] = str(value) if not hasattr(field.widget, "decompress") else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({formset.add_prefix(k): v for k, v in formset.management_form.initial.items()})
        for form in formset.initial_forms:
            add(form)
        data[formset.add_prefix("TOTAL_FORMS")] = str(len(formset.initial_forms))
    return data


def test_the_admin_form_re_derives_and_shows_the_rate_and_its_date(client, superuser, rates):
    client.force_login(superuser)
    record = project(review_state=ReviewState.DRAFT, is_public=False)
    payment = pay(record, "1000", "USD")
    url = reverse("admin:projects_project_change", args=[record.pk])
    page = client.get(url)
    assert "1 USD = 24.000 ₫ (01/03/2024)" in page.text
    data = form_data(page)
    index = next(k for k, v in data.items() if k.endswith("-id") and v == str(payment.pk)).rsplit("-", 1)[0]
    data[f"{index}-amount"], data[f"{index}-currency"] = "400000", "JPY"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert vnd_of(payment) == Decimal("68000000")


def test_an_import_that_changes_an_amount_re_derives_its_vnd_value(rates):
    payment = pay(project(), "1000", "USD")
    by_key = {"project_id": payment.project_id, "id": payment.pk, "kind": "Giải ngân", "date": "05/03/2024",
              "amount": "400.000", "currency": "JPY", "amount_vnd": "6.900.000.000",
              "version": version_of(Transaction, payment.pk)}  # fmt: skip
    data = csv_bytes(headers(TRANSACTION_COLUMNS), [[by_key.get(c.key, "") for c in TRANSACTION_COLUMNS]])
    with translation.override("vi"):
        result = TransactionResource().import_data(read_csv(data), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert vnd_of(payment) == Decimal("68000000")


def test_the_synthetic_generator_writes_the_values_the_database_derives(rates):
    """rows.converted mirrors the derivation for its monthly rates: the generator's
    fast load (triggers off) writes what the triggers would have written."""
    ExchangeRate.objects.all().delete()
    ExchangeRate.objects.bulk_create(
        ExchangeRate(currency=c, date=day, vnd_per_unit=r)
        for c, day, r in synthetic_rows.rate_rows()
        if day.year >= 2023
    )
    record = project()
    for currency, day in (
        ("USD", D(2024, 3, 31)),
        ("JPY", D(2025, 12, 31)),
        ("EUR", D(2026, 2, 15)),
        ("VND", D(2024, 1, 1)),
    ):
        rate_date, vnd_rate, vnd = synthetic_rows.converted(1000, currency, day, 31)
        payment = pay(record, "1000", currency, day)
        assert (payment.rate_date, payment.vnd_rate, payment.amount_vnd) == (
            rate_date,
            None if vnd_rate is None else Decimal(vnd_rate),
            None if vnd is None else Decimal(vnd),
        )


# --- Rates added, corrected, deleted -------------------------------------------------------------------------------


def test_adding_a_missing_rate_converts_the_rows_it_governs():
    record = project()
    before, governed, later_rate, other = (
        pay(record, "10", "USD", D(2024, 2, 20)),
        pay(record, "10", "USD", D(2024, 3, 5)),
        pay(record, "10", "USD", D(2024, 3, 20)),
        pay(record, "10", "EUR", D(2024, 3, 5)),
    )
    rate("USD", D(2024, 3, 15), "24500")
    assert [vnd_of(t) for t in (before, governed, later_rate, other)] == [None, None, Decimal("245000"), None]
    rate("USD", D(2024, 3, 1), "24000")
    assert [vnd_of(t) for t in (before, governed, later_rate, other)] == [
        None,  # valued before any rate
        Decimal("240000"),
        Decimal("245000"),  # still the later rate's
        None,  # another currency
    ]
    assert_tallies_exact()


def test_a_rate_with_decimals_is_shown_as_written(rates):
    ExchangeRate.objects.filter(currency="JPY").update(vnd_per_unit=Decimal("171.5"))
    payment = pay(project(), "100", "JPY")
    with translation.override("vi"):
        assert payment.conversion == "1 JPY = 171,5 ₫ (01/03/2024)"
    assert payment.amount_vnd == Decimal("17150")


def test_correcting_or_deleting_a_rate_re_derives_its_rows(rates):
    record = project(committed_amount=Decimal("100"), currency="USD", planned_start=D(2024, 3, 2))
    payment = pay(record, "1000", "USD")
    ExchangeRate.objects.filter(currency="USD").update(vnd_per_unit=Decimal("24100"))
    assert (vnd_of(payment), vnd_of(record)) == (Decimal("24100000"), Decimal("2410000"))
    corrected = ExchangeRate.objects.get(currency="USD")
    corrected.date = D(2024, 3, 6)  # moved after the value date: no longer governs it
    corrected.save()
    assert vnd_of(payment) is None
    corrected.delete()
    rate("USD", D(2024, 2, 28), "23900")
    assert vnd_of(payment) == Decimal("23900000")
    ExchangeRate.objects.filter(currency="USD").delete()
    assert (vnd_of(payment), payment.rate_date) == (None, None)
    assert_tallies_exact()


# --- Rates too old ----------------------------------------------------------------------------------------------------


def test_a_2020_rate_is_not_used_for_a_2024_transaction_and_the_record_says_which_rate_and_date(db):
    rate("USD", D(2020, 1, 2), "23000")
    record = project()
    payment = pay(record, "10000", "USD", D(2024, 3, 5))
    assert payment.amount_vnd is None
    assert (payment.rate_date, payment.vnd_rate) == (D(2020, 1, 2), Decimal("23000"))
    with translation.override("en"):
        said = str(payment.conversion)
    assert "1 USD = 23,000 ₫ (02/01/2020)" in said and "1,524 days older" in said and "05/03/2024" in said
    page = english(_client()).get(record.get_absolute_url()).content.decode()
    assert "02/01/2020" in text_of(page)


def _client():
    from django.test import Client

    return Client()


def test_a_rate_of_exactly_the_maximum_age_is_used_and_one_day_older_is_not(db, settings):
    rate("USD", D(2024, 1, 1), "24000")
    record = project()
    on_the_limit = pay(record, "1", "USD", D(2024, 2, 1))  # 31 days
    past_it = pay(record, "1", "USD", D(2024, 2, 2))  # 32 days
    assert (vnd_of(on_the_limit), vnd_of(past_it)) == (Decimal("24000"), None)


def test_the_maximum_age_is_a_setting_taken_at_migrate(db, settings):
    rate("USD", D(2020, 1, 2), "23000")
    payment = pay(project(), "10", "USD", D(2024, 3, 5))
    assert vnd_of(payment) is None
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 3650
    try:
        install_conversion(sender=None, using="default")
        assert vnd_of(payment) == Decimal("230000")
    finally:
        settings.EXCHANGE_RATE_MAX_AGE_DAYS = 31
        install_conversion(sender=None, using="default")
    assert vnd_of(payment) is None
    assert_tallies_exact()


def test_nothing_is_left_to_re_derive_after_the_triggers_did_their_work(rates):
    payment = pay(project(committed_amount=5, currency="JPY", actual_start=D(2024, 3, 3)), "7", "EUR")
    with connection.cursor() as cursor:
        for sql in conversion_sql.rederive_statements(connection.vendor, 31):
            cursor.execute(sql)
            assert cursor.rowcount == 0, sql
    assert vnd_of(payment) == Decimal("182000")


# --- Totals say what they leave out ---------------------------------------------------------------------------------


def test_a_total_names_the_unconverted_amounts_it_leaves_out():
    with translation.override("vi"):
        assert vnd_total(Decimal("134525000"), []) == "134.525.000 ₫"
        text = vnd_total(Decimal("134525000"), [("USD", 2, Decimal("10000"))])
    assert text == "134.525.000 ₫ + 2 giao dịch chưa quy đổi (USD 10.000)"


def test_the_project_page_totals_say_which_transactions_are_not_converted(client, rates):
    record = project()
    pay(record, "1000", "USD")
    pay(record, "10000", "USD", D(2023, 1, 5))  # no rate then
    with translation.override("vi"):
        page = text_of(client.get(record.get_absolute_url()).content.decode())
    assert "24.000.000 ₫ + 1 giao dịch chưa quy đổi (USD 10.000)" in page


def test_the_project_list_says_how_many_delivered_transactions_its_sum_leaves_out(client, rates):
    record = project()
    pay(record, "1000", "USD")
    pay(record, "10000", "USD", D(2023, 1, 5))
    with translation.override("vi"):
        page = text_of(client.get(reverse("projects:list")).content.decode())
    assert "24.000.000 ₫ + 1 giao dịch chưa quy đổi" in page


def test_the_period_report_and_its_files_say_which_amounts_are_not_converted(client, rates):
    plan = project(committed_amount=Decimal("1000000"), currency="EUR", actual_start=D(2019, 6, 1))
    pay(plan, "1000", "USD")
    pay(plan, "10000", "USD", D(2023, 1, 5))
    params = {"start": "2023-01-01", "end": "2024-12-31"}
    with translation.override("vi"):
        page = text_of(client.get(reverse("reports:period"), params).content.decode())
    assert "1 dự án chưa quy đổi (EUR 1.000.000)" in page
    assert "24.000.000 ₫ + 1 giao dịch chưa quy đổi (USD 10.000)" in page
    with translation.override("vi"):
        response = client.get(reverse("reports:period_xlsx"), params)
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    cells = [str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value]
    assert any("1 giao dịch chưa quy đổi (USD 10.000)" in c for c in cells)


def test_the_transactions_export_shows_the_rate_and_its_date_beside_each_value(client, db):
    rate("USD", D(2020, 1, 2), "23000")
    record = project()
    pay(record, "10000", "USD", D(2024, 3, 5))  # the 2020 rate, too old: not converted
    pay(record, "10", "USD", D(2020, 1, 20))
    response = client.get(reverse("projects:export_xlsx"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[1]
    header, *rows = [list(row) for row in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]
    with translation.override("vi"):
        names = {c.key: str(c.header) for c in TRANSACTION_COLUMNS}
    shown = [
        {
            key: dict(zip(header, row, strict=True))[names[key]]
            for key in ("amount", "amount_vnd", "rate_date", "vnd_rate")
        }
        for row in rows
    ]
    by_amount = {r["amount"]: r for r in shown}
    assert by_amount[10000]["amount_vnd"] is None
    assert by_amount[10000]["rate_date"].date() == D(2020, 1, 2) and by_amount[10000]["vnd_rate"] == 23000
    assert by_amount[10]["amount_vnd"] == 230000


def test_the_dashboard_committed_value_says_which_projects_are_not_converted(client, rates):
    today = timezone.localdate()
    rate("EUR", today.replace(day=1), "26000")
    project(committed_amount=Decimal("10"), currency="EUR", actual_start=today.replace(day=1))
    project(committed_amount=Decimal("500"), currency="GBP", actual_start=today.replace(day=1))
    with translation.override("vi"):
        page = text_of(client.get("/").content.decode())
    assert "1 dự án chưa quy đổi (GBP 500)" in page
