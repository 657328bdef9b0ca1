"""Exact pre-aggregates of the delegations, kept by database triggers (see
reports/tally_sql.py) so the dashboard and the period report read a few
hundred rows instead of a million delegations."""

from django.db import models

from offices.records import range_indexes


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
    # The province whose records the row counts (their code, docs/PROVINCES.md): readers narrow by it.
    province = models.CharField(max_length=2)
    direction = models.CharField(max_length=8)
    cancelled = models.BooleanField()
    public = models.BooleanField()
    # Approved (public or internal): what an official's report counts (reports/selectors_period.py).
    approved = models.BooleanField()
    country = models.CharField(max_length=2)
    delegations = models.IntegerField()
    persons = models.BigIntegerField()
    no_size = models.IntegerField()

    class Meta:
        indexes = [
            # The report and dashboard sums (rows of one grain within a date range), read from the index alone.
            # Twice: over every province, and led by the province (offices/records.py).
            *range_indexes(
                "tally",
                [
                    "province",
                    "direction",
                    "cancelled",
                    "public",
                    "approved",
                    "country",
                    "delegations",
                    "persons",
                    "no_size",
                ],
            ),
            # The sums of every delegation, whatever its partners (country '*', one row in twenty): the
            # national table by province and the reported figures' totals read these rows alone.
            models.Index(
                fields=["grain", "period"],
                include=[
                    "province",
                    "direction",
                    "cancelled",
                    "public",
                    "approved",
                    "delegations",
                    "persons",
                    "no_size",
                ],
                condition=models.Q(country="*"),
                name="tally_every_country_idx",
            ),
            # The triggers' recount of a month from its days.
            models.Index(fields=["grain", "month"], name="tally_grain_month_idx"),
            # The triggers' recount of a year from its months.
            models.Index(fields=["grain", "year"], name="tally_grain_year_idx"),
        ]

    def __str__(self):
        return f"{self.grain} {self.period} {self.direction} {self.country}: {self.delegations}"


class PartnerTally(models.Model):
    """For each partner, the delegations, agreements and projects that involve it
    or any partner under it, each record once: counts, the summed value (a
    delegation's persons, a project's committed đồng) and how many have no value,
    per kind of record, public or not, direction and cancelled (delegations).

    Read by the partner's dossier and the partner list in place of counting over
    a subtree (a province's 126.000 delegations). Never written by Django: only
    the triggers of reports/partner_tally_sql.py and ``rebuild_aggregates``."""

    partner_id = models.IntegerField()
    # The province whose records the row counts (their code, docs/PROVINCES.md): readers narrow by it.
    province = models.CharField(max_length=2)
    record = models.CharField(max_length=10)  # delegation, agreement, project
    public = models.BooleanField()
    direction = models.CharField(max_length=8)  # '' but for delegations
    cancelled = models.BooleanField()
    records = models.IntegerField()
    total = models.DecimalField(max_digits=30, decimal_places=0)
    missing = models.IntegerField()

    class Meta:
        constraints = [
            # The key the triggers add their differences to (ON CONFLICT); it also
            # serves the readers' lookups by partner.
            models.UniqueConstraint(
                fields=["partner_id", "record", "public", "direction", "cancelled", "province"],
                name="partner_tally_key",
            ),
        ]

    def __str__(self):
        return f"{self.partner_id} {self.record} {self.direction}: {self.records}"


class AgreementDayTally(models.Model):
    """For each partner, the agreements involving it or a partner under it that can
    be in force (signed or in force, with a signing or an effective date), counted
    on the day each takes effect ('start') and the day it expires ('end'). In force
    on a day D: the starts up to D less the ends before D, a sum over one index
    range, for the dossier's "agreements in force today". Written only by the
    triggers of reports/partner_tally_sql.py and ``rebuild_aggregates``."""

    partner_id = models.IntegerField()
    # The province whose records the row counts (their code, docs/PROVINCES.md): readers narrow by it.
    province = models.CharField(max_length=2)
    public = models.BooleanField()
    event = models.CharField(max_length=5)  # start, end
    day = models.DateField()
    records = models.IntegerField()

    class Meta:
        constraints = [
            # The triggers' ON CONFLICT key, and the range the dossier sums (partner, event, day <= D).
            models.UniqueConstraint(
                fields=["partner_id", "event", "day", "public", "province"], name="agreement_day_tally_key"
            ),
        ]

    def __str__(self):
        return f"{self.partner_id} {self.event} {self.day}: {self.records}"


# The issued periodic reports (issue 18): a model of their own package, registered with this app.
from reports.issued.models import PeriodicReport  # noqa: E402, F401
