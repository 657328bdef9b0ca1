"""Who the province works with (Partner), its own side (LocalUnit), the
standing channels between them (CooperationMechanism) and the sectors that
agreements and projects are filed under."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common import lookups  # noqa: F401 - registers __prefix (the subtree by its path) and __blank
from common.partial_dates import DatePrecision, partial_date_constraints
from common.sort_keys import SortKeyModel, SortKeyQuerySet
from offices.records import ProvinceRecord
from projects.iati_standard import valid_organisation_identifier
from register.publishable import (
    PublishableQuerySet,
    ReviewedModel,
    SearchableModel,
    public_only_when_approved,
    review_state_constraint,
)


class PartnerKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Province, region or state")
    PREFECTURE_CITY = "prefecture_city", _("Prefecture-level city")
    COUNTY = "county", _("County or county-level city")
    TOWN = "town", _("Town or township")
    VILLAGE = "village", _("Village")
    BORDER_POST = "border_post", _("Border post or station")
    GOVERNMENT_BODY = "government_body", _("Foreign government body")
    EMBASSY = "embassy", _("Embassy or consulate")
    INTERNATIONAL_ORG = "international_org", _("International organisation")
    BANK = "bank", _("Development bank or fund")
    NGO = "ngo", _("Foreign non-governmental organisation")
    COMPANY = "company", _("Company")
    VN_CENTRAL_BODY = "vn_central_body", _("Vietnamese central body")
    VN_PROVINCE = "vn_province", _("Other Vietnamese province")
    OTHER = "other", _("Other")


class PartnerQuerySet(SortKeyQuerySet, PublishableQuerySet):
    def subtree_of(self, partner):
        """The partner and every locality under it (Guangxi -> Chongzuo -> Pingxiang),
        in one query on the stored path."""
        return self.filter(path__prefix=partner.path)

    def under(self, partner):
        """Every partner below ``partner`` (its children, their children...), itself excluded."""
        return self.subtree_of(partner).exclude(pk=partner.pk)

    def with_children(self, user=None):
        """The partners that have at least one partner under them (one ``user``
        may see, when given)."""
        children = Partner.objects.filter(parent=models.OuterRef("pk"))
        if user is not None:
            children = children.visible_to(user)
        return self.filter(models.Exists(children))

    def with_record_counts(self, user):
        """Adds ``delegation_count``, ``agreement_count`` and ``project_count``: the
        records the viewer may see that involve the partner or any locality under it,
        each record once. Exact, read from the partner tally (reports.models.
        PartnerTally, kept by database triggers): a country's count over hundreds of
        thousands of links is a sum of a few rows. Only the records of the province
        the page shows count (all provinces' for a national user), and for a visitor
        only published ones (public implies approved, a constraint on every record table)."""
        from register.tallies import visible
        from reports.models import PartnerTally

        rows = visible(PartnerTally.objects.filter(partner_id=models.OuterRef("pk")), user)

        def count(record):
            total = rows.filter(record=record).values("partner_id").annotate(n=models.Sum("records")).values("n")
            return Coalesce(models.Subquery(total), 0)

        return self.annotate(
            delegation_count=count("delegation"), agreement_count=count("agreement"), project_count=count("project")
        )


class Partner(SortKeyModel, SearchableModel, ReviewedModel):
    SEARCH_FIELDS = ("name", "name_en", "name_native", "aliases")
    SORT_KEYS = {"name_sort": "name"}

    name = models.CharField(_("name"), max_length=200, help_text=_("As Vietnamese writes it: Bằng Tường."))
    name_en = models.CharField(_("English name"), max_length=200, blank=True, help_text=_("Pingxiang"))
    name_native = models.CharField(
        _("native name"), max_length=200, blank=True, help_text=_("In the partner's own script: 凭祥市.")
    )
    aliases = models.TextField(
        _("other names"), blank=True, help_text=_("One per line: abbreviations, former names, other spellings.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    # Written as the partner's ref in the IATI file (projects/iati.py); blank when not known.
    iati_ref = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text=_("As IATI knows the organisation: XM-DAC-44000 for the World Bank. Blank when not known."),
    )
    country = models.CharField(
        _("country code"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166 two-letter code (CN, LA, JP); blank for international bodies."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # "/1/4/9/": the chain of ids from the root, so a subtree is one indexed
    # prefix match instead of a recursive walk.
    path = models.CharField(_("hierarchy path"), max_length=255, blank=True, editable=False, db_index=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Partners are shared by every province (docs/PROVINCES.md). The province whose staff
    # entered it; blank for the shared ones (the seed's, a national user's). Until it is
    # approved, only that province sees it.
    created_in = models.ForeignKey(
        "offices.OfficeProfile",
        verbose_name=_("entered by the office of"),
        to_field="province_code",
        db_column="created_in",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The Vietnamese sort key of the name (common/sort_keys.py): "Đức" after "Dương".
    name_sort = models.TextField(_("name sort key"), blank=True, default="", editable=False)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        # Vietnamese order wherever partners come by name: the admin's list and
        # autocomplete, a record's partners.
        ordering = ["name_sort", "id"]
        indexes = [
            # For the partner list sorted by name and its cursor pages: ORDER BY name_sort, id.
            models.Index(fields=["name_sort", "id"], name="partner_list_name_idx"),
            # For the list filters' country choices: each country's own partner row (country_choices()).
            models.Index(fields=["country", "kind"], name="partner_country_kind_idx"),
            # For the list sorted by kind (then name) and its cursor pages, everyone's and a visitor's.
            models.Index(fields=["kind", "name_sort", "id"], name="partner_list_kind_idx"),
            models.Index(
                fields=["kind", "name_sort", "id"],
                condition=models.Q(is_public=True, review_state="approved"),
                name="partner_published_kind_idx",
            ),
            # For a visitor's partner list and its cursor pages: the published partners by name.
            models.Index(
                fields=["name_sort", "id"],
                condition=models.Q(is_public=True, review_state="approved"),
                name="partner_published_name_idx",
            ),
            # The admin index's queue (register/review.py waiting_counts): the partners in review.
            models.Index(
                fields=["review_state"],
                condition=models.Q(review_state__in=["draft", "submitted"]),
                name="partner_in_review_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=PartnerKind.values), name="partner_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(country="") | Exact(Length("country"), 2), name="partner_country_iso2"
            ),
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="partner_not_own_parent"),
            # IATI forbids spaces and "/", "&", "|", "?" in an organisation identifier.
            models.CheckConstraint(
                condition=~models.Q(iati_ref__contains=" ")
                & ~models.Q(iati_ref__contains="/")
                & ~models.Q(iati_ref__contains="&")
                & ~models.Q(iati_ref__contains="|")
                & ~models.Q(iati_ref__contains="?"),
                name="partner_iati_ref_characters",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="partner_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                name="partner_longitude_range",
            ),
            review_state_constraint("partner"),
            public_only_when_approved("partner"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        # The dossier gathers every record app, so it lives in reports.
        return reverse("reports:dossier", args=[self.pk])

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def ancestors(self):
        """Root first, this partner excluded. Costs one query."""
        ids = [int(p) for p in self.path.strip("/").split("/") if p][:-1]
        by_id = Partner.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def clean(self):
        super().clean()
        errors = {}
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("The latitude must be between -90 and 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("The longitude must be between -180 and 180.")
        if errors:
            raise ValidationError(errors)
        self.iati_ref = self.iati_ref.strip()
        if self.iati_ref and not valid_organisation_identifier(self.iati_ref):
            raise ValidationError(
                {
                    "iati_ref": _(
                        "An IATI organisation identifier is a registration agency's code from IATI's list, "
                        "a hyphen and the organisation's number in it, without spaces or / & | ?: XM-DAC-44000."
                    )
                }
            )
        if self.country:
            self.country = self.country.upper()
            if not (len(self.country) == 2 and self.country.isalpha() and self.country.isascii()):
                raise ValidationError({"country": _("Enter a two-letter ISO 3166 country code, such as CN.")})
        node, seen = self.parent, set()
        while node is not None:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": _("A partner cannot belong to itself or to one of its own parts.")})
            if node.pk in seen:
                break
            seen.add(node.pk)
            node = node.parent

    def _compute_path(self):
        prefix = self.parent.path if self.parent_id and self.parent.path else "/"
        return f"{prefix}{self.pk}/"

    def save(self, *args, **kwargs):
        # The path needs our own id, so a new row is saved twice. When the
        # parent changes, the whole subtree's paths move with one UPDATE.
        super().save(*args, **kwargs)
        old_path, new_path = self.path, self._compute_path()
        if old_path != new_path:
            Partner.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old_path:
                from django.db.models import Value
                from django.db.models.functions import Concat, Substr

                Partner.objects.filter(path__prefix=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
                )


class LocalUnitKind(models.TextChoices):
    PROVINCE = "province", _("Province (People's Committee)")
    PARTY = "party", _("Party committee")
    COUNCIL = "council", _("People's Council")
    DEPARTMENT = "department", _("Department or agency")
    DISTRICT = "district", _("District")
    CITY = "city", _("Provincial city")
    COMMUNE = "commune", _("Commune or ward")
    TOWN = "town", _("Town (thị trấn)")
    VILLAGE = "village", _("Village (thôn, bản)")
    BORDER_GUARD_POST = "border_guard_post", _("Border-guard post")
    BORDER_GATE = "border_gate", _("Border gate")
    ECONOMIC_ZONE = "economic_zone", _("Economic zone")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    OTHER = "other", _("Other")


class LocalUnit(ProvinceRecord, SearchableModel, ReviewedModel):
    SEARCH_FIELDS = ("name", "name_en", "aliases")

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    aliases = models.TextField(_("other names"), blank=True, help_text=_("One per line."))
    kind = models.CharField(_("kind"), max_length=20, choices=LocalUnitKind.choices)
    code = models.CharField(
        _("code"), max_length=20, blank=True, help_text=_("Administrative unit code, where one exists.")
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("belongs to"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The last day the unit existed (districts: 30/06/2025, abolished from 01/07/2025)."),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("The unit that took over its duties and agreements."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("local unit")
        verbose_name_plural = _("local units")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=LocalUnitKind.values), name="localunit_kind_valid"),
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="localunit_code_unique",
                # Code "unique" puts full_clean()'s message on the field, worded as Django words its own.
                violation_error_code="unique",
                violation_error_message=_("Local unit with this Code already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="localunit_valid_to_after_from",
            ),
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="localunit_not_own_parent"),
            models.CheckConstraint(condition=~models.Q(successor=models.F("pk")), name="localunit_not_own_successor"),
            review_state_constraint("localunit"),
            public_only_when_approved("localunit"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end of validity cannot be before its start.")})
        if self.pk and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A unit cannot succeed itself.")})
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A unit cannot belong to itself.")})


class CooperationMechanism(ProvinceRecord, SearchableModel, ReviewedModel):
    SEARCH_FIELDS = ("name", "name_en", "description")
    # Shown to the precision of ``established_precision`` (the admin's list, the history).
    PARTIAL_DATES = ("established_on",)
    DATE_PRECISION_FIELD = "established_precision"

    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    partners = models.ManyToManyField(Partner, verbose_name=_("foreign side"), blank=True, related_name="mechanisms")
    local_units = models.ManyToManyField(
        LocalUnit, verbose_name=_("Vietnamese side"), blank=True, related_name="mechanisms"
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    established_precision = models.CharField(
        _("precision of the date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    is_active = models.BooleanField(_("active"), default=True)

    _history_m2m_fields = ["partners", "local_units"]

    class Meta:
        verbose_name = _("cooperation mechanism")
        verbose_name_plural = _("cooperation mechanisms")
        ordering = ["name"]
        constraints = [
            *partial_date_constraints("mechanism", ("established_on",), "established_precision"),
            review_state_constraint("mechanism"),
            public_only_when_approved("mechanism"),
        ]

    def __str__(self):
        return self.name


class Sector(models.Model):
    """A field of cooperation; ``code`` is the OECD DAC purpose code where one fits (IATI)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self):
        return self.name
