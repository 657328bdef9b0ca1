"""``PeriodicReport``: a numbered report (Decree 30/2020/NĐ-CP form) of one
province for one period. A draft is edited in the admin; issuing stores its
figures (``snapshot``) and its files, after which it never changes (only
``is_public``). A correction is a new report that ``replaces`` the old one.

Rules the database holds (named constraints): the period's end is not before
its start; an issued report has a number, a day, a signer, a snapshot and its
issuing time; no two issued reports of a province share a symbol and number
in the same year (``issued_year`` is the year of ``day``, set on issue)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offices.records import ProvinceRecord


class ReportKind(models.TextChoices):
    QUARTERLY = "quarter", _("Quarterly report")
    HALF_YEAR = "half", _("Six-month report")
    YEARLY = "year", _("Yearly report")
    THEMATIC = "theme", _("Thematic report")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class Authority(models.TextChoices):
    """How the signer signs (Decree 30/2020/NĐ-CP, art. 13): for themselves, or for the head."""

    NONE = "", _("The head signs (GIÁM ĐỐC)")
    KT = "KT.", _("On behalf of the head (KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC)")
    TL = "TL.", _("By order of the head (TL.)")
    TUQ = "TUQ.", _("By authorisation of the head (TUQ.)")


# The narrative sections, in the order the document writes them.
SECTIONS = ("assessment", "results", "difficulties", "recommendations", "next_tasks")
ISSUED = Q(state=ReportState.ISSUED)


def default_symbol():
    from offices.profile import current_profile

    return current_profile().report_symbol


def default_place():
    from offices.profile import current_profile

    return current_profile().place


class PeriodicReportQuerySet(models.QuerySet):
    def issued(self):
        return self.filter(ISSUED)

    def shown_to(self, user):
        """The issued reports a page shows ``user``: of the province the page shows
        (offices/site_scope.py); the public ones only, unless the user may read that
        province's internal rows (its own signed-in users, a national user)."""
        from offices.site_scope import province_view

        rows, internal = province_view(self.issued(), user)
        return rows if internal else rows.filter(is_public=True)


class PeriodicReport(ProvinceRecord):
    kind = models.CharField(_("kind"), max_length=8, choices=ReportKind.choices, default=ReportKind.QUARTERLY)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    title = models.CharField(
        _("subject"),
        max_length=300,
        help_text=_("After “BÁO CÁO”: Công tác đối ngoại quý I năm 2024."),
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, help_text=_("May stay blank until issue."))
    symbol = models.CharField(_("symbol"), max_length=30, default=default_symbol, help_text=_("After “Số: …/”."))
    day = models.DateField(_("date"), null=True, blank=True, help_text=_("The date of the place-and-date line."))
    place = models.CharField(_("place"), max_length=100, default=default_place)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("“Nơi nhận”: one recipient a line."))
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    signer_title = models.CharField(
        _("signer's title"), max_length=100, blank=True, help_text=_("GIÁM ĐỐC, or PHÓ GIÁM ĐỐC under “KT.”.")
    )
    authority = models.CharField(_("signing for"), max_length=4, choices=Authority.choices, blank=True, default="")
    authority_title = models.CharField(
        _("title signed for"),
        max_length=100,
        blank=True,
        help_text=_("The head's title after KT./TL./TUQ.: GIÁM ĐỐC."),
    )
    assessment = models.TextField(_("overall assessment"), blank=True)
    results = models.TextField(_("results by area"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    next_tasks = models.TextField(_("tasks for the next period"), blank=True)

    state = models.CharField(_("state"), max_length=8, choices=ReportState.choices, default=ReportState.DRAFT)
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Visitors see an issued public report."))
    include_in_review = models.BooleanField(_("counts records still in review"), default=False, editable=False)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        editable=False,
    )
    # Set on issue (the year of ``day``): the unique number's year.
    issued_year = models.PositiveSmallIntegerField(_("year of issue"), null=True, blank=True, editable=False)
    # Dates and decimals of the content are kept as text (ISO dates, exact decimals), as JSON holds them.
    snapshot = models.JSONField(_("frozen content"), null=True, blank=True, editable=False, encoder=DjangoJSONEncoder)
    docx = models.FileField(_("DOCX file"), upload_to="issued", max_length=200, blank=True, editable=False)
    xlsx = models.FileField(_("XLSX file"), upload_to="issued", max_length=200, blank=True, editable=False)
    pdf = models.FileField(_("PDF file"), upload_to="issued", max_length=200, blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PeriodicReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="periodicreport_end_after_start"),
            models.CheckConstraint(condition=Q(number__isnull=True) | Q(number__gte=1), name="periodicreport_number"),
            models.CheckConstraint(
                condition=~ISSUED
                | (
                    Q(number__isnull=False, day__isnull=False, issued_year__isnull=False, snapshot__isnull=False)
                    & Q(issued_at__isnull=False)
                    & ~Q(signer_name="")
                    & ~Q(symbol="")
                ),
                name="periodicreport_issued_complete",
            ),
            models.CheckConstraint(condition=Q(state__in=ReportState.values), name="periodicreport_state_valid"),
            # No two issued reports of a province with one symbol and number in a year.
            models.UniqueConstraint(
                fields=["province", "symbol", "issued_year", "number"],
                condition=ISSUED,
                name="periodicreport_number_unique",
            ),
        ]
        indexes = [
            # The issued reports' list of one province, newest period first.
            models.Index(fields=["province", "state", "-start"], name="periodicreport_prov_list_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("reports:issued_detail", args=[self.pk])

    @property
    def is_issued(self):
        return self.state == ReportState.ISSUED

    @property
    def reference(self):
        """ "Số: 45/BC-SNgV", or "Số: …/BC-SNgV" while the number is not given."""
        return f"Số: {self.number or '…'}/{self.symbol}"

    def sections(self):
        return {name: getattr(self, name) for name in SECTIONS}
