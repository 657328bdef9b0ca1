"""What a change list accepts from its query string: the parameters its own
filters write (``list_filter``, ``date_hierarchy``), its search, sort and page,
and nothing else.

Django's admin lets any lookup on the model's own columns through
(``?title__regex=[]`` reached the database, which refused the pattern with a
500, and any regular expression could be run over every row), and passes a
value with a NUL byte on to PostgreSQL, which refuses it with a 500 too. Here
such a list is shown again without the parameters it cannot use, with a
message in words; ``lookup_allowed`` refuses the same (a 400) for any path that
builds a change list without going through ``changelist_view``."""

from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ALL_VAR, ERROR_FLAG, IS_FACETS_VAR, ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

# The change list's own parameters: show all, sort, search, facets, popup, page, the error flag.
OWN_PARAMETERS = {ALL_VAR, ORDER_VAR, SEARCH_VAR, IS_FACETS_VAR, IS_POPUP_VAR, TO_FIELD_VAR, PAGE_VAR, ERROR_FLAG}
# What Django's field filters write after the field's path: Choices/AllValues/Boolean
# (exact, isnull), DateField (gte, lt, isnull), EmptyField (isempty).
FIELD_FILTER_SUFFIXES = ("exact", "isnull", "gte", "lt", "isempty")
DATE_HIERARCHY_SUFFIXES = ("year", "month", "day")


def filter_parameters(model_admin, request):
    """The query-string parameters the list's filters and date hierarchy write."""
    names = set()
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            names.add(item.parameter_name)
            continue
        path = item[0] if isinstance(item, (list, tuple)) else item
        names.update(f"{path}__{suffix}" for suffix in FIELD_FILTER_SUFFIXES)
        field = get_fields_from_path(model_admin.model, path)[-1]
        if field.is_relation:  # RelatedFieldListFilter: partners__id__exact
            names.add(f"{path}__{field.target_field.name}__exact")
    # Links the site itself writes (the admin index's review queue: ?review_state__exact=…).
    names.update(getattr(model_admin, "accepted_lookups", ()))
    if model_admin.date_hierarchy:
        names.update(f"{model_admin.date_hierarchy}__{part}" for part in DATE_HIERARCHY_SUFFIXES)
    return names


def _shown(name):
    """A parameter's name as a message may quote it (no NUL, not a screenful)."""
    name = name.replace("\x00", "␀")
    return name if len(name) <= 40 else name[:39] + "…"


class StrictLookupsMixin:
    """Change lists that take from the query string only what their filters write."""

    def lookup_allowed(self, lookup, value, request=None):
        if "\x00" in str(value):
            return False
        return request is not None and lookup in filter_parameters(self, request)

    def get_search_results(self, request, queryset, search_term):
        # An autocomplete's ``term`` comes here too; PostgreSQL refuses a NUL in a pattern.
        return super().get_search_results(request, queryset, (search_term or "").replace("\x00", ""))

    def changelist_view(self, request, extra_context=None):
        accepted = OWN_PARAMETERS | filter_parameters(self, request)
        refused = [
            name
            for name, values in request.GET.lists()
            if name not in accepted or "\x00" in name or any("\x00" in value for value in values)
        ]
        if refused:
            kept = request.GET.copy()
            for name in refused:
                del kept[name]
            self.message_user(
                request,
                _("This list cannot be filtered by “%(names)s”; it is shown without it. Use the filters beside it.")
                % {"names": ", ".join(_shown(name) for name in refused)},
                messages.WARNING,
            )
            return HttpResponseRedirect(f"{request.path}?{kept.urlencode()}" if kept else request.path)
        if ERROR_FLAG in request.GET:
            # Django comes back here with ?e=1 when a filter's value could not be read.
            self.message_user(
                request, _("A filter in the address could not be read; the list is shown without it."), messages.WARNING
            )
        return super().changelist_view(request, extra_context)


def strict_lookups_everywhere(site):
    """Give every admin of ``site`` that lacks it (the users and groups of
    django.contrib.auth, django-axes' logs) the same strictness as the register's
    own, by registering it again as a subclass with the mixin first."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, StrictLookupsMixin):
            continue
        original = type(model_admin)
        site.unregister(model)
        site.register(
            model, type(original.__name__, (StrictLookupsMixin, original), {"__module__": original.__module__})
        )
