"""The province in the admin (docs/PROVINCES.md, "one choke point per layer").

``ProvinceAdminMixin`` is in every register admin (register/record_admin.py
``RegisterAdmin``):

- a record entered by a user of a province is that province's: the field is
  not on the form, the save stamps it (on a database of several offices a
  national user chooses it, first on the form);
- a partner entered by a user of a province remembers it (``created_in``);
- the change list, the change, history and delete pages, the actions and the
  autocompletes read ``get_queryset``, which holds the user's province's rows
  only (``offices.scope.records_of``); the choices of a form's foreign keys and
  many-to-many fields likewise, the inlines' too (a citation's source, a
  participant's partner): a value of another province posted anyway is refused
  as not one of the choices;
- a row added in an inline that has a province itself (a source's reported
  figure) is its record's province's."""

import functools

from django.contrib.admin import RelatedFieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.db.models import Q

from offices.profile import only_office
from offices.scope import has_province, is_national, records_of, writing_province

FIELD = "province"


def narrowed_choices(field, db_field, request):
    """``field`` (a form field of ``db_field``) offering only the records the user may read."""
    if field is not None and hasattr(field, "queryset") and db_field.name != FIELD:
        field.queryset = records_of(field.queryset, request.user)
    return field


def narrowed_model(model):
    """Whether ``records_of`` narrows ``model``'s rows (a province's records, the partners)."""
    return model is not None and (has_province(model) or hasattr(model, "created_in_id"))


class ProvinceRelatedFilter(RelatedFieldListFilter):
    """A change list's side filter by a related record ("by mechanism") that offers
    only the records the user may read: Django's lists every row of the related
    table. Still one query."""

    def field_choices(self, field, request, model_admin):
        if is_national(request.user):
            return super().field_choices(field, request, model_admin)
        readable = records_of(field.related_model._default_manager.all(), request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, ordering=ordering, limit_choices_to=Q(pk__in=readable.values("pk"))
        )


def province_filter(model, item):
    """A list_filter entry, with ``ProvinceRelatedFilter`` for a plain field name of a narrowed relation."""
    if not isinstance(item, str):
        return item
    field = get_fields_from_path(model, item)[-1]
    return (item, ProvinceRelatedFilter) if field.is_relation and narrowed_model(field.related_model) else item


class ProvinceInlineMixin:
    """An inline's foreign keys and many-to-many fields narrowed as its record's form's are."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return narrowed_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return narrowed_choices(super().formfield_for_manytomany(db_field, request, **kwargs), db_field, request)


@functools.cache
def province_inline(inline_class):
    """``inline_class`` with ``ProvinceInlineMixin``, made once per class."""
    return type(inline_class.__name__, (ProvinceInlineMixin, inline_class), {"__module__": inline_class.__module__})


class ProvinceAdminMixin:
    def get_queryset(self, request):
        return records_of(super().get_queryset(request), request.user)

    def _chooses_province(self, request):
        # With one office there is nothing to choose: every record is its own (offices/records.py).
        return has_province(self.model) and is_national(request.user) and only_office() is None

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if has_province(self.model) and not self._chooses_province(request):
            exclude.append(FIELD)
        return exclude

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._chooses_province(request) or any(FIELD in opts.get("fields", ()) for _n, opts in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [FIELD, *options.get("fields", ())]}), *rest]

    def save_model(self, request, obj, form, change):
        if not change:
            code = writing_province(request.user)
            if code is not None and has_province(type(obj)) and not is_national(request.user):
                obj.province_id = code
            if code is not None and hasattr(obj, "created_in_id") and obj.created_in_id is None:
                obj.created_in_id = code
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        parent = form.instance
        if has_province(type(parent)) and has_province(formset.model):
            for row in formset.forms:
                row.instance.province_id = parent.province_id
        super().save_formset(request, form, formset, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return narrowed_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return narrowed_choices(super().formfield_for_manytomany(db_field, request, **kwargs), db_field, request)

    def get_list_filter(self, request):
        return [province_filter(self.model, item) for item in super().get_list_filter(request)]

    def get_inline_instances(self, request, obj=None):
        # Every inline, the record's own and those handed down (register/record_admin.py
        # register_record_inline), is narrowed here: the one place of the admin.
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            inline.__class__ = province_inline(type(inline))
        return inlines
