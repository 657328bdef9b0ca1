"""Delegations with their members, photos and citations, on one screen."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from delegations.models import Delegation, DelegationMember, DelegationPhoto, persons_summary
from delegations.resources import DelegationResource
from delegations.stage_admin import StageAdminMixin
from delegations.stage_fields import STATUS_OF, Stage
from planning.linking import stage_and_plan
from register.import_admin import RecordImportMixin
from register.record_admin import ClearConstraintMessagesForm, PublishableRecordAdmin, year_filter


class MemberFormSet(BaseInlineFormSet):
    """The members are the people known by name: no more than the delegation's size
    when the size is known, and at most one head.

    The size is what staff typed, or blank when the source does not say: it is
    never counted from this list (staff often know the head and not the others,
    and a size of 1 made up from a lone head became "1 lượt người" in the
    reports). The database holds the one-head rule too (a partial unique index);
    checking it here turns an IntegrityError into a message.
    """

    def entered_forms(self):
        """The rows that will be members once saved: kept existing rows and filled-in new ones."""
        return [
            form
            for form in self.forms
            if (form.instance.pk is not None or form.has_changed())
            and not (self.can_delete and form.cleaned_data.get("DELETE"))
        ]

    def clean(self):
        super().clean()
        members = self.entered_forms()
        errors = []
        leaders = sum(1 for form in members if form.cleaned_data.get("is_leader"))
        if leaders > 1:
            errors.append(
                ValidationError(
                    _("Only one member can be the head of the delegation; %(count)d are marked."),
                    code="several_leaders",
                    params={"count": leaders},
                )
            )
        size = self.instance.size
        if size is not None and len(members) > size:
            errors.append(
                ValidationError(
                    ngettext(
                        "%(count)d person is named but the number of persons is %(size)d. "
                        "Correct the number, or leave it blank if the source does not say.",
                        "%(count)d persons are named but the number of persons is %(size)d. "
                        "Correct the number, or leave it blank if the source does not say.",
                        len(members),
                    ),
                    code="more_members_than_size",
                    params={"size": size, "count": len(members)},
                )
            )
        if errors:
            raise ValidationError(errors)


class MemberInline(admin.TabularInline):
    model = DelegationMember
    form = ClearConstraintMessagesForm
    formset = MemberFormSet
    fields = ["name", "position", "organisation", "is_leader", "order"]
    extra = 1


class PhotoInline(admin.TabularInline):
    model = DelegationPhoto
    fields = ["preview", "image", "caption", "credit", "order"]
    readonly_fields = ["preview"]
    extra = 1

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if obj is None or not obj.thumbnail:
            return "—"
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" height="90" loading="lazy"></a>',
            obj.image.url,
            obj.thumbnail.url,
            obj.caption,
        )


class DelegationForm(ClearConstraintMessagesForm):
    class Meta:
        model = Delegation
        fields = "__all__"
        widgets = {"outcome": forms.Textarea(attrs={"rows": 4, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "stage" in self.fields:  # a new delegation's: left out, it is closed (the model's default)
            self.fields["stage"].required = False

    def clean_stage(self):
        return self.cleaned_data.get("stage") or Stage.CLOSED


@admin.register(Delegation)
class DelegationAdmin(StageAdminMixin, RecordImportMixin, PublishableRecordAdmin):
    form = DelegationForm
    # The stage bar above the review state (delegations/stage_admin.py).
    change_form_template = "admin/delegations/delegation/change_form.html"
    resource_classes = [DelegationResource]
    inlines = [MemberInline, PhotoInline]

    # The register's admin layout for a 1280-px screen (static/css/admin.css).
    class Media:
        css = {"all": ["css/admin.css"]}

    # Seven columns: with the filters beside it, the list fits a 1280-px screen and the
    # title reads as a line (the unit and the size are on the form and in the exports).
    # The stage says more than the status it sets (delegations/stage_fields.py), so it takes its column.
    list_display = ["title", "direction", "dates", "partner_names", stage_and_plan, "review_state", "is_public"]
    list_prefetch_related = ["partners"]
    # By year rather than date_hierarchy, whose DISTINCT years scan every row (register/record_admin.py).
    list_filter = [
        year_filter("start_date", _("year")),
        "direction",
        "stage",
        "status",
        "purpose",
        "level",
        "mechanism",
        "review_state",
        "is_public",
    ]
    search_fields = ["title", "leader_name", "decision_ref"]
    # At national scale a second COUNT over a million rows buys little.
    show_full_result_count = False
    autocomplete_fields = ["partners", "host_unit", "mechanism", "plan_line"]
    fieldsets = [
        (
            None,
            {"fields": ["direction", "title", "purpose", "level", ("stage", "status"), "stage_reason", "plan_line"]},
        ),
        (_("When"), {"fields": [("start_date", "end_date")]}),
        (
            _("Who"),
            {
                "fields": [
                    "partners",
                    "host_unit",
                    ("leader_name", "leader_title"),
                    ("size", "persons_counted"),
                    "received_by",
                ]
            },
        ),
        (_("Where and why"), {"fields": ["places", "mechanism", "outcome"]}),
        (
            _("Decision and funding"),
            {"fields": [("decision_ref", "decision_date"), "decision_signer", "decision_file", "funding"]},
        ),
        (_("Reception plan"), {"classes": ["collapse"], "fields": ["reception_plan", "reception_plan_file"]}),
        (
            _("Return and result report"),
            {"fields": [("returned_on", "report_received_on"), "report_file", "report_summary"]},
        ),
        PublishableRecordAdmin.review_fieldset,
    ]

    readonly_fields = ["persons_counted"]

    def get_readonly_fields(self, request, obj=None):
        """A saved delegation's stage moves only by its buttons (delegations/stages.py), which set the status
        too; a new one's stage is chosen here, and the status follows it."""
        fields = [*super().get_readonly_fields(request, obj), "status"]
        return [*fields, "stage", "stage_reason"] if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # A new record: its stage, and no status yet (it follows the stage).
        (name, options), *rest = fieldsets
        fields = [("stage",) if field == ("stage", "status") else field for field in options["fields"]]
        return [(name, {**options, "fields": fields}), *rest]

    def save_model(self, request, obj, form, change):
        """A new delegation's status follows the stage chosen (closed unless staff say otherwise: most
        delegations entered are trips already over, from an article or a report, and a stage left as it
        came never asks anyone for a result report).

        A save that sets the size below the members the delegation has now is held
        back to ``save_related``, which first removes the members the form deletes:
        SQLite checks "no more members than the size" at each write
        (delegations/members_sql.py), so saving the smaller size first would be
        refused though the form (checked by MemberFormSet) is right. PostgreSQL
        checks at commit and would pass either way."""
        if not change:
            obj.status = STATUS_OF[obj.stage]
            obj.stage_changed_at = timezone.now()
        if change and obj.size is not None and obj.members.count() > obj.size:
            obj._save_after_removed_members = True
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        removed = []
        if getattr(obj, "_save_after_removed_members", False):
            del obj._save_after_removed_members
            members = [formset for formset in formsets if isinstance(formset, MemberFormSet)]
            for formset in members:
                for member_form in formset.deleted_forms:
                    if member_form.instance.pk is not None:
                        removed.append((formset, member_form.instance))
                        member_form.instance.delete()
            super().save_model(request, obj, form, change)
        # The formsets skip the members already removed (their pk is None now).
        super().save_related(request, form, formsets, change)
        for formset, member in removed:
            formset.deleted_objects.append(member)  # named in the change message, as any deletion

    @admin.display(description=_("persons, as counted"))
    def persons_counted(self, obj):
        """What the reports count for this delegation, beside the size typed:
        "unknown (1 known by name)" rather than a size made up from the list."""
        if obj is None or obj.pk is None:
            return "—"
        return persons_summary(obj.size, obj.members.count())

    @admin.display(description=_("dates"), ordering="start_date")
    def dates(self, obj):
        return obj.date_display

    @admin.display(description=_("partners"))
    def partner_names(self, obj):
        return ", ".join(partner.name for partner in obj.partners.all())
