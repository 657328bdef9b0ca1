"""Filter building blocks over partners, shared by the record apps' list pages:
the countries partners belong to, and a partner picker in hierarchy order."""

import django_filters
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from lang_son_affairs.lib.filters import PUBLICATION_CHOICES, FilterSet
from lang_son_affairs.lib.models import ReviewState
from lang_son_affairs.lib.text import fold
from partners.models import Partner, PartnerKind


def country_choices():
    """(code, "Trung Quốc (CN)") for every country a partner belongs to, named after
    the country's own partner row where there is one. One query."""
    country_name = Partner.objects.filter(kind=PartnerKind.COUNTRY, country=OuterRef("country")).order_by("pk")
    rows = (
        Partner.objects.exclude(country="")
        .values("country")
        .annotate(name=Subquery(country_name.values("name")[:1]))
        .order_by()
        .distinct()
    )
    choices = [(row["country"], f"{row['name']} ({row['country']})" if row["name"] else row["country"]) for row in rows]
    return sorted(choices, key=lambda choice: fold(choice[1]))


class PartnerTreeField(django_filters.fields.ModelChoiceField):
    """Partners in hierarchy order, each indented under its parent."""

    def label_from_instance(self, obj):
        depth = max(obj.path.count("/") - 2, 0)
        return f"{'— ' * depth}{obj.name}"


class PartnerTreeFilter(django_filters.ModelChoiceFilter):
    field_class = PartnerTreeField


class RecordFilterSet(FilterSet):
    """What every publishable record's list filters the same way: free text,
    partner country, partner subtree, and, for signed-in users only, publication
    and review state. Subclasses declare `q`, `country` and `partner` with these
    methods; the model's QuerySet provides search(), in_country() and involving()."""

    # Only for signed-in users: a visitor's rows are all published already.
    published = django_filters.ChoiceFilter(
        label=_("Publication"), choices=PUBLICATION_CHOICES, method="filter_published", empty_label=_("Any")
    )
    review_state = django_filters.ChoiceFilter(
        label=_("Review state"), choices=ReviewState.choices, empty_label=_("Any")
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # The inherited filters come first in declaration order; show them last.
        for name in ("published", "review_state"):
            self.filters[name] = self.filters.pop(name)
        user = getattr(request, "user", None)
        if not (user is not None and user.is_authenticated):
            del self.filters["published"]
            del self.filters["review_state"]
        # Built once here: a callable would run its query again at every use.
        self.filters["country"].extra["choices"] = country_choices()

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_country(self, queryset, name, value):
        return queryset.in_country(value)

    def filter_partner(self, queryset, name, value):
        return queryset.involving(value)

    def filter_published(self, queryset, name, value):
        if value == "published":
            return queryset.published()
        return queryset.exclude(is_public=True, review_state=ReviewState.APPROVED)
