"""Filter building blocks over partners, shared by the record apps' list pages:
the countries partners belong to, and a partner picker in hierarchy order."""

import django_filters
from django.db.models import OuterRef, Subquery

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
