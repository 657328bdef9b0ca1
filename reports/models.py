"""Exact pre-aggregates of the delegations, kept by database triggers (see
reports/tally_sql.py) so the dashboard and the period report read a few
hundred rows instead of a million delegations."""

from django.db import models


class DelegationTally(models.Model):
    """Delegations (count, persons, unknown sizes) per day, month or year, direction,
    cancelled or not, public or not, and partner country.

    ``country`` is an ISO code or '' (a partner with no country: the delegation
    counts once under each country among its partners), '*' (every delegation)
    or '-' (no partner with a country). Rows of grain 'd' with no period hold
    the undated delegations. Never written by Django: only the triggers and
    ``rebuild_aggregates`` write it."""

    grain = models.CharField(max_length=1)
    period = models.DateField(null=True)
    month = models.DateField(null=True)
    year = models.DateField(null=True)
    direction = models.CharField(max_length=8)
    cancelled = models.BooleanField()
    public = models.BooleanField()
    country = models.CharField(max_length=2)
    delegations = models.IntegerField()
    persons = models.BigIntegerField()
    no_size = models.IntegerField()

    class Meta:
        indexes = [
            # The report and dashboard sums (rows of one grain within a date range), read from the index alone.
            models.Index(
                fields=["grain", "period"],
                include=["direction", "cancelled", "public", "country", "delegations", "persons", "no_size"],
                name="tally_grain_period_idx",
            ),
            # The triggers' recount of a month from its days.
            models.Index(fields=["grain", "month"], name="tally_grain_month_idx"),
            # The triggers' recount of a year from its months.
            models.Index(fields=["grain", "year"], name="tally_grain_year_idx"),
        ]

    def __str__(self):
        return f"{self.grain} {self.period} {self.direction} {self.country}: {self.delegations}"
