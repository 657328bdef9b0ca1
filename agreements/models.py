"""International agreements (Law on International Agreements 2020, ODA and
NGO aid agreements), their implementation notes, and twinning pairs."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.files import validate_pdf
from common.pagination import keyset_index, keyset_indexes
from common.partial_dates import DatePrecision, check_partial_dates, format_partial_date, partial_date_constraints
from common.storage import generated_upload_path
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
)
from register.versions import VersionedModel


class AgreementKind(models.TextChoices):
    # The names of Article 6 of the Law on International Agreements 2020, then the others.
    AGREEMENT = "agreement", _("Agreement (thỏa thuận)")
    MOU = "mou", _("Memorandum of understanding (bản ghi nhớ)")
    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent (ý định thư)")
    MINUTES = "minutes", _("Minutes of talks (biên bản trao đổi, hội đàm)")
    PROGRAMME = "programme", _("Cooperation programme or plan")
    TWINNING = "twinning", _("Twinning agreement")
    ODA_LOAN = "oda_loan", _("ODA or loan agreement")
    NGO_AID = "ngo_aid", _("Foreign NGO aid agreement")
    OTHER = "other", _("Other")


class Regime(models.TextChoices):
    LAW_2020 = "law_70_2020", _("International agreements (Law 70/2020/QH14; before 2021, Ordinance 33/2007)")
    ODA = "oda", _("ODA and concessional loans")
    NGO_AID = "ngo_aid", _("Foreign non-governmental aid")
    OTHER = "other", _("Other")


class SigningLevel(models.TextChoices):
    PROVINCIAL_COUNCIL = "provincial_council", _("Provincial People's Council")
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Provincial department")
    DISTRICT = "district", _("District People's Committee")
    BORDER_COMMUNE = "border_commune", _("Border commune")
    BORDER_POST = "border_post", _("Border-guard post")


class AgreementStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("Under negotiation")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    SUPERSEDED = "superseded", _("Superseded")


def _document_upload(instance, filename):
    return generated_upload_path("agreements", filename, extension=".pdf")


class AgreementQuerySet(TitleSortedQuerySet, PublishableQuerySet):
    def signed_between(self, start, end):
        return self.filter(signed_on__gte=start, signed_on__lte=end)

    def involving(self, partner):
        """Agreements with ``partner`` or any locality under it among their partners
        (Guangxi includes the Cao Lộc–Bằng Tường MoU): one EXISTS on the link table."""
        return records_involving(self, self.model.partners.through.objects.all(), "agreement", partner)

    def in_country(self, code):
        """Agreements with at least one partner in the country (ISO 3166 code)."""
        links = self.model.partners.through.objects.filter(agreement=OuterRef("pk"), partner__country=code.upper())
        return self.filter(Exists(links))

    def in_force_on(self, date):
        """Agreements binding on ``date``: signed or in force (not expired, terminated
        or superseded by status), in effect from ``effective_on`` (or, when that is
        blank, the signing date) and not yet past ``expires_on`` (blank: indefinite).
        An agreement with neither date cannot be shown to be in force."""
        return self.filter(
            Q(status__in=[AgreementStatus.SIGNED, AgreementStatus.IN_FORCE]),
            Q(effective_on__lte=date) | Q(effective_on__isnull=True, signed_on__lte=date),
            Q(expires_on__isnull=True) | Q(expires_on__gte=date),
        )

    def with_list_relations(self):
        """What a list row shows: our signatory joined, the partners in one extra
        query for the whole page."""
        return self.select_related("local_signatory").prefetch_related("partners")


class Agreement(ProvinceRecord, TitleSortedModel, PublishableModel, VersionedModel):
    # A staff member limited to a unit works on the records whose local_signatory is in it.
    UNIT_SCOPE = "local_signatory"
    SEARCH_FIELDS = ("title", "code", "signed_place", "summary")
    # Shown to the precision of ``date_precision`` (signed_display, the history).
    PARTIAL_DATES = ("signed_on",)

    title = models.CharField(_("title"), max_length=500)
    code = models.CharField(_("number"), max_length=100, blank=True, help_text=_("The agreement's reference number."))
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    regime = models.CharField(_("legal regime"), max_length=12, choices=Regime.choices, default=Regime.LAW_2020)
    signing_level = models.CharField(_("signing level"), max_length=24, choices=SigningLevel.choices, blank=True)
    local_signatory = models.ForeignKey(
        LocalUnit,
        verbose_name=_("signed for our side by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), blank=True, related_name="agreements")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    date_precision = models.CharField(
        _("precision of the signing date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    signed_place = models.CharField(_("place of signing"), max_length=200, blank=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, help_text=_("Blank means indefinite."))
    status = models.CharField(
        _("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.SIGNED
    )
    fields = models.ManyToManyField(Sector, verbose_name=_("fields"), blank=True, related_name="agreements")
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(
        _("document (PDF)"), upload_to=_document_upload, blank=True, validators=[validate_pdf], max_length=200
    )
    mofa_opinion_requested_on = models.DateField(_("Ministry of Foreign Affairs consulted on"), null=True, blank=True)
    mofa_opinion_on = models.DateField(_("Ministry's opinion received on"), null=True, blank=True)
    succeeded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
    )

    objects = AgreementQuerySet.as_manager()

    _history_m2m_fields = ["partners", "fields"]

    class Meta:
        verbose_name = _("international agreement")
        verbose_name_plural = _("international agreements")
        ordering = ["-signed_on", "-pk"]
        indexes = [
            # The admin index's queue (register/review.py waiting_counts): the records in
            # review, counted from this small index whatever the table's size.
            models.Index(
                fields=["review_state"],
                condition=models.Q(review_state__in=["draft", "submitted"]),
                name="agreement_in_review_idx",
            ),
            # For "agreements signed in the period" and the date-ordered list.
            models.Index(fields=["signed_on"], name="agreement_signed_idx"),
            # For the list's default order (newest first) and its cursor pages.
            keyset_index("signed_on", models.DateField(), name="agreement_list_newest_idx"),
            # For the dashboard's latest records: ORDER BY created_at DESC, id DESC LIMIT n.
            models.Index(fields=["-created_at", "-id"], name="agreement_latest_idx"),
            # For "agreements expiring within 90 days" on the dashboard.
            models.Index(fields=["expires_on"], name="agreement_expires_idx"),
            # For the period report's agreements by signing level (signed, in force, undated):
            # one pass over the index alone (PostgreSQL), not over the table's wide rows.
            models.Index(
                fields=["signing_level"],
                include=["id", "signed_on", "status", "effective_on", "expires_on", "is_public", "review_state"],
                name="agreement_level_cover_idx",
            ),
            # For the agreement tally's triggers (agreements/agreement_tally_sql.py): the
            # agreements taking effect on the days a write touches.
            models.Index(Coalesce("effective_on", "signed_on"), name="agreement_start_idx"),
            # For the list sorted by title (A–Z, Vietnamese order) and its cursor pages.
            models.Index(fields=["title_sort", "id"], name="agreement_list_title_idx"),
            # The same orders within one province (a province's users, its /p/<code>/ pages).
            keyset_index("signed_on", models.DateField(), name="agreement_prov_newest_idx", leading=["province"]),
            models.Index(fields=["province", "title_sort", "id"], name="agreement_prov_title_idx"),
            # The list's other orders (oldest first; expiring soonest and latest), everywhere and within
            # one province: each order reads its first page, and a cursor page, off its own index.
            *keyset_indexes(
                "signed_on",
                models.DateField(),
                names=("agreement_list_oldest_idx", "agreement_prov_oldest_idx"),
                descending=False,
            ),
            *keyset_indexes(
                "expires_on",
                models.DateField(),
                names=("agreement_list_exp_soon_idx", "agreement_prov_exp_soon_idx"),
                descending=False,
            ),
            *keyset_indexes(
                "expires_on", models.DateField(), names=("agreement_list_exp_late_idx", "agreement_prov_exp_late_idx")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(signed_on__isnull=True)
                | models.Q(expires_on__gte=models.F("signed_on")),
                name="agreement_expiry_not_before_signing",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_on__isnull=True)
                | models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("effective_on")),
                name="agreement_expiry_not_before_effect",
            ),
            models.CheckConstraint(
                condition=models.Q(mofa_opinion_on__isnull=True)
                | models.Q(mofa_opinion_requested_on__isnull=True)
                | models.Q(mofa_opinion_on__gte=models.F("mofa_opinion_requested_on")),
                name="agreement_mofa_opinion_after_request",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="agreement_code_unique",
                # Code "unique" puts full_clean()'s message on the field, worded as Django words its own.
                violation_error_code="unique",
                violation_error_message=_("International agreement with this Number already exists."),
            ),
            models.CheckConstraint(
                condition=~models.Q(succeeded_by=models.F("pk")), name="agreement_not_own_successor"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=AgreementKind.values), name="agreement_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=AgreementStatus.values), name="agreement_status_valid"
            ),
            *partial_date_constraints("agreement", ("signed_on",)),
            review_state_constraint("agreement"),
            public_only_when_approved("agreement"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.pk])

    @property
    def signed_display(self):
        return format_partial_date(self.signed_on, self.date_precision)

    def clean(self):
        super().clean()
        errors = {}
        if self.signed_on and self.expires_on and self.expires_on < self.signed_on:
            errors["expires_on"] = _("The expiry date cannot be before the signing date.")
        elif self.effective_on and self.expires_on and self.expires_on < self.effective_on:
            errors["expires_on"] = _("The expiry date cannot be before the date it came into force.")
        if (
            self.mofa_opinion_on
            and self.mofa_opinion_requested_on
            and self.mofa_opinion_on < self.mofa_opinion_requested_on
        ):
            errors["mofa_opinion_on"] = _("The Ministry's opinion cannot come before it was requested.")
        if self.pk and self.succeeded_by_id == self.pk:
            errors["succeeded_by"] = _("An agreement cannot supersede itself.")
        if errors:
            raise ValidationError(errors)


class AgreementUpdate(models.Model):
    """A dated note on how an agreement is being carried out."""

    # Shown to the precision of ``date_precision`` (__str__, the history).
    PARTIAL_DATES = ("date",)

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("precision of the date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    note = models.TextField(_("implementation note"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("implementation update")
        verbose_name_plural = _("implementation updates")
        ordering = ["agreement", "-date", "-pk"]
        constraints = partial_date_constraints("agreementupdate", ("date",))

    def __str__(self):
        return f"{format_partial_date(self.date, self.date_precision)}: {self.note[:60]}"

    def clean(self):
        super().clean()
        check_partial_dates(self)


class PartnershipKind(models.TextChoices):
    DISTRICT_PAIR = "district_pair", _("Friendship district–county pair (huyện–thị hữu nghị)")
    VILLAGE_PAIR = "village_pair", _("Friendship village pair (thôn–bản hữu nghị)")
    BORDER_POST_PAIR = "border_post_pair", _("Friendship post–station pair (đồn–trạm hữu nghị)")
    SISTER_CITY = "sister_city", _("Sister cities")
    OTHER = "other", _("Other")


class PartnershipQuerySet(PublishableQuerySet):
    def published(self):
        """A pair a visitor may see: published, and so are both its sides (a pair
        is nothing but their two names)."""
        return super().published().filter(published_q("local_unit"), published_q("partner"))

    def involving(self, partner):
        """Pairs whose counterpart is ``partner`` or a locality under it (Guangxi includes Pingxiang's pairs)."""
        return self.filter(partner__path__startswith=partner.path) if partner.path else self.filter(partner=partner)

    def in_country(self, code):
        """Pairs whose counterpart is in the country (ISO 3166 code)."""
        return self.filter(partner__country=code.upper())

    def with_list_relations(self):
        """Both sides and the founding agreement joined: the list's rows in one query."""
        return self.select_related("local_unit", "partner", "agreement")


class Partnership(ProvinceRecord, PublishableModel, VersionedModel):
    """A twinning pair: one of our units and its counterpart across the border."""

    # A staff member limited to a unit works on the records whose local_unit is in it.
    UNIT_SCOPE = "local_unit"

    SEARCH_FIELDS = ("note",)
    # Shown to the precision of ``date_precision`` (the pairs' tables, the history).
    PARTIAL_DATES = ("established_on",)

    local_unit = models.ForeignKey(
        LocalUnit, verbose_name=_("our unit"), on_delete=models.PROTECT, related_name="partnerships"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="partnerships"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartnershipKind.choices)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    date_precision = models.CharField(
        _("precision of the date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("founding agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
    )
    note = models.TextField(_("note"), blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("twinning pair")
        verbose_name_plural = _("twinning pairs")
        ordering = ["kind", "local_unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["local_unit", "partner", "kind"], name="partnership_pair_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=PartnershipKind.values), name="partnership_kind_valid"),
            *partial_date_constraints("partnership", ("established_on",)),
            review_state_constraint("partnership"),
            public_only_when_approved("partnership"),
        ]

    def __str__(self):
        return f"{self.local_unit} – {self.partner}"

    def build_search_text(self):
        from common.text import search_blob

        return search_blob(
            self.note,
            self.local_unit.name if self.local_unit_id else "",
            self.partner.name if self.partner_id else "",
        )


class AgreementTally(models.Model):
    """Agreements per day, month or year and public or not: signed (by signing
    level), taking effect ('start'), expiring ('end'; 'uend' for those with
    neither date), and with neither date (grain 'u'). The period report reads a
    few dozen of these rows instead of 100.000 agreements. See
    agreements/agreement_tally_sql.py.

    Kept exact by database triggers on the agreements, whatever wrote them;
    never written by Django. ``agreement_tally.rebuild()`` recounts it."""

    grain = models.CharField(_("grain"), max_length=1)  # d, m, y; u
    period = models.DateField(_("period"), null=True, blank=True)
    month = models.DateField(_("month"), null=True, blank=True)  # the month of a day row, the triggers' key
    year = models.DateField(_("year"), null=True, blank=True)
    # The province whose records the row counts (their code, docs/PROVINCES.md): readers narrow by it.
    province = models.CharField(_("province"), max_length=2)
    event = models.CharField(_("event"), max_length=6)  # signed, start, end, uend
    level = models.CharField(_("signing level"), max_length=24, blank=True)  # of 'signed' rows, else ''
    public = models.BooleanField(_("public"))
    approved = models.BooleanField(_("approved"))
    agreements = models.IntegerField(_("agreements"))

    class Meta:
        verbose_name = _("agreement tally")
        verbose_name_plural = _("agreement tallies")
        indexes = [
            # The report's sums (rows of one grain within a date range), read from the index alone.
            # Twice: over every province, and led by the province (offices/records.py).
            *range_indexes("atally", ["province", "event", "level", "public", "approved", "agreements"]),
            # The triggers' recount of a month from its days.
            models.Index(fields=["grain", "month"], name="atally_grain_month_idx"),
            # The triggers' recount of a year from its months.
            models.Index(fields=["grain", "year"], name="atally_grain_year_idx"),
        ]

    def __str__(self):
        return f"{self.grain} {self.period} {self.event} {self.level}: {self.agreements}"


class SignedPartnerTally(models.Model):
    """Agreements signed per day, month or year, per partner named on them, public
    or not: an agreement naming three partners counts once under each, one naming
    none under no partner (``partner_id`` NULL). The period report's table of
    agreements signed by partner reads a few thousand of these rows instead of
    joining 100.000 agreements to their 120.000 partner links. See
    agreements/signed_partner_tally_sql.py.

    Kept exact by database triggers on the agreements and their partner links,
    whatever wrote them; never written by Django. ``signed_partner_tally.rebuild()``
    recounts it."""

    grain = models.CharField(_("grain"), max_length=1)  # d, m, y
    period = models.DateField(_("period"))
    month = models.DateField(_("month"), null=True, blank=True)  # the month of a day row, the triggers' key
    year = models.DateField(_("year"))
    # The partner's id, not a foreign key: the tally follows the links, and a
    # partner's deletion removes its links (and so its rows) through their triggers.
    # The province whose records the row counts (their code, docs/PROVINCES.md): readers narrow by it.
    province = models.CharField(_("province"), max_length=2)
    partner_id = models.BigIntegerField(_("partner"), null=True, blank=True)
    public = models.BooleanField(_("public"))
    approved = models.BooleanField(_("approved"))
    agreements = models.IntegerField(_("agreements"))

    class Meta:
        verbose_name = _("signed agreements by partner tally")
        verbose_name_plural = _("signed agreements by partner tallies")
        indexes = [
            # The report's table by partner (rows of one grain within a date range), from the index alone.
            # Twice: over every province, and led by the province (offices/records.py).
            *range_indexes("sptally", ["province", "partner_id", "public", "approved", "agreements"]),
            # The triggers' recount of a month from its days.
            models.Index(fields=["grain", "month"], name="sptally_grain_month_idx"),
            # The triggers' recount of a year from its months.
            models.Index(fields=["grain", "year"], name="sptally_grain_year_idx"),
        ]

    def __str__(self):
        return f"{self.grain} {self.period} {self.partner_id}: {self.agreements}"
