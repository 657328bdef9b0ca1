"""The admin pages of the article reader ("Đọc bài báo / báo cáo"): the form that takes a text or
a file (``read_view``), the review screen of one reading that accepts the ticked proposals in one
POST (``review_view``), and what accepting made (``result_view``).

Only staff who may add the records a reading makes (sources and their citations, delegations,
agreements, reported figures) open them; a reading belongs to its office, and a user of another
province's office gets a 404 for it (offices.scope.records_of)."""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.scope import is_national, records_of, writing_province
from reading.accept import Refused, accept
from reading.forms import ReadForm
from reading.models import ArticleReading
from reading.review import KINDS, build_review

# What accepting a reading adds.
NEEDED = (
    "sources.add_source",
    "sources.add_citation",
    "sources.add_reportedfigure",
    "delegations.add_delegation",
    "agreements.add_agreement",
    "partners.add_partner",
)
TITLES = {
    "delegations": gettext_lazy("Delegations"),
    "agreements": gettext_lazy("Agreements"),
    "figures": gettext_lazy("Reported figures"),
}


def may_read(user):
    """Whether ``user`` may use the article reader: active staff with every permission it needs."""
    return user.is_active and user.is_staff and all(user.has_perm(name) for name in NEEDED)


def _allowed(request):
    if not may_read(request.user):
        raise PermissionDenied


def _reading(request, pk):
    try:
        return records_of(ArticleReading.objects.all(), request.user).get(pk=int(pk))
    except (ArticleReading.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def read_view(request, admin_site):
    _allowed(request)
    province = writing_province(request.user)
    form = ReadForm(request.POST or None, request.FILES or None)
    if province is None and is_national(request.user):
        messages.error(request, _("A national user reads for no one province: sign in as a province's staff."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        article = ArticleReading.objects.create(
            province_id=province,
            text=data["text"],
            url=data["url"],
            title=data["title"][:500],
            publisher=data["publisher"][:200],
            published_on=data["published_on"],
            file_name=data["file_name"],
            created_by=request.user,
        )
        return redirect(reverse("admin:reading_review", args=[article.pk]))
    context = {
        **admin_site.each_context(request),
        "title": _("Read an article or report"),
        "form": form,
        "opts": ArticleReading._meta,
    }
    return TemplateResponse(request, "admin/reading/read.html", context)


def review_view(request, admin_site, pk):
    """GET: the proposals, prefilled. POST: accept the ticked ones, or show the errors on the same
    screen with what the clerk typed."""
    _allowed(request)
    article = _reading(request, pk)
    if article.accepted_at is not None and request.method == "POST":
        return redirect(reverse("admin:reading_result", args=[article.pk]))
    review = build_review(article, request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST":
        try:
            accept(review, request.user, request.POST.get("fingerprint", ""))
        except Refused as refused:
            error = str(refused) if refused.args else _("Correct the errors shown below; nothing was saved.")
        else:
            return redirect(reverse("admin:reading_result", args=[article.pk]))
    context = {
        **admin_site.each_context(request),
        "title": article.title or _("Review what the article states"),
        "article": article,
        "review": review,
        "groups": [(kind, TITLES[kind], review.items[kind]) for kind in KINDS],
        "error": error,
        "opts": ArticleReading._meta,
    }
    return TemplateResponse(request, "admin/reading/review.html", context)


def result_view(request, admin_site, pk):
    """What accepting made and cited, each with its admin link (one query per kind of record)."""
    _allowed(request)
    article = _reading(request, pk)
    if article.accepted_at is None:
        return redirect(reverse("admin:reading_review", args=[article.pk]))
    by_model = {}
    for row in article.outcome:
        by_model.setdefault(row["model"], []).append(row)
    rows = []
    for label, entries in by_model.items():
        model = apps.get_model(label)
        records = model._default_manager.in_bulk([entry["pk"] for entry in entries])
        for entry in entries:
            record = records.get(entry["pk"])
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[entry["pk"]])
            rows.append(
                {
                    "kind": model._meta.verbose_name,
                    "record": record if record is not None else f"#{entry['pk']}",
                    "url": url if record is not None else "",
                    "cited": entry["cited"],
                    "pk": entry["pk"],
                }
            )
    context = {
        **admin_site.each_context(request),
        "title": _("Accepted into the register"),
        "article": article,
        "rows": rows,
        "opts": ArticleReading._meta,
    }
    return TemplateResponse(request, "admin/reading/result.html", context)
