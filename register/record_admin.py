"""Admin pieces shared by every record app: accent-insensitive search, the
inlines every record carries (citations), and forms that put database rules
into words. The review workflow's part (the publication actions, the review
page) is in review_admin.py.

Record apps sit above this module and import from it; nothing here imports a
record app. ``sources`` hands its citation inline down through
``register_record_inline`` so that ``partners``, which sits below ``sources``,
carries citations without importing it.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Max, Min, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from common import formatting, pagination
from common.admin_lookups import StrictLookupsMixin
from common.partial_date_fields import PartialDatesAdminMixin
from common.text import fold
from offices.admin_scope import ProvinceAdminMixin
from offices.scope import records_of
from register import history
from register.review_admin import ReviewMixin


def format_number(value):
    """134.525.000 in Vietnamese, 134,525,000 in English; decimals only when there are some."""
    if value is None:
        return ""
    decimal_pos = 0 if value == value.to_integral_value() else None
    return formats.number_format(value, decimal_pos=decimal_pos, force_grouping=True)


def whole_number(text):
    """An id or a version as a page sent it back: ``28077``, or ``28.077`` / ``28,077``
    from a page written before numbers read back were rendered without separators
    (a form left open across the update). ValueError when it is not one."""
    return int(str(text).strip().replace(".", "").replace(",", "").replace("\u00a0", ""))


def folded_search_terms(search_term):
    """The words (or "quoted phrases") of an admin search, folded like ``search_text``."""
    terms = []
    for bit in smart_split(search_term or ""):
        if bit[:1] in ('"', "'") and bit[0] == bit[-1] and len(bit) > 1:
            bit = unescape_string_literal(bit)
        folded = fold(bit)
        if folded:
            terms.append(folded)
    return terms


class FoldedSearchMixin:
    """Search that finds "Bằng Tường" for "bang tuong", "BẰNG TƯỜNG" or "bằng".

    A row matches when every word is contained in its folded ``search_text``
    column, or when Django's own ``search_fields`` search matches (related
    names, columns outside ``search_text``). The two are OR'ed in one WHERE
    clause, so a row matching both comes back once. When every search field
    is one of the model's ``SEARCH_FIELDS``, whose folded text is already in
    ``search_text``, Django's part is left out: the query then tests one
    column, which a trigram index can serve (PostgreSQL's pg_trgm, SQLite's
    FTS5 table: register/search_sql.py).

    The autocomplete views call ``get_search_results`` too, so every
    autocomplete pointing at this model is accent-insensitive as well.
    """

    def get_search_results(self, request, queryset, search_term):
        terms = folded_search_terms(search_term)
        if not terms or not hasattr(self.model, "search_text"):
            return super().get_search_results(request, queryset, search_term)
        folded = models.Q()
        for term in terms:
            folded &= models.Q(search_text__search_contains=term)
        covered = set(getattr(self.model, "SEARCH_FIELDS", ()))
        if all(field in covered for field in self.get_search_fields(request)):
            return queryset.filter(folded), False
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return found | queryset.filter(folded), may_have_duplicates


class ClearConstraintMessagesForm(forms.ModelForm):
    """A model form that shows each rule once, in words.

    A check constraint without a message of its own makes Django add
    "Constraint “…” is violated." next to what ``clean()`` already explained
    (a participant that is both a partner and a unit): that line is dropped.
    The same message given twice (by ``clean()`` and by a constraint carrying
    the same words) is shown once. A field the form itself refused keeps only
    its own messages.
    """

    def _post_clean(self):
        # A field the form already refused (a date that could not be read) keeps
        # its own messages only: the model's clean() saw the field's old value
        # (none, on a new record), so "enter the start date as well" is beside the point.
        refused = {name: errors.copy() for name, errors in self._errors.items() if name != NON_FIELD_ERRORS}
        super()._post_clean()
        self._errors.update(refused)
        non_field = self._errors.get(NON_FIELD_ERRORS)
        if not non_field:
            return
        generic = {
            str(constraint.get_violation_error_message())
            for constraint in self._meta.model._meta.constraints
            if constraint.violation_error_message == constraint.default_violation_error_message
        }
        explained = [message for message in non_field if str(message) not in generic]
        kept = []
        for message in explained or non_field:
            if message not in kept:
                kept.append(message)
        self._errors[NON_FIELD_ERRORS] = self.error_class(kept, error_class="nonfield", renderer=self.renderer)


# Inlines that every cited record's admin carries, handed down by the apps
# that own them (sources adds its citations). Filled when the admin modules load.
_RECORD_INLINES = []


def register_record_inline(inline):
    """Class decorator: add ``inline`` after the own inlines of every ``CitedRecordAdmin``."""
    if inline not in _RECORD_INLINES:
        _RECORD_INLINES.append(inline)
    return inline


def year_filter(field_name, title):
    """A "by year" side filter for a change list of up to millions of rows, in
    place of ``date_hierarchy``: that one asks for the DISTINCT years (or months)
    of the filtered rows, a full scan per page view. The years offered here run
    from the table's first to its last date: two index reads. ``title`` is in
    lower case, like the field names the other filters show ("Theo năm ký")."""

    class YearListFilter(admin.SimpleListFilter):
        parameter_name = f"{field_name}_year"

        def lookups(self, request, model_admin):
            # The years of the user's province's records only (offices.scope.records_of).
            rows = records_of(model_admin.model._default_manager.all(), request.user)
            bounds = rows.aggregate(first=Min(field_name), last=Max(field_name))
            if bounds["first"] is None:
                return []
            return [(str(year), str(year)) for year in range(bounds["last"].year, bounds["first"].year - 1, -1)]

        def queryset(self, request, queryset):
            try:
                year = int(self.value() or "")
            except ValueError:
                return queryset  # Not a year: the list is shown unfiltered.
            if not 1 <= year < 9999:
                return queryset
            start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
            return queryset.filter(Q((f"{field_name}__gte", start)), Q((f"{field_name}__lt", end)))

    YearListFilter.title = title
    return YearListFilter


class CappedCountPaginator(Paginator):
    """The change list's paginator, counting at most ``COUNT_CAP`` + 1 rows: at a
    million delegations a full ``COUNT(*)`` on every page view would cost more than
    the page itself. Past the cap the page says "more than 10.000" (see
    templates/admin/pagination.html); staff narrow the list with its filters."""

    @cached_property
    def count(self):
        cap = pagination.COUNT_CAP
        rows = self.object_list
        counted = rows.order_by().values("pk")[: cap + 1].count() if hasattr(rows, "order_by") else len(rows)
        self.capped = counted > cap
        return cap if self.capped else counted


class PrefetchingChangeList(ChangeList):
    """A change list that also prefetches the admin's ``list_prefetch_related``
    (many-to-many columns such as a delegation's partners: one query for the
    page, not one per row)."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        prefetch = getattr(self.model_admin, "list_prefetch_related", ())
        return queryset.prefetch_related(*prefetch) if prefetch else queryset


