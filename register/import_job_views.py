"""The admin pages of a large import run as a job (register/import_jobs.py): the
job's page (progress while it runs, then the preview or the outcome), its
status as JSON for static/js/import_progress.js, and the buttons that confirm
the preview and resume a stopped save. A job is seen by its owner and by
superusers only; anyone else gets the 404 of a job that does not exist."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from register import import_duplicates
from register.import_jobs import run_inline
from register.import_reading import thousands
from register.models import ImportJob

REFRESH_SECONDS = 5  # the page reloads itself while the job runs (no JavaScript needed)


class ImportJobAdminMixin:
    """Added to RecordImportMixin: the job pages of a record's admin."""

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}_import_job"
        wrap = self.admin_site.admin_view
        urls = [
            path("import/jobs/<int:pk>/", wrap(self.import_job_view), name=f"{prefix}"),
            path(
                "import/jobs/<int:pk>/status.json",
                wrap(self.import_job_status),
                name=f"{prefix}_status",
            ),
            path(
                "import/jobs/<int:pk>/confirm/",
                wrap(require_POST(self.import_job_confirm)),
                name=f"{prefix}_confirm",
            ),
            path(
                "import/jobs/<int:pk>/resume/",
                wrap(require_POST(self.import_job_resume)),
                name=f"{prefix}_resume",
            ),
        ]
        return urls + super().get_urls()

    def import_job_url(self, job, step=""):
        name = f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_import_job"
        name += f"_{step}" if step else ""
        return reverse(name, args=[job.pk], current_app=self.admin_site.name)

    def start_import_job(self, request, form, rows):
        """Keeps the uploaded file and queues its preview; the page to follow it."""
        upload = form.cleaned_data["import_file"]
        job = ImportJob(
            owner=request.user,
            model=self.model._meta.label_lower,
            resource=int(form.cleaned_data.get("resource") or 0),
            file_name=upload.name[:255],
            file_kind=form.kind,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            total_rows=rows,
        )
        upload.seek(0)
        job.file.save(upload.name, upload, save=False)
        job.save()
        self.kick(job)
        return HttpResponseRedirect(self.import_job_url(job))

    def kick(self, job):
        if getattr(settings, "JOBS_RUN_INLINE", False):
            run_inline(job)

    def get_import_job(self, request, pk):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = ImportJob.objects.filter(pk=pk, model=self.model._meta.label_lower).select_related("owner").first()
        if job is None or (job.owner_id != request.user.pk and not request.user.is_superuser):
            raise Http404(_("There is no such import."))
        return job

    def progress_text(self, job):
        if job.status == ImportJob.Status.QUEUED:
            return _("Waiting for the worker to start…")
        if job.step == ImportJob.Step.PREVIEW:
            text = _("Checked %(done)s of %(total)s rows.")
        else:
            text = _("Saved %(done)s of %(total)s rows.")
        return text % {"done": thousands(job.done_rows), "total": thousands(job.total_rows)}

    def import_job_status(self, request, pk):
        job = self.get_import_job(request, pk)
        # The admin's views are never cached (admin_view adds no-store).
        return JsonResponse(
            {
                "step": job.step,
                "status": job.status,
                "done": job.done_rows,
                "total": job.total_rows,
                "saved": job.saved_rows,
                "percent": job.percent,
                "finished": job.finished,
                "text": self.progress_text(job),
            }
        )

    def import_job_view(self, request, pk):
        job = self.get_import_job(request, pk)
        result = job.result or {}
        duplicates = dict(result.get("duplicates", []))
        rows = [
            (number, kind, [mark_safe(cell) for cell in cells], duplicates.get(number, []))  # noqa: S308 - ImportDiff escaped them
            for number, kind, cells in result.get("rows", [])
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.model._meta,
            "job": job,
            "result": result,
            "rows": rows,
            "progress_text": self.progress_text(job),
            "refresh_seconds": REFRESH_SECONDS,
            "status_url": self.import_job_url(job, "status"),
            "confirm_url": self.import_job_url(job, "confirm"),
            "resume_url": self.import_job_url(job, "resume"),
            "may_resume": job.step == ImportJob.Step.SAVE
            and job.status == ImportJob.Status.FAILED
            and bool(job.file)
            and job.saved_rows < job.total_rows,
            "shown_rows": min(len(rows), result.get("row_count", 0)),
            "duplicates": result.get("duplicates", []),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, ["admin/imports/job.html"], context)

    def import_job_confirm(self, request, pk):
        job = self.get_import_job(request, pk)
        ready = job.step == ImportJob.Step.PREVIEW and job.status == ImportJob.Status.DONE
        if ready and (job.result or {}).get("valid"):
            job.result = {**job.result, "import_duplicates": import_duplicates.chosen(request.POST)}
            job.step, job.status, job.done_rows, job.saved_rows = ImportJob.Step.SAVE, ImportJob.Status.QUEUED, 0, 0
            job.started_at = job.finished_at = None
            job.save()
            self.kick(job)
        return HttpResponseRedirect(self.import_job_url(job))

    def import_job_resume(self, request, pk):
        job = self.get_import_job(request, pk)
        if job.step == ImportJob.Step.SAVE and job.status == ImportJob.Status.FAILED and job.file:
            job.status, job.message, job.finished_at = ImportJob.Status.QUEUED, "", None
            job.save()
            self.kick(job)
        return HttpResponseRedirect(self.import_job_url(job))
