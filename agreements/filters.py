"""The filters of the agreement list. Every value arrives through a form field,
so nothing from the query string reaches the ORM unchecked; a value that does
not validate is dropped from the form's cleaned data and the page says so."""

import django_filters
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Partnership,
    PartnershipKind,
    Regime,
    SigningLevel,
)
from partners.filter_fields import RecordFilterSet, local_unit_filter, partner_subtree_filter
from partners.models import Sector
from register.filters import (
    DateRangeForm,
    SortDateFromFilter,
    SortDateUntilFilter,
    SortYearFilter,
    date_input,
)


class AgreementFilter(RecordFilterSet):
    q = django_filters.CharFilter(label=_("Words in the record"), method="filter_text")
    year = SortYearFilter(label=_("Year signed"), field_name="signed_on")
    start = SortDateFromFilter(label=_("Signed from"), field_name="signed_on")
    end = SortDateUntilFilter(label=_("Signed until"), field_name="signed_on")
    in_force_on = django_filters.DateFilter(label=_("In force on"), method="filter_in_force_on", widget=date_input())
    country = django_filters.ChoiceFilter(label=_("Country"), method="filter_country", empty_label=_("Any"))
    partner = partner_subtree_filter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AgreementKind.choices, empty_label=_("Any"))
    regime = django_filters.ChoiceFilter(label=_("Legal regime"), choices=Regime.choices, empty_label=_("Any"))
    signing_level = django_filters.ChoiceFilter(
        label=_("Signing level"), choices=SigningLevel.choices, empty_label=_("Any")
    )
    local_signatory = local_unit_filter(_("Signed for our side by"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AgreementStatus.choices, empty_label=_("Any"))
    # One sector per agreement in the link table: the join cannot repeat a row.
    sector = django_filters.ModelChoiceFilter(
        label=_("Field"),
        field_name="fields",
        queryset=Sector.objects.order_by("name").only("pk", "name"),
        empty_label=_("Any"),
    )

    class Meta:
        model = Agreement
        fields = []
        form = DateRangeForm

    def filter_in_force_on(self, queryset, name, value):
        return queryset.in_force_on(value)


class PartnershipFilter(RecordFilterSet):
    """The twinning pairs' list: the words of the pair, when it was established,
    the counterpart's country and partner (with the localities under it), our
    unit and the kind of pair."""

    q = django_filters.CharFilter(label=_("Words in the record"), method="filter_text")
    year = SortYearFilter(label=_("Year established"), field_name="established_on")
    start = SortDateFromFilter(label=_("Established from"), field_name="established_on")
    end = SortDateUntilFilter(label=_("Established until"), field_name="established_on")
    country = django_filters.ChoiceFilter(label=_("Country"), method="filter_country", empty_label=_("Any"))
    partner = partner_subtree_filter()
    local_unit = local_unit_filter(_("Our unit"))
    kind = django_filters.ChoiceFilter(label=_("Kind of pair"), choices=PartnershipKind.choices, empty_label=_("Any"))

    class Meta:
        model = Partnership
        fields = []
        form = DateRangeForm
