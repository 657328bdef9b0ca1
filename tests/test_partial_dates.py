"""Dates known to the year or the month ("2008", "tháng 10/2011"), typed the way
staff and sources write them, in one box: the admin forms, the public lists'
filters and the imports read them into the date and its precision with one
reader (common/partial_dates.py); a date that does not exist says why."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from agreements.models import Agreement
from common.partial_dates import DatePrecision, parse_partial_date, parse_period
from delegations.columns import COLUMNS as DELEGATION_COLUMNS
from delegations.models import Delegation
from delegations.resources import DelegationResource
from partners.models import LocalUnit, LocalUnitKind
from register.import_cells import EXCEL_EPOCH, widget_for
from register.publishable import ReviewState
from sources.models import ReportedFigure
from tests.conftest import english
from tests.import_files import csv_bytes, headers
from tests.test_admin import SOURCE_BODY, delegation_post, management_form
from tests.test_admin_validation import agreement_post
from tests.test_delegation_pages import LIST, listed_titles
from tests.test_imports import delegation_row, run

D, M, Y = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("2008", dt.date(2008, 1, 1), Y),
        ("năm 2008", dt.date(2008, 1, 1), Y),
        ("10/2011", dt.date(2011, 10, 1), M),
        ("tháng 10/2011", dt.date(2011, 10, 1), M),
        ("Tháng 10 / 2011", dt.date(2011, 10, 1), M),
        ("2011-10", dt.date(2011, 10, 1), M),
        ("11/6/2024", dt.date(2024, 6, 11), D),
        ("11/06/2024", dt.date(2024, 6, 11), D),
        ("2024-06-11", dt.date(2024, 6, 11), D),
        ("ngày 11/6/2024", dt.date(2024, 6, 11), D),
        ("29/02/2024", dt.date(2024, 2, 29), D),
    ],
)
def test_a_day_a_month_or_a_year_is_read_with_its_precision(text, day, precision):
    assert parse_partial_date(text) == (day, precision)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("30/02/2023", "30/02/2023 không phải là một ngày có thật (tháng 2/2023 có 28 ngày)"),
        ("29/02/2023", "29/02/2023 không phải là một ngày có thật (tháng 2/2023 có 28 ngày)"),
        ("31/04/2024", "31/04/2024 không phải là một ngày có thật (tháng 4/2024 có 30 ngày)"),
        ("13/2024", "“13/2024”: không có tháng 13; tháng chỉ từ 1 đến 12."),
        ("11/6/24", "“11/6/24”: hãy viết năm đủ bốn chữ số, ví dụ 2024."),
        ("Quý I/2024", "“Quý I/2024” là một quý"),
        ("hôm qua", "“hôm qua” không phải là ngày tháng."),
    ],
)
def test_a_date_that_does_not_exist_says_why_in_vietnamese(text, message):
    with translation.override("vi"):
        with pytest.raises(ValidationError) as refused:
            parse_partial_date(text)
        assert message in " ".join(refused.value.messages)


def test_the_real_date_message_reads_as_written_in_english():
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        parse_partial_date("30/02/2023")
    # The whole message in the language it is shown in, whenever it was raised.
    with translation.override("en"):
        assert refused.value.messages == ["30/02/2023 is not a real date (February 2023 has 28 days)"]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Quý I/2024", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("quý IV/2024", dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
        ("Q2 2024", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        ("2008", dt.date(2008, 1, 1), dt.date(2008, 12, 31)),
        ("02/2024", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("11/6/2024", dt.date(2024, 6, 11), dt.date(2024, 6, 11)),
    ],
)
def test_a_period_runs_from_its_first_to_its_last_day(text, start, end):
    assert parse_period(text) == (start, end)


# --- The admin ------------------------------------------------------------------------------------------------


def add_agreement(client, signed_on):
    with translation.override("vi"):
        # The form's old precision box, still posted at "day", no longer decides anything.
        return client.post(reverse("admin:agreements_agreement_add"), agreement_post(signed_on=signed_on))


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("2008", (dt.date(2008, 1, 1), Y), "năm 2008"),
        ("tháng 10/2011", (dt.date(2011, 10, 1), M), "tháng 10/2011"),
        ("11/6/2024", (dt.date(2024, 6, 11), D), "11/06/2024"),
    ],
)
def test_an_agreement_signed_in_a_year_or_a_month_is_saved_from_one_box(staff_client, typed, stored, shown):
    response = add_agreement(staff_client, typed)
    assert response.status_code == 302, response.text[:3000]
    agreement = Agreement.objects.get()
    assert (agreement.signed_on, agreement.date_precision) == stored
    assert agreement.signed_display == shown
    listing = staff_client.get(reverse("admin:agreements_agreement_changelist"))
    assert shown in listing.text
    form = staff_client.get(reverse("admin:agreements_agreement_change", args=[agreement.pk])).text
    assert f'name="signed_on" value="{typed if typed != "tháng 10/2011" else "10/2011"}' in form.replace(
        "11/06/2024", "11/6/2024"
    )
    assert 'name="date_precision"' not in form


def test_a_date_that_does_not_exist_is_refused_in_the_admin_and_nothing_is_saved(staff_client):
    response = add_agreement(staff_client, "30/02/2023")
    assert response.status_code == 200
    assert escape("30/02/2023 không phải là một ngày có thật (tháng 2/2023 có 28 ngày)") in response.text
    assert Agreement.objects.count() == 0


def test_dates_of_one_record_typed_to_different_precisions_are_refused(staff_client):
    data = delegation_post(start_date="10/2011", end_date="15/11/2011")
    response = english(staff_client).post(reverse("admin:delegations_delegation_add"), data)
    assert response.status_code == 200
    assert escape("but “Start date” is a month: a record keeps one precision for its dates") in response.text
    assert Delegation.objects.count() == 0


def test_a_reported_figure_for_the_years_2008_to_2012_runs_to_the_last_day_of_2012(staff_client):
    unit = LocalUnit.objects.create(name="UBND tỉnh Lạng Sơn", kind=LocalUnitKind.PROVINCE)
    data = {
        "kind": "article",
        "title": "Báo Lạng Sơn",
        "body": SOURCE_BODY,
        **management_form("reported_figures", 1),
        "reported_figures-0-indicator": "inbound_delegations",
        "reported_figures-0-qualifier": "exact",
        "reported_figures-0-value": "1",
        "reported_figures-0-unit": "count",
        "reported_figures-0-period_start": "2008",
        "reported_figures-0-period_end": "năm 2012",
        "reported_figures-0-scope": unit.pk,
        "reported_figures-0-excerpt": "Hai bên thống nhất đẩy mạnh hợp tác cửa khẩu.",
    }
    response = english(staff_client).post(reverse("admin:sources_source_add"), data)
    assert response.status_code == 302, response.text[:3000]
    figure = ReportedFigure.objects.get()
    assert (figure.period_start, figure.period_end) == (dt.date(2008, 1, 1), dt.date(2012, 12, 31))
    assert figure.period_precision == Y
    form = staff_client.get(reverse("admin:sources_reportedfigure_change", args=[figure.pk])).text
    assert 'name="period_start" value="2008"' in form and 'name="period_end" value="2012"' in form


@pytest.mark.django_db
def test_a_month_or_year_date_is_kept_on_the_first_day_of_its_period_whatever_writes_it():
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(title="Thỏa thuận", kind="other", signed_on=dt.date(2008, 5, 17), date_precision=Y)
    with pytest.raises(ValidationError) as refused:
        Agreement(title="Thỏa thuận", kind="other", signed_on=dt.date(2011, 10, 9), date_precision=M).clean()
    assert "signed_on" in refused.value.message_dict


# --- The public lists' filters --------------------------------------------------------------------------------


@pytest.fixture
def dated(db):
    """Published delegations around the edges of 2008 and of the first quarter of 2024."""
    days = [dt.date(2007, 12, 31), dt.date(2008, 1, 1), dt.date(2008, 12, 31), dt.date(2009, 1, 1)]
    days += [dt.date(2023, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 3, 31), dt.date(2024, 4, 1)]
    for day in days:
        Delegation.objects.create(
            title=f"Đoàn {day:%d-%m-%Y}", start_date=day, is_public=True, review_state=ReviewState.APPROVED
        )


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"start": "2008", "end": "2008"}, ["Đoàn 31-12-2008", "Đoàn 01-01-2008"]),
        ({"start": "2008", "end": "12/2008"}, ["Đoàn 31-12-2008", "Đoàn 01-01-2008"]),
        ({"year": "Quý I/2024"}, ["Đoàn 31-03-2024", "Đoàn 01-01-2024"]),
        ({"start": "Quý I/2024", "end": "Quý I/2024"}, ["Đoàn 31-03-2024", "Đoàn 01-01-2024"]),
        ({"end": "2007"}, ["Đoàn 31-12-2007"]),
    ],
)
def test_list_filters_take_a_year_a_month_or_a_quarter(client, dated, query, titles):
    response = client.get(LIST, query)
    assert listed_titles(response) == titles


# --- The imports ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("10/2011", (dt.date(2011, 10, 1), M)),
        ("tháng 10/2011", (dt.date(2011, 10, 1), M)),
        ("2008", (dt.date(2008, 1, 1), Y)),
        ("11/6/2024", (dt.date(2024, 6, 11), D)),
    ],
)
def test_an_imported_month_or_year_sets_the_date_and_its_precision(seeded, cell, stored):
    data = csv_bytes(headers(DELEGATION_COLUMNS), [delegation_row("Đoàn nhập", start_date=cell)])
    result = run(DelegationResource(), data)
    assert not result.has_validation_errors(), result.problems()
    delegation = Delegation.objects.get(title="Đoàn nhập")
    assert (delegation.start_date, delegation.date_precision) == stored


def test_an_exported_year_date_comes_back_as_a_year(seeded):
    # The export writes a year-only date as its first day with "Năm" beside it.
    row = delegation_row("Đoàn nhập", start_date="01/01/2008", date_precision="Năm")
    result = run(DelegationResource(), csv_bytes(headers(DELEGATION_COLUMNS), [row]))
    assert not result.has_validation_errors(), result.problems()
    delegation = Delegation.objects.get(title="Đoàn nhập")
    assert (delegation.start_date, delegation.date_precision) == (dt.date(2008, 1, 1), Y)


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"start_date": "30/02/2023"}, "30/02/2023 không phải là một ngày có thật (tháng 2/2023 có 28 ngày)"),
        ({"start_date": "10/2011", "date_precision": "Ngày"}, "hãy để trống cột này hoặc ghi “Tháng”"),
        ({"start_date": "10/2011", "end_date": "2012"}, "không cùng mức chính xác"),
    ],
)
def test_an_imported_date_that_cannot_be_kept_is_the_rows_error(seeded, cells, message):
    data = csv_bytes(headers(DELEGATION_COLUMNS), [delegation_row("Đoàn nhập", **cells)])
    result = run(DelegationResource(), data)
    assert result.has_validation_errors()
    assert message in str(result.problems())
    assert not Delegation.objects.filter(title="Đoàn nhập").exists()


@pytest.mark.parametrize(
    "cell", [dt.datetime(2011, 10, 1), dt.date(2011, 10, 1), (dt.date(2011, 10, 1) - EXCEL_EPOCH).days]
)
def test_an_excel_date_cell_stays_a_day(cell):
    column = next(c for c in DELEGATION_COLUMNS if c.key == "start_date")
    widget = widget_for(column)
    assert widget.clean(cell) == dt.date(2011, 10, 1)
    assert widget.clean("10/2011") == (dt.date(2011, 10, 1), M)
