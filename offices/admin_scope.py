"""The province in the admin (docs/PROVINCES.md, "one choke point per layer").

``ProvinceAdminMixin`` is in every register admin (lib/admin.py
``RegisterAdmin``):

- a record entered by a user of a province is that province's: the field is
  not on the form, the save stamps it (on a database of several offices a
  national user chooses it, first on the form);
- a partner entered by a user of a province remembers it (``created_in``);
- the change list, the change, history and delete pages, the actions and the
  autocompletes read ``get_queryset``, which holds the user's province's rows
  only (``offices.scope.records_of``); the choices of a form's foreign keys and
  many-to-many fields likewise."""

from offices.profile import only_office
from offices.scope import has_province, is_national, records_of, writing_province

FIELD = "province"


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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset") and db_field.name != FIELD:
            field.queryset = records_of(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = records_of(field.queryset, request.user)
        return field
