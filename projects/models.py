"""ODA, loan, FDI and foreign-NGO projects, who takes part in them (IATI
roles), the money that moves (transactions) and the rates that turn it into
đồng."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.formatting import number
from common.pagination import keyset_indexes
from common.partial_dates import DatePrecision, check_partial_dates, format_partial_date, partial_date_constraints
from common.title_sort import TitleSortedModel, TitleSortedQuerySet
from offices.records import ProvinceRecord, range_indexes
from partners.involving import records_involving
from partners.models import LocalUnit, Partner, Sector
from register.publishable import (
    PublishableModel,
    PublishableQuerySet,
    public_only_when_approved,
    published_q,
    review_state_constraint,
    signed_in,
)
from register.versions import VersionedModel


class ProjectKind(models.TextChoices):
    ODA = "oda", _("ODA")
    LOAN = "loan", _("Concessional loan")
    FDI = "fdi", _("Foreign direct investment (FDI)")
    NGO = "ngo", _("Foreign NGO aid")
    NON_PROJECT_AID = "non_project", _("Non-project aid")


class ProjectStatus(models.IntegerChoices):
    # IATI ActivityStatus codes.
    PIPELINE = 1, _("Pipeline or identification")
    IMPLEMENTATION = 2, _("Implementation")
    FINALISATION = 3, _("Finalisation")
    CLOSED = 4, _("Closed")
    CANCELLED = 5, _("Cancelled")
    SUSPENDED = 6, _("Suspended")


class Currency(models.TextChoices):
    VND = "VND", _("Vietnamese đồng (VND)")
    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("Euro (EUR)")
    JPY = "JPY", _("Japanese yen (JPY)")
    CNY = "CNY", _("Chinese yuan (CNY)")
    KRW = "KRW", _("Korean won (KRW)")
    AUD = "AUD", _("Australian dollar (AUD)")
    GBP = "GBP", _("Pound sterling (GBP)")


class ExchangeRate(models.Model):
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    date = models.DateField(_("date"))
    vnd_per_unit = models.DecimalField(_("đồng per unit"), max_digits=18, decimal_places=4)
    source = models.CharField(_("source of the rate"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchangerate_one_per_day"),
            models.CheckConstraint(condition=models.Q(vnd_per_unit__gt=0), name="exchangerate_positive"),
            models.CheckConstraint(
                condition=models.Q(currency__in=Currency.values), name="exchangerate_currency_valid"
            ),
        ]

    def __str__(self):
        return f"1 {self.currency} = {self.vnd_per_unit:n} ₫ ({self.date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.vnd_per_unit is not None and self.vnd_per_unit <= 0:
            raise ValidationError({"vnd_per_unit": _("The rate must be greater than zero.")})


class ConvertedAmount(models.Model):
    """The đồng value of an amount, derived by the database (projects/conversion_sql.py)
    from the amount, the currency and the value date, whatever wrote the row; with
    the rate it used, or the one it refused as too old. Never set by Django: the
    fields are not editable, and save() reads back what the triggers wrote."""

    # The subclass's amount and đồng value fields.
    AMOUNT_FIELD = VND_FIELD = None

    rate_date = models.DateField(_("date of the exchange rate"), null=True, blank=True, editable=False)
    vnd_rate = models.DecimalField(
        _("đồng per unit at that rate"), max_digits=18, decimal_places=4, null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def converted_on(self):
        """The value date the conversion reads the rate for; None when unknown."""
        raise NotImplementedError

    def _save_table(self, *args, **kwargs):
        updated = super()._save_table(*args, **kwargs)
        # The triggers derived these on the way in: read them back before post_save
        # (the history records the row as stored).
        self.refresh_from_db(fields=["rate_date", "vnd_rate", self.VND_FIELD])
        return updated

    @property
    def conversion(self):
        """How the đồng value came about, for the record's pages: "" for đồng or
        no amount; "1 USD = 24.265 ₫ (02/01/2024)" when converted; otherwise why not
        (no rate on or before the value date, or the latest one too old)."""
        amount = getattr(self, self.AMOUNT_FIELD)
        if amount is None or self.currency == Currency.VND:
            return ""
        if self.rate_date is None:
            if self.converted_on is None:
                return _("Not converted: no date to take the exchange rate on.")
            return _("Not converted: no %(currency)s exchange rate on or before %(date)s.") % {
                "currency": self.currency,
                "date": f"{self.converted_on:%d/%m/%Y}",
            }
        rate = _("1 %(currency)s = %(rate)s ₫ (%(date)s)") % {
            "currency": self.currency,
            "rate": number(self.vnd_rate.normalize()),
            "date": f"{self.rate_date:%d/%m/%Y}",
        }
        if getattr(self, self.VND_FIELD) is not None:
            return rate
        return _(
            "Not converted: the latest rate, %(rate)s, is %(days)s days older than the value date %(date)s "
            "(at most %(most)s): add the rate of that time."
        ) % {
            "rate": rate,
            "days": number((self.converted_on - self.rate_date).days),
            "date": f"{self.converted_on:%d/%m/%Y}",
            "most": settings.EXCHANGE_RATE_MAX_AGE_DAYS,
        }


# The project list's default order, undated projects last: the index below and
# the list (projects/views.py) use the same expressions. (SQLite has no NULLS LAST
# in an index, so the missing date becomes the smallest one.)
LIST_NEWEST_FIRST = (
    Coalesce("actual_start", "planned_start", models.Value(date(1, 1, 1))).desc(),
    models.F("id").desc(),
)


class ProjectQuerySet(TitleSortedQuerySet, PublishableQuerySet):
    def aid(self):
        return self.filter(kind__in=[ProjectKind.ODA, ProjectKind.LOAN, ProjectKind.NGO, ProjectKind.NON_PROJECT_AID])

    def active_between(self, start, end):
        """Projects under way at some time in [start, end]: begun by ``end`` and not
        ended before ``start``. Actual dates count where known, planned ones otherwise;
        a project with no start date at all is left out, one with no end is still running."""
        begun = models.Q(actual_start__lte=end) | models.Q(actual_start__isnull=True, planned_start__lte=end)
        not_ended = (
            models.Q(actual_end__gte=start)
            | models.Q(actual_end__isnull=True, planned_end__gte=start)
            | models.Q(actual_end__isnull=True, planned_end__isnull=True)
        )
        return self.filter(begun & not_ended)

    def active_in_year(self, year):
        return self.active_between(date(year, 1, 1), date(year, 12, 31))

    def involving(self, partner, role=None):
        """Projects in which the partner or any locality under it takes part (in
        ``role`` when given): an EXISTS on the participants, so no duplicate rows."""
        participants = ProjectParticipant.objects.all()
        if role is not None:
            participants = participants.filter(role=role)
        return records_involving(self, participants, "project", partner)

    def with_partner_in_role(self, role):
        """Projects that have a foreign partner (not one of our units) in ``role``."""
        return self.filter(
            Exists(ProjectParticipant.objects.filter(project=OuterRef("pk"), role=role, partner__isnull=False))
        )

    def located_in(self, unit):
        return self.filter(Exists(Project.locations.through.objects.filter(project=OuterRef("pk"), localunit=unit)))

    @staticmethod
    def delivered_kinds():
        """The transaction types that count as delivered: everything but the commitment."""
        return [TransactionKind.DISBURSEMENT, TransactionKind.EXPENDITURE, TransactionKind.IN_KIND]

    def with_disbursed_vnd(self):
        """Adds ``disbursed_vnd``: what was delivered (disbursements, expenditure and
        in-kind support, not commitments) in đồng, and ``disbursed_unconverted``: how
        many of those transactions it leaves out, having no đồng value. Correlated
        subqueries in the same SELECT, so a page of projects costs one query and the
        row count stays exact."""
        delivered = (
            Transaction.objects.filter(project=OuterRef("pk"), kind__in=self.delivered_kinds())
            .order_by()
            .values("project")
            .annotate(total=Sum("amount_vnd"))
            .values("total")
        )
        # And how many of them that sum leaves out, not converted (no rate recent enough).
        left_out = (
            Transaction.objects.filter(project=OuterRef("pk"), kind__in=self.delivered_kinds(), amount_vnd__isnull=True)
            .order_by()
            .values("project")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            disbursed_vnd=Subquery(delivered, output_field=models.DecimalField()),
            disbursed_unconverted=Subquery(left_out, output_field=models.IntegerField()),
        )


class Project(ProvinceRecord, TitleSortedModel, PublishableModel, ConvertedAmount, VersionedModel):
    # A staff member limited to a unit works on the projects located in it.
    UNIT_SCOPE = "locations"
    SEARCH_FIELDS = ("title", "code", "description", "outputs")
    # Shown to the precision of ``date_precision`` (the detail page, start_display, the history).
    PARTIAL_DATES = ("planned_start", "planned_end", "actual_start", "actual_end")
    AMOUNT_FIELD, VND_FIELD = "committed_amount", "committed_vnd"

    kind = models.CharField(_("kind"), max_length=12, choices=ProjectKind.choices)
    code = models.CharField(_("code"), max_length=100, blank=True, help_text=_("Project code or IATI identifier."))
    title = models.CharField(_("title"), max_length=500)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True, related_name="projects"
    )
    status = models.PositiveSmallIntegerField(
        _("status"),
        choices=ProjectStatus.choices,
        null=True,
        blank=True,
        help_text=_("Blank when the source does not say."),
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    date_precision = models.CharField(
        _("precision of the dates"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    locations = models.ManyToManyField(LocalUnit, verbose_name=_("locations"), blank=True, related_name="projects")
    description = models.TextField(_("description"), blank=True)
    outputs = models.TextField(_("outputs"), blank=True, help_text=_("71 classrooms at 24 primary-school sites."))
    committed_amount = models.DecimalField(
        _("committed amount"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.VND)
    committed_vnd = models.DecimalField(
        _("committed amount in đồng"),
        max_digits=22,
        decimal_places=0,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Derived from the committed amount at the exchange rate of the start date; blank when there is no "
            "rate recent enough."
        ),
    )

    # What the project lacks to become an IATI activity whatever the day, one bit a
    # requirement of projects/iati_requirements.py; kept by database triggers
    # (projects/iati_lacks_sql.py), never written by Django (a stale value it writes
    # back is put right by the trigger), and left out of the audit trail.
    iati_lacks = models.SmallIntegerField(_("what the IATI file lacks"), default=0, editable=False)

    objects = ProjectQuerySet.as_manager()

    _history_m2m_fields = ["locations"]

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-actual_start", "-planned_start", "-pk"]
        indexes = [
            # The admin index's queue (register/review.py waiting_counts): the records in
            # review, counted from this small index whatever the table's size.
            models.Index(
                fields=["review_state"],
                condition=models.Q(review_state__in=["draft", "submitted"]),
                name="project_in_review_idx",
            ),
            # For the project lists and the report's projects by kind.
            models.Index(fields=["kind", "status"], name="project_kind_status_idx"),
            # For a province's list filtered by kind (the ODA list): its count reads this index
            # alone, where the province's index read each of the province's projects (issue 20).
            models.Index(fields=["province", "kind"], name="project_prov_kind_idx"),
            # For the dashboard's latest records: ORDER BY created_at DESC, id DESC LIMIT n.
            models.Index(fields=["-created_at", "-id"], name="project_latest_idx"),
            # For the list's default order: started (or planned to start) newest first.
            models.Index(*LIST_NEWEST_FIRST, name="project_list_newest_idx"),
            # For the totals' "and N projects not converted": the few projects with an amount and no đồng value.
            models.Index(
                fields=["currency"],
                condition=models.Q(committed_vnd__isnull=True, committed_amount__isnull=False),
                name="project_unconverted_idx",
            ),
            # For the project tally's triggers (projects/project_tally_sql.py): the projects
            # starting or ending on the days a write touches.
            # Also the list sorted by start date, oldest first (then by number), and its pages.
            models.Index(Coalesce("actual_start", "planned_start"), models.F("id"), name="project_span_start_idx"),
            # The list sorted by start date, oldest first, within one province.
            models.Index(
                models.F("province"),
                Coalesce("actual_start", "planned_start"),
                models.F("id"),
                name="project_prov_oldest_idx",
            ),
            models.Index(Coalesce("actual_end", "planned_end"), name="project_span_end_idx"),
            # For the list sorted by title (A–Z, Vietnamese order) and its cursor pages.
            models.Index(fields=["title_sort", "id"], name="project_list_title_idx"),
            # The same orders within one province (a province's users, its /p/<code>/ pages).
            models.Index(models.F("province"), *LIST_NEWEST_FIRST, name="project_prov_newest_idx"),
            models.Index(fields=["province", "title_sort", "id"], name="project_prov_title_idx"),
            # The list by committed value, largest first, everywhere and within one province.
            *keyset_indexes(
                "committed_vnd", models.DecimalField(), names=("project_list_value_idx", "project_prov_value_idx")
            ),
            # The IATI file's left-out count (projects/iati_requirements.py left_out_summary): the
            # projects lacking something, read from the index alone (PostgreSQL keeps the dates and
            # the sector beside it for today's rules).
            models.Index(
                fields=["province", "kind", "iati_lacks"],
                include=["actual_start", "actual_end", "sector"],
                condition=models.Q(iati_lacks__gt=0),
                name="project_iati_lacks_idx",
            ),
            # The same count's projects lacking nothing stored whose actual dates pass today.
            models.Index(
                Greatest(Coalesce("actual_start", "actual_end"), Coalesce("actual_end", "actual_start")),
                name="project_actual_latest_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="project_code_unique",
                # Code "unique" puts full_clean()'s message on the field, worded as Django words its own.
                violation_error_code="unique",
                violation_error_message=_("Project with this Code already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="project_planned_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_end__isnull=True)
                | models.Q(actual_start__isnull=True)
                | models.Q(actual_end__gte=models.F("actual_start")),
                name="project_actual_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(committed_amount__isnull=True) | models.Q(committed_amount__gte=0),
                name="project_committed_not_negative",
            ),
            # Derived (projects/conversion_sql.py) from an amount and a rate that cannot be negative.
            models.CheckConstraint(
                condition=models.Q(committed_vnd__isnull=True) | models.Q(committed_vnd__gte=0),
                name="project_committed_vnd_not_negative",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=ProjectKind.values), name="project_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(status__isnull=True) | models.Q(status__in=ProjectStatus.values),
                name="project_status_valid",
            ),
            models.CheckConstraint(condition=models.Q(currency__in=Currency.values), name="project_currency_valid"),
            *partial_date_constraints("project", ("planned_start", "planned_end", "actual_start", "actual_end")),
            review_state_constraint("project"),
            public_only_when_approved("project"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.pk])

    @property
    def start_display(self):
        return format_partial_date(self.actual_start or self.planned_start, self.date_precision)

    def clean(self):
        super().clean()
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end cannot be before the planned start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end cannot be before the actual start.")
        if self.committed_amount is not None and self.committed_amount < 0:
            errors["committed_amount"] = _("The amount cannot be negative.")
        if errors:
            raise ValidationError(errors)

    @property
    def converted_on(self):
        return self.actual_start or self.planned_start


class ParticipantRole(models.IntegerChoices):
    # IATI OrganisationRole codes.
    FUNDING = 1, _("Funding")
    ACCOUNTABLE = 2, _("Accountable (project owner)")
    EXTENDING = 3, _("Extending")
    IMPLEMENTING = 4, _("Implementing")


class ProjectParticipantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The participants whose partner or unit ``user`` may see: for a visitor,
        the published ones only (an unpublished partner is not named)."""
        if signed_in(user):
            return self
        return self.filter(
            models.Q(partner__isnull=True) | models.Q(partner__in=Partner.objects.filter(published_q())),
            models.Q(local_unit__isnull=True) | models.Q(local_unit__in=LocalUnit.objects.filter(published_q())),
        )


