"""The list page every register app uses: a django-filter FilterSet over the
viewer's visible rows, whitelisted sorting, pagination that never errors,
and plain-language messages for filter values it had to ignore."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from common.pagination import paginate, sort_key


class FilteredListView(TemplateView):
    """Subclasses set ``filterset_class``, ``sort_options`` (key -> (label, order_by
    tuple)), ``default_sort`` and implement ``get_base_queryset()``."""

    filterset_class = None
    sort_options: dict = {}
    default_sort = ""
    paginate_by = 25

    def get_base_queryset(self):
        raise NotImplementedError

    def sort_key(self):
        requested = self.request.GET.get("sort", "")
        if requested and requested not in self.sort_options:
            self.notices.append(_("Unknown sort order “%(sort)s”; the default order is used.") % {"sort": requested})
            return self.default_sort
        return requested or self.default_sort

    def filter_notices(self, filterset):
        notices = []
        for name, errors in filterset.form.errors.items():
            field = filterset.form.fields.get(name)
            label = field.label if field is not None else name
            for error in errors:
                notices.append(_("%(label)s: %(error)s This filter was ignored.") % {"label": label, "error": error})
        return notices

    def filtered_rows(self):
        """(filterset, rows, sort): the viewer's rows that the query string's filters
        select, in the chosen order, unpaginated. The page paginates them and the
        exports (register/exports.py) write them, so both hold exactly the same rows."""
        self.notices = []
        filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request
        )
        # An invalid value leaves its own filter out of cleaned_data: the other
        # filters still apply, and the page says which one was ignored.
        if filterset.is_bound and not filterset.is_valid():
            self.notices.extend(self.filter_notices(filterset))
        sort = self.sort_key()
        queryset = filterset.qs.order_by(*self.ordering(sort)) if sort else filterset.qs
        return filterset, queryset, sort

    def ordering(self, sort):
        """The sort's ORDER BY, written as the NULL-free key that keyset pages and
        the list's indexes use (common/pagination.py); the same order as declared."""
        declared = self.sort_options[sort][1]
        key = sort_key(self.filterset_class._meta.model, declared)
        if key is None:
            return declared
        return [expression.desc() if descending else expression.asc() for expression, _f, descending in key]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset, queryset, sort = self.filtered_rows()
        declared = self.sort_options[sort][1] if sort else ()
        page = paginate(queryset, self.request.GET, self.paginate_by, declared, self.notices)
        context.update(
            filter=filterset,
            page_obj=page,
            object_list=page.object_list,
            sort=sort,
            sort_options=[(key, label) for key, (label, _order) in self.sort_options.items()],
            notices=self.notices,
            is_filtered=any(v for k, v in self.request.GET.items() if k not in {"page", "after", "before", "sort"}),
        )
        return context


def admin_change_url(request, obj):
    """A link for data-entry staff to the admin form, when the admin has one."""
    if not request.user.is_staff:
        return ""
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""
