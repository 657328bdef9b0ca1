"""Admin pieces shared by every record app: accent-insensitive search, the
publication actions, the inlines every record carries (citations), and forms
that put database rules into words.

Record apps sit above this module and import from it; nothing here imports a
record app. ``sources`` hands its citation inline down through
``register_record_inline`` so that ``partners``, which sits below ``sources``,
carries citations without importing it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lang_son_affairs.lib.models import ReviewState
from lang_son_affairs.lib.text import fold


def format_number(value):
    """134.525.000 in Vietnamese, 134,525,000 in English; decimals only when there are some."""
    if value is None:
        return ""
    decimal_pos = 0 if value == value.to_integral_value() else None
    return formats.number_format(value, decimal_pos=decimal_pos, force_grouping=True)


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
    column, which a trigram index can serve.

    The autocomplete views call ``get_search_results`` too, so every
    autocomplete pointing at this model is accent-insensitive as well.
    """

    def get_search_results(self, request, queryset, search_term):
        terms = folded_search_terms(search_term)
        if not terms or not hasattr(self.model, "search_text"):
            return super().get_search_results(request, queryset, search_term)
        folded = models.Q()
        for term in terms:
            folded &= models.Q(search_text__contains=term)
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
    the same words) is shown once.
    """

    def _post_clean(self):
        super()._post_clean()
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


class PublicationMixin:
    """Shows and changes the review state and publication of a record.

    Issue 5 builds the review workflow; until then anyone who may change a
    record may approve and publish it, or take it off the public site.
    """

    actions = ["approve_and_publish", "unpublish"]

    def _update_publication(self, request, queryset, **values):
        """One UPDATE for the rows and one INSERT for their history entries."""
        rows = list(queryset)
        count = queryset.update(**values, updated_at=timezone.now())
        if rows:
            # The history stores the untranslated labels and translates them when shown, as the change form does.
            with translation.override(None):
                labels = [str(self.model._meta.get_field(name).verbose_name) for name in values]
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=rows,
                action_flag=CHANGE,
                change_message=[{"changed": {"fields": labels}}],
            )
        return count

    @admin.action(permissions=["change"], description=_("Mark as approved and published"))
    def approve_and_publish(self, request, queryset):
        count = self._update_publication(request, queryset, review_state=ReviewState.APPROVED, is_public=True)
        message = ngettext(
            "%(count)d record approved and published.", "%(count)d records approved and published.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(permissions=["change"], description=_("Unpublish (hide from the public)"))
    def unpublish(self, request, queryset):
        count = self._update_publication(request, queryset, is_public=False)
        message = ngettext("%(count)d record unpublished.", "%(count)d records unpublished.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


# Inlines that every cited record's admin carries, handed down by the apps
# that own them (sources adds its citations). Filled when the admin modules load.
_RECORD_INLINES = []


def register_record_inline(inline):
    """Class decorator: add ``inline`` after the own inlines of every ``CitedRecordAdmin``."""
    if inline not in _RECORD_INLINES:
        _RECORD_INLINES.append(inline)
    return inline


class PrefetchingChangeList(ChangeList):
    """A change list that also prefetches the admin's ``list_prefetch_related``
    (many-to-many columns such as a delegation's partners: one query for the
    page, not one per row)."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        prefetch = getattr(self.model_admin, "list_prefetch_related", ())
        return queryset.prefetch_related(*prefetch) if prefetch else queryset


class RegisterAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """The base of the register's admins: folded search, clear constraint
    messages, and ``list_prefetch_related`` beside ``list_select_related``.
    The prefetch applies to the change list only, so autocompletes and change
    pages do not pay for it."""

    form = ClearConstraintMessagesForm
    list_per_page = 50
    list_prefetch_related = ()

    def get_changelist(self, request, **kwargs):
        return PrefetchingChangeList


class CitedRecordAdmin(RegisterAdmin):
    """A record that cites its sources: the shared inlines come after its own."""

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *_RECORD_INLINES]


class PublishableRecordAdmin(PublicationMixin, CitedRecordAdmin):
    """A cited record with ``is_public`` and ``review_state``; subclasses end
    their fieldsets with ``review_fieldset``."""

    review_fieldset = (
        _("Review and publication"),
        {"classes": ["collapse"], "fields": ["review_state", "is_public", "created_at", "updated_at"]},
    )

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "created_at", "updated_at"]
