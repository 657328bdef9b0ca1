"""Reading and checking the agreement tally (agreements.models.AgreementTally).

Its rows have the same grains as the delegation tally's (days, months, whole
years), so ``reports.tally.within(start, end)`` selects the few rows that cover
any span exactly once; reports/selectors_period.py reads them. `rebuild`
recounts everything; `differences` compares the tally with a full recount
(what the tests use)."""

from django.db import connection, transaction

from agreements import agreement_tally_sql
from agreements.models import AgreementTally


def visible_tally(user):
    """The tally rows of what ``user`` may see: officials every agreement, visitors
    the public ones (public implies approved, a database constraint)."""
    rows = AgreementTally.objects.all()
    if user is not None and user.is_authenticated and user.is_active:
        return rows
    return rows.filter(public=True)


def rebuild():
    """Recount the whole tally from the agreements (after a bulk load with the
    triggers disabled, a restore, or to repair). Call: ``agreement_tally.rebuild()``."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in agreement_tally_sql.rebuild_statements(connection.vendor):
            cursor.execute(sql)


FIELDS = ("grain", "period", "event", "level", "public")


def _snapshot():
    return {
        tuple(row[:5]): tuple(row[5:])
        for row in AgreementTally.objects.values_list(*FIELDS, "month", "year", "agreements")
    }


def differences():
    """The rows where the tally differs from a full recount, as (key, tally, recount);
    empty when the tally is exact. Runs the recount in a transaction it rolls back."""
    stored = _snapshot()
    with transaction.atomic():
        rebuild()
        recount = _snapshot()
        transaction.set_rollback(True)
    keys = sorted(set(stored) | set(recount), key=repr)
    return [(key, stored.get(key), recount.get(key)) for key in keys if stored.get(key) != recount.get(key)]
