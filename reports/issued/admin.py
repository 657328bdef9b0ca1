"""The reports in the admin: staff draft them, approvers issue them.

- Province: ``ProvinceAdminMixin`` (offices/admin_scope.py), as every record:
  a user's own province's reports only, stamped on the new ones.
- Roles: add, change and view as the groups give them (register/roles.py
  ``ROLE_MODELS``); issuing is for who reviews records (register/review.py
  ``may_review``: approvers and administrators).
- An issued report is read-only but for ``is_public``, and is never deleted;
  "Make a correction" starts a new draft that replaces it."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common import formatting
from offices.admin_scope import ProvinceAdminMixin
from offices.scope import office_of
from register.review import may_review
from reports.issued import services
from reports.issued.forms import IssuedReportForm, IssueForm, PeriodicReportForm
from reports.issued.models import SECTIONS, PeriodicReport

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_text(report):
    return f"{formatting.partial_date(report.start, 'day')} – {formatting.partial_date(report.end, 'day')}"


@admin.register(PeriodicReport)
class PeriodicReportAdmin(ProvinceAdminMixin, admin.ModelAdmin):
    form = PeriodicReportForm
    change_form_template = "admin/reports/periodicreport/change_form.html"
    list_display = ["reference_display", "title", "period_display", "kind", "state", "day", "is_public"]
    list_display_links = ["reference_display", "title"]
    list_filter = ["state", "kind", "is_public"]
    search_fields = ["title", "signer_name"]
    date_hierarchy = "start"
    list_select_related = ["replaces"]
    fieldsets = [
        (None, {"fields": ["kind", "preset", "year", "quarter", "month", "start", "end", "title"]}),
        (
            gettext_lazy("Number, date and recipients"),
            {"fields": ["number", "symbol", "day", "place", "recipients", "is_public"]},
        ),
        (
            gettext_lazy("Signature"),
            {"fields": ["authority", "authority_title", "signer_title", "signer_name"]},
        ),
        (gettext_lazy("Narrative"), {"fields": [*SECTIONS, "replace_written"]}),
    ]
    issued_fieldsets = [
        (None, {"fields": ["kind", "period_display", "title", "state", "issued_display", "is_public"]}),
        (
            gettext_lazy("Number, date and recipients"),
            {"fields": ["reference_display", "day", "place", "recipients"]},
        ),
        (
            gettext_lazy("Signature"),
            {"fields": ["authority", "authority_title", "signer_title", "signer_name"]},
        ),
        (gettext_lazy("Narrative"), {"fields": list(SECTIONS)}),
    ]

    @admin.display(description=gettext_lazy("number"), ordering="number")
    def reference_display(self, obj):
        return obj.reference

    @admin.display(description=gettext_lazy("period"), ordering="start")
    def period_display(self, obj):
        return period_text(obj)

    @admin.display(description=gettext_lazy("issued"))
    def issued_display(self, obj):
        if not obj.issued_at:
            return "—"
        by = formatting.person_name(obj.issued_by)
        return f"{formatting.partial_date(obj.issued_at.date(), 'day')} · {by}"

    # --- issued reports are read-only ---------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.is_issued:
            return self.issued_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_issued:
            # Publishing an issued report is the reviewers' part, as publishing a record is (register/review.py).
            publishes = may_review(request.user)
            fields = [name for _title, options in self.issued_fieldsets for name in options["fields"]]
            return [name for name in fields if name != "is_public" or not publishes]
        return super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and obj.is_issued:
            kwargs.update(form=IssuedReportForm, fields=["is_public"])
        return super().get_form(request, obj, change, **kwargs)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_issued:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # The bulk delete would delete issued reports with the drafts.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        office = office_of(request.user)
        if office is not None:
            initial.setdefault("symbol", office.report_symbol)
            initial.setdefault("place", office.place)
            initial.setdefault("recipients", office.report_recipients)
            initial.setdefault("signer_title", office.signer_title)
        initial.setdefault("preset", "quarter")
        return initial

    # --- the change form's buttons --------------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            may_issue=obj is not None and not obj.is_issued and self._may_issue(request),
            replaced_by=list(obj.replaced_by.all()) if obj is not None else [],
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_prefill" in request.POST:
            return self._prefilled(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_prefill" in request.POST and not obj.is_issued:
            return self._prefilled(request, obj)
        return super().response_change(request, obj)

    def _prefilled(self, request, obj):
        """Fill the saved draft's narrative from the register: the empty sections, or all when confirmed."""
        overwrite = request.POST.get("replace_written") == "on"
        kept = [name for name in SECTIONS if getattr(obj, name).strip()] if not overwrite else []
        filled = services.fill_sections(obj, overwrite=overwrite)
        obj.save()
        names = ", ".join(str(PeriodicReport._meta.get_field(name).verbose_name) for name in filled)
        self.message_user(
            request,
            _("Sections filled from the register: %(names)s.") % {"names": names}
            if filled
            else _("No section was filled."),
            messages.SUCCESS if filled else messages.WARNING,
        )
        if kept:
            self.message_user(
                request,
                _(
                    "%(count)s sections already written were kept. To replace them, tick “Replace the text "
                    "already written” and press the button again."
                )
                % {"count": len(kept)},
                messages.INFO,
            )
        return HttpResponseRedirect(reverse("admin:reports_periodicreport_change", args=[obj.pk]))

    # --- the report's own pages -----------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/preview.<str:kind>", view(self.preview_view), name="reports_periodicreport_preview"),
            path("<path:object_id>/issue/", view(self.issue_view), name="reports_periodicreport_issue"),
            path(
                "<path:object_id>/correct/",
                view(require_POST(self.correct_view)),
                name="reports_periodicreport_correct",
            ),
            *super().get_urls(),
        ]

    def _report(self, request, object_id):
        report = self.get_object(request, unquote(object_id))  # the user's province's only
        if report is None or not self.has_view_or_change_permission(request, report):
            raise PermissionDenied
        return report

    def _may_issue(self, request):
        return may_review(request.user) and self.has_change_permission(request)

    def preview_view(self, request, object_id, kind):
        """The draft's DOCX or XLSX, made now from the register and marked as a draft."""
        report = self._report(request, object_id)
        if kind not in {"docx", "xlsx"}:
            raise PermissionDenied
        docx, xlsx = services.draft_files(report)
        body, content_type = (docx, DOCX) if kind == "docx" else (xlsx, XLSX)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="du-thao-bao-cao-{report.pk}.{kind}"'
        return response

    def issue_view(self, request, object_id):
        """Confirm and issue: what is missing, a number already used, the records still in review."""
        report = self._report(request, object_id)
        if not self._may_issue(request):
            raise PermissionDenied
        change_url = reverse("admin:reports_periodicreport_change", args=[report.pk])
        if report.is_issued:
            self.message_user(request, _("This report has already been issued."), messages.WARNING)
            return HttpResponseRedirect(change_url)
        reasons = services.refusals(report)
        form = IssueForm(request.POST or None)
        snapshot = None if reasons else services.build_snapshot(report)
        in_review = int(((snapshot or {}).get("in_review") or {}).get("count") or 0)
        if request.method == "POST" and not reasons and form.is_valid():
            include = in_review > 0 and form.cleaned_data["in_review"] == IssueForm.INCLUDE
            try:
                services.issue(report, request.user, include_in_review=include, snapshot=None if include else snapshot)
            except services.IssueRefused as refused:
                reasons = refused.reasons
            else:
                self.message_user(request, _("The report %(reference)s was issued.") % {"reference": report.reference})
                if not report.pdf:
                    self.message_user(
                        request,
                        _("No PDF was made: LibreOffice is not installed on the server (see the README)."),
                        messages.WARNING,
                    )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": report,
            "title": _("Issue the report"),
            "reasons": reasons,
            "in_review": in_review,
            "form": form,
            "period": period_text(report),
            "change_url": change_url,
            "pdf_available": not reasons and services.pdf_available(),
        }
        return TemplateResponse(request, "admin/reports/periodicreport/issue.html", context)

    def correct_view(self, request, object_id):
        report = self._report(request, object_id)
        if not self.has_add_permission(request) or not report.is_issued:
            raise PermissionDenied
        copy = services.correct(get_object_or_404(PeriodicReport, pk=report.pk), request.user)
        self.message_user(
            request,
            _("A correction of %(reference)s was started: give it its own number before issuing it.")
            % {"reference": report.reference},
        )
        return HttpResponseRedirect(reverse("admin:reports_periodicreport_change", args=[copy.pk]))
