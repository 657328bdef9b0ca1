"""Filter building blocks over partners, shared by the record apps' list pages:
the countries partners belong to, and a partner picker in hierarchy order."""

import django_filters
from django.utils.translation import gettext_lazy as _

from partners.countries import country_names
from partners.models import LocalUnit, Partner
from register.filters import PUBLICATION_CHOICES, FilterSet
from register.publishable import ReviewState, published_q


def country_choices(user=None):
    """(code, "Trung Quốc (CN)") for every country a partner ``user`` may see belongs
    to, in Vietnamese order, named as partners/countries.py names it. One query."""
    return [(code, f"{name} ({code})") for code, name in country_names(user).items()]


# A drop-down longer than this is no help to anyone and slows every list page:
# past it, the pickers offer the upper levels of the hierarchy only (any record
# is still reachable: a deeper partner's dossier links to its filtered lists).
SHALLOW_LIMIT = 300


def _shallow(rows, selected, empty_label, indent=True):
    """[("", "Any"), (pk, label), ...] for ``rows`` of (pk, name, depth): every
    level down to the deepest that keeps the list within ``SHALLOW_LIMIT``, and the
    selected row wherever it is. Depth 0 is always offered."""
    per_depth = {}
    for _pk, _name, depth in rows:
        per_depth[depth] = per_depth.get(depth, 0) + 1
    deepest, total = 0, 0
    for depth in sorted(per_depth):
        total += per_depth[depth]
        if total > SHALLOW_LIMIT and depth > 0:
            break
        deepest = depth
    choices = [("", empty_label)]
    choices.extend(
        (pk, f"{'— ' * depth}{name}" if indent else name)
        for pk, name, depth in rows
        if depth <= deepest or str(pk) == selected
    )
    return choices


class PartnerTreeField(django_filters.fields.ModelChoiceField):
    """Partners in hierarchy order, each indented under its parent. Validates any
    partner; offers the upper levels only when the whole tree is too long."""

    def label_from_instance(self, obj):
        depth = max(obj.path.count("/") - 2, 0)
        return f"{'— ' * depth}{obj.name}"

    def shallow_choices(self, selected):
        """The drop-down's options in one query of three columns (common/widgets.py)."""
        rows = [
            (pk, name, max(path.count("/") - 2, 0))
            for pk, name, path in self.queryset.values_list("pk", "name", "path")
        ]
        return _shallow(rows, selected, self.empty_label)


class PartnerTreeFilter(django_filters.ModelChoiceFilter):
    field_class = PartnerTreeField


class LocalUnitField(django_filters.fields.ModelChoiceField):
    """Local units by name. Validates any unit; past ``SHALLOW_LIMIT`` units (the
    34 provinces' departments, districts and communes) offers the upper levels."""

    def shallow_choices(self, selected):
        rows = list(self.queryset.values_list("pk", "name", "parent_id"))
        parents = {pk: parent for pk, _name, parent in rows}
        depths = {}  # Each unit's depth once: the 34 provinces' 1,400 units took 11 ms a page walked up one by one.

        def depth(start):
            chain, pk = [], start
            while pk not in depths and parents.get(pk) is not None and pk not in chain:
                chain.append(pk)
                pk = parents[pk]
            level = depths.get(pk, 0)  # a unit with no parent among the rows (or a loop) is a root
            for unit in reversed(chain):
                level += 1
                depths[unit] = level
            return depths.get(start, 0)

        rows = [(pk, name, depth(pk)) for pk, name, _parent in rows]
        return _shallow(rows, selected, self.empty_label, indent=False)


class LocalUnitFilter(django_filters.ModelChoiceFilter):
    field_class = LocalUnitField


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
        self.filters["country"].extra["choices"] = country_choices(user)

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_country(self, queryset, name, value):
        return queryset.in_country(value)

    def filter_partner(self, queryset, name, value):
        return queryset.involving(value)

    def filter_published(self, queryset, name, value):
        if value == "published":
            return queryset.published()
        return queryset.exclude(published_q())


def partner_subtree_filter():
    """The partner picker of a record list: the partner and every locality under
    it (the filterset's ``filter_partner``, the model's ``involving()``)."""
    return PartnerTreeFilter(
        label=_("Partner"),
        queryset=Partner.objects.order_by("path").only("pk", "name", "path"),
        method="filter_partner",
        empty_label=_("Any"),
        help_text=_("Includes the localities under it."),
    )


def local_unit_filter(label):
    """A picker of one of our local units, on the record's own field."""
    units = LocalUnit.objects.order_by("name").only("pk", "name")
    return LocalUnitFilter(label=label, queryset=units, empty_label=_("Any"))