class ProjectParticipant(models.Model):
    """A Partner or one of our units, in one IATI role on a project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="participants"
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_roles",
    )
    local_unit = models.ForeignKey(
        LocalUnit,
        verbose_name=_("local unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_roles",
    )
    role = models.PositiveSmallIntegerField(_("role"), choices=ParticipantRole.choices)

    objects = ProjectParticipantQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["project", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(partner__isnull=False) & models.Q(local_unit__isnull=True))
                | (models.Q(partner__isnull=True) & models.Q(local_unit__isnull=False)),
                name="participant_exactly_one_party",
            ),
            models.CheckConstraint(condition=models.Q(role__in=ParticipantRole.values), name="participant_role_valid"),
            models.UniqueConstraint(
                fields=["project", "partner", "role"],
                condition=models.Q(partner__isnull=False),
                name="participant_partner_role_unique",
                violation_error_message=_("This partner already has this role in the project."),
            ),
            models.UniqueConstraint(
                fields=["project", "local_unit", "role"],
                condition=models.Q(local_unit__isnull=False),
                name="participant_unit_role_unique",
                violation_error_message=_("This unit already has this role in the project."),
            ),
        ]

    def __str__(self):
        return f"{self.party} ({self.get_role_display()})"

    @property
    def party(self):
        return self.partner if self.partner_id else self.local_unit

    def clean(self):
        super().clean()
        if bool(self.partner_id) == bool(self.local_unit_id):
            raise ValidationError(_("Choose either a partner or a local unit, not both and not neither."))


class TransactionKind(models.TextChoices):
    COMMITMENT = "commitment", _("Commitment")
    DISBURSEMENT = "disbursement", _("Disbursement")
    EXPENDITURE = "expenditure", _("Expenditure")
    IN_KIND = "in_kind", _("In-kind support")


class Transaction(ConvertedAmount, VersionedModel):
    # Shown to the precision of ``date_precision`` (__str__, the history).
    PARTIAL_DATES = ("date",)
    AMOUNT_FIELD, VND_FIELD = "amount", "amount_vnd"
    # Its project's province (offices.scope.records_of): an import updating a transaction
    # by its number finds only those of the importer's province.
    PROVINCE_THROUGH = "project"

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="transactions"
    )
    kind = models.CharField(_("type"), max_length=12, choices=TransactionKind.choices)
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("precision of the date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.VND)
    value_date = models.DateField(
        _("value date"),
        null=True,
        blank=True,
        help_text=_("The date of the exchange rate; the transaction date if blank."),
    )
    amount_vnd = models.DecimalField(
        _("amount in đồng"),
        max_digits=22,
        decimal_places=0,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Derived from the amount at the exchange rate of the value date; blank when there is no rate recent enough."
        ),
    )
    provider = models.ForeignKey(
        Partner,
        verbose_name=_("provided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions_provided",
    )
    receiver = models.ForeignKey(
        LocalUnit,
        verbose_name=_("receiving unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions_received",
    )
    description = models.CharField(_("description"), max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=["audit_version"])

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["project", "date", "pk"]
        indexes = [
            # For "disbursed in the period" in the report: the amounts and projects
            # come with the index entries (PostgreSQL), no table reads.
            models.Index(fields=["date", "kind"], include=["amount_vnd", "project"], name="transaction_date_kind_idx"),
            # For the totals' "and N transactions not converted": the few such rows of a period.
            models.Index(
                fields=["date"], condition=models.Q(amount_vnd__isnull=True), name="transaction_unconverted_idx"
            ),
            # For a rate's triggers (projects/conversion_sql.py): the transactions of its
            # currency valued from its date on.
            models.Index("currency", Coalesce("value_date", "date"), name="transaction_currency_value_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="transaction_amount_not_negative"),
            # Derived (projects/conversion_sql.py) from an amount and a rate that cannot be negative.
            models.CheckConstraint(
                condition=models.Q(amount_vnd__isnull=True) | models.Q(amount_vnd__gte=0),
                name="transaction_amount_vnd_not_negative",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=TransactionKind.values), name="transaction_kind_valid"),
            models.CheckConstraint(condition=models.Q(currency__in=Currency.values), name="transaction_currency_valid"),
            *partial_date_constraints("transaction", ("date",)),
        ]

    def __str__(self):
        when = format_partial_date(self.date, self.date_precision)
        return f"{self.get_kind_display()} {when}: {self.amount:n} {self.currency}"

    @property
    def converted_on(self):
        return self.value_date or self.date

    def clean(self):
        super().clean()
        check_partial_dates(self)
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("The amount cannot be negative.")})


class TransactionTally(models.Model):
    """Transactions (count and đồng) per day, month or year, kind of transaction,
    kind of project and whether the project is public: the period report sums a
    few dozen of these rows instead of a million transactions.

    Kept exact by database triggers on the transactions and the projects
    (projects/transaction_tally_sql.py), whatever wrote them; never written by
    Django. ``transaction_tally.rebuild()`` recounts it."""

    grain = models.CharField(_("grain"), max_length=1)  # d, m, y
    period = models.DateField(_("period"))  # the day, the month's first day, the year's first day
    month = models.DateField(_("month"), null=True, blank=True)  # the month of a day row, the triggers' key
    year = models.DateField(_("year"))
    # The province whose records the row counts (their code, docs/PROVINCES.md): readers narrow by it.
    province = models.CharField(_("province"), max_length=2)
    kind = models.CharField(_("type"), max_length=12)
    project_kind = models.CharField(_("kind of project"), max_length=12)
    public = models.BooleanField(_("public"))
    approved = models.BooleanField(_("approved"))
    transactions = models.IntegerField(_("transactions"))
    amount_vnd = models.DecimalField(_("amount in đồng"), max_digits=30, decimal_places=0)

    class Meta:
        verbose_name = _("transaction tally")
        verbose_name_plural = _("transaction tallies")
        indexes = [
            # The report's sums (rows of one grain within a date range), read from the index alone.
            # Twice: over every province, and led by the province (offices/records.py).
            *range_indexes("txtally", ["province", "kind", "project_kind", "public", "approved", "amount_vnd"]),
            # The triggers' recount of a month from its days.
            models.Index(fields=["grain", "month"], name="txtally_grain_month_idx"),
            # The triggers' recount of a year from its months.
            models.Index(fields=["grain", "year"], name="txtally_grain_year_idx"),
        ]

    def __str__(self):
        return f"{self.grain} {self.period} {self.project_kind} {self.kind}: {self.amount_vnd}"


class ProjectTally(models.Model):
    """Projects (count and committed amounts) by the day, month or year they start
    ('start') or end ('end'), kind, public or not and committed in USD or not:
    the period report's projects by kind read a few dozen of these rows instead
    of 200.000 projects. Grain 'x' holds the projects that end before they
    start, by start (``period``) and end (``until``); grain 'u' those with no
    start. See projects/project_tally_sql.py.

    Kept exact by database triggers on the projects, whatever wrote them; never
    written by Django. ``project_tally.rebuild()`` recounts it."""

    grain = models.CharField(_("grain"), max_length=1)  # d, m, y; x, u
    period = models.DateField(_("period"), null=True, blank=True)
    month = models.DateField(_("month"), null=True, blank=True)  # the month of a day row, the triggers' key
    year = models.DateField(_("year"), null=True, blank=True)
    until = models.DateField(_("ended on"), null=True, blank=True)
    # The province whose records the row counts (their code, docs/PROVINCES.md): readers narrow by it.
    province = models.CharField(_("province"), max_length=2)
    event = models.CharField(_("event"), max_length=5)  # start, end
    kind = models.CharField(_("kind"), max_length=12)
    public = models.BooleanField(_("public"))
    approved = models.BooleanField(_("approved"))
    usd = models.BooleanField(_("committed in USD"))
    projects = models.IntegerField(_("projects"))
    committed_vnd = models.DecimalField(_("committed amount in đồng"), max_digits=30, decimal_places=0)
    committed_amount = models.DecimalField(_("committed amount"), max_digits=30, decimal_places=2)

    class Meta:
        verbose_name = _("project tally")
        verbose_name_plural = _("project tallies")
        indexes = [
            # The report's sums (rows of one grain within a date range), read from the index alone.
            # Twice: over every province, and led by the province (offices/records.py).
            *range_indexes(
                "ptally",
                [
                    "until",
                    "province",
                    "event",
                    "kind",
                    "public",
                    "approved",
                    "usd",
                    "projects",
                    "committed_vnd",
                    "committed_amount",
                ],
            ),
            # The triggers' recount of a month from its days.
            models.Index(fields=["grain", "month"], name="ptally_grain_month_idx"),
            # The triggers' recount of a year from its months.
            models.Index(fields=["grain", "year"], name="ptally_grain_year_idx"),
        ]

    def __str__(self):
        return f"{self.grain} {self.period} {self.event} {self.kind}: {self.projects}"
