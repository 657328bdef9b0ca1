"""The issued reports' pages: /reports/issued/ and /reports/issued/<pk>/, under a
province's prefix as every page (offices/site_scope.py). Visitors read the
public ones of the province shown; its signed-in users every issued one. A
page is written from the frozen snapshot, never from the live records; its
files are the ones stored on issue, sent only to who may read the report."""

import posixpath

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from offices.site_scope import shown_province
from register.publishable import signed_in
from reports.issued import selectors
from reports.issued.models import PeriodicReport

PER_PAGE = 50
KINDS = {"docx", "xlsx", "pdf"}


@require_GET
def issued_list(request):
    paginator = Paginator(selectors.shown_reports(request.user), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page_obj": page, "reports": page.object_list, "internal": shown_province(request.user)[1]}
    return render(request, "reports/issued_list.html", context)


@require_GET
def issued_detail(request, pk):
    report = get_object_or_404(selectors.shown_reports(request.user), pk=pk)
    snapshot = report.snapshot or {}
    meta = snapshot.get("meta") or {}
    context = {
        "report": report,
        "meta": meta,
        "sections": [
            (PeriodicReport._meta.get_field(name).verbose_name, text)
            for name, text in (meta.get("sections") or {}).items()
            if text
        ],
        "count_rows": selectors.count_rows(snapshot),
        "annexes": selectors.annexes(snapshot),
        "in_review": snapshot.get("in_review") or {},
        "internal": shown_province(request.user)[1],
    }
    if signed_in(request.user):
        context["changed"] = selectors.changed_since_issue(report)
        context["added"] = selectors.added_since_issue(report)
        context["changed_count"] = len(context["changed"]) + len(context["added"])
    return render(request, "reports/issued_detail.html", context)


@require_GET
def issued_file(request, pk, kind):
    if kind not in KINDS:
        raise Http404
    report = get_object_or_404(PeriodicReport.objects.shown_to(request.user), pk=pk)
    name = getattr(report, kind).name
    if not name:
        raise Http404
    try:
        stream = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = f"{report.number}-{report.symbol}-{report.issued_year}{posixpath.splitext(name)[1]}"
    response = FileResponse(stream, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