def stale_edit_form(form_class):
    """``form_class`` refusing to save over a change made since the form was
    opened: the page carries the record's audit-trail version (``_version``),
    and a save whose version is no longer the newest is refused with what
    changed, by whom. Nothing is overwritten silently."""

    class StaleEditForm(form_class):
        def clean(self):
            data = super().clean()
            sent = self.data.get("_version")
            if self.instance.pk and sent not in (None, ""):
                try:
                    opened = whole_number(sent)
                except ValueError:
                    opened = -1
                if opened != history.version(self.instance):
                    changed, who = history.changes_since(self.instance, opened)
                    lines = "; ".join(f"{label}: {old} → {new}" for label, old, new in changed) or _("links or rows")
                    raise forms.ValidationError(
                        _(
                            "Someone else (%(who)s) saved this record after you opened it. Your changes were not "
                            "saved. What they changed: %(changes)s. Open the record again to see the current "
                            "version, then make your changes again."
                        ),
                        code="stale",
                        params={"who": formatting.person_name(who) if who else "?", "changes": lines},
                    )
            return data

    return StaleEditForm


class RegisterAdmin(
    ProvinceAdminMixin, PartialDatesAdminMixin, StrictLookupsMixin, FoldedSearchMixin, admin.ModelAdmin
):
    """The base of the register's admins: folded search, clear constraint
    messages, and ``list_prefetch_related`` beside ``list_select_related``.
    Its change lists take from the query string only what their filters write
    (common/admin_lookups.py).
    The prefetch applies to the change list only, so autocompletes and change
    pages do not pay for it.

    With the audit trail: the "History" page lists every change field by
    field, a stale save is refused (``stale_edit_form``), and the records
    deleted can be listed and restored (``deleted/``).

    A model's ``PARTIAL_DATES`` are one text box each ("2008", "tháng 10/2011",
    "11/06/2024"), which sets the precision too (common/partial_date_fields.py)."""

    form = ClearConstraintMessagesForm
    list_per_page = 50
    paginator = CappedCountPaginator
    list_prefetch_related = ()
    change_form_template = "admin/register_change_form.html"
    change_list_template = "admin/register_change_list.html"

    def get_changelist(self, request, **kwargs):
        return PrefetchingChangeList

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return stale_edit_form(form) if history.has_history(self.model) else form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A form shown again after a refused save keeps the version it was opened at,
        # so saving it again is refused again until the record is reopened.
        if change and history.has_history(self.model):
            sent = request.POST.get("_version") if request.method == "POST" else None
            context["record_version"] = sent if sent is not None else history.version(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not history.has_history(self.model):
            return super().history_view(request, object_id, extra_context)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": _("Change history: %(record)s") % {"record": obj},
            "changes": history.changes(obj, limit=200),
        }
        return TemplateResponse(request, "admin/record_history.html", context)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name=f"{opts.app_label}_{opts.model_name}_deleted",
            ),
            *super().get_urls(),
        ]

    def deleted_view(self, request):
        """The records deleted from this list, and (for those who may delete) a button to restore each."""
        if not history.has_history(self.model) or not self.has_view_or_change_permission(request):
            raise PermissionDenied
        may_restore = self.has_delete_permission(request) and self.has_add_permission(request)
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            try:
                record = history.restore(self.model, whole_number(request.POST.get("restore", "")), request.user)
            except (ValueError, LookupError):
                self.message_user(request, _("There is no deleted record with that number."), messages.ERROR)
            except history.RestoreBlocked as blocked:
                self.message_user(request, str(blocked), messages.ERROR)
            else:
                self.log_addition(request, record, [{"added": {}}])
                self.message_user(request, _("“%(record)s” was restored.") % {"record": record}, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Deleted %(records)s") % {"records": self.model._meta.verbose_name_plural},
            "rows": history.deleted(self.model, user=request.user),
            "may_restore": may_restore,
        }
        return TemplateResponse(request, "admin/deleted_records.html", context)


class CitedRecordAdmin(RegisterAdmin):
    """A record that cites its sources: the shared inlines come after its own."""

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *_RECORD_INLINES]


# The review fields at the end of the form of a source, figure, partner, unit or
# mechanism (they have no created/updated times, unlike the records).
REVIEW_FIELDSET = (_("Review and publication"), {"classes": ["collapse"], "fields": ["review_state", "is_public"]})


class PublishableRecordAdmin(ReviewMixin, CitedRecordAdmin):
    """A cited record with ``is_public`` and ``review_state``; subclasses end
    their fieldsets with ``review_fieldset``."""

    review_fieldset = (
        _("Review and publication"),
        {"classes": ["collapse"], "fields": ["review_state", "is_public", "created_at", "updated_at"]},
    )

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "created_at", "updated_at"]
