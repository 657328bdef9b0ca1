"""Reading issued reports: what their pages show, from the frozen snapshot
only, and which records of the period changed since the report was issued."""

from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch, Q

from common import formatting
from projects.models import Transaction
from reports.issued.models import PeriodicReport


def shown_reports(user):
    """The issued reports ``user`` may read on this page's province, with what they
    replace and what replaces them (each link shown only where the user may read it).
    Three queries: the reports, then the corrections replacing them."""
    shown = PeriodicReport.objects.shown_to(user)
    return shown.select_related("replaces", "issued_by").prefetch_related(
        Prefetch("replaced_by", queryset=PeriodicReport.objects.shown_to(user).order_by("issued_at"))
    )


def may_see_file(user, name):
    """Whether the stored file ``name`` is one of an issued report ``user`` may read (register/media.py)."""
    return PeriodicReport.objects.shown_to(user).filter(Q(docx=name) | Q(xlsx=name) | Q(pdf=name)).exists()


def _number(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _row(key, entry, previous_counts):
    if isinstance(entry, dict):
        label = entry.get("label") or key
        value, previous = entry.get("value"), entry.get("previous", previous_counts.get(key))
    else:
        label, value, previous = key, entry, previous_counts.get(key)
    if isinstance(previous, dict):
        previous = previous.get("value")
    value_n, previous_n = _number(value), _number(previous)
    change = value_n - previous_n if value_n is not None and previous_n is not None else None
    percent = (change * 100 / previous_n).quantize(Decimal("0.1")) if change is not None and previous_n else None
    return {
        "label": label,
        "unit": entry.get("unit", "") if isinstance(entry, dict) else "",
        "note": entry.get("note", "") if isinstance(entry, dict) else "",
        "value": formatting.number(value_n) if value_n is not None else (value or "—"),
        "previous": formatting.number(previous_n) if previous_n is not None else "—",
        "change": "" if change is None else ("+" if change > 0 else "") + formatting.number(change),
        "percent": "" if percent is None else ("+" if percent > 0 else "") + formatting.number(percent) + " %",
    }


def count_rows(snapshot):
    """The snapshot's counts beside the same period a year before: rows of label, value,
    previous value, change and percentage, as the report froze them. ``counts`` may be a
    list of rows (with ``key``/``label``/``value``/``previous``) or a mapping of key to a
    value or a row; a bare value's year-before value is ``previous.counts[key]``."""
    counts = (snapshot or {}).get("counts") or {}
    previous = (snapshot or {}).get("previous") or {}
    previous_counts = previous.get("counts") if isinstance(previous, dict) else None
    previous_counts = previous_counts if isinstance(previous_counts, dict) else {}
    if isinstance(counts, dict):
        return [_row(key, entry, previous_counts) for key, entry in counts.items()]
    return [_row(entry.get("key", ""), entry, previous_counts) for entry in counts if isinstance(entry, dict)]


def annexes(snapshot):
    """The frozen annexes: title, number of records, and their rows where the snapshot keeps them."""
    found = (snapshot or {}).get("annexes") or {}
    items = found.items() if isinstance(found, dict) else enumerate(found)
    shown = []
    for key, annex in items:
        if not isinstance(annex, dict):
            continue
        shown.append(
            {
                "title": annex.get("title") or str(key),
                "count": len(annex.get("record_ids") or annex.get("rows") or []),
                "columns": annex.get("columns") or [],
                "rows": annex.get("rows") or [],
            }
        )
    return shown


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def changed_since_issue(report):
    """The records of the report's snapshot changed (or deleted) since issue: their
    version (register/versions.py) is no longer the one frozen. One query per model
    of the snapshot, never one per record. A list of (model's verbose name, pk, title or name
    as it is now, url or None: a deleted record has neither)."""
    by_model = {}
    for entry in (report.snapshot or {}).get("records") or []:
        by_model.setdefault(entry.get("model"), {})[entry.get("pk")] = entry.get("version")
    changed = []
    for label, frozen in sorted(by_model.items(), key=lambda item: str(item[0])):
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError, TypeError):
            continue
        if not _has_field(model, "audit_version"):
            continue
        named = next((name for name in ("title", "name") if _has_field(model, name)), "pk")
        rows = model._default_manager.filter(pk__in=list(frozen)).values_list("pk", "audit_version", named)
        now = {pk: (version, name) for pk, version, name in rows}
        for pk, version in sorted(frozen.items(), key=lambda item: item[0]):
            if pk not in now:
                changed.append((model._meta.verbose_name, pk, "", None))
            elif (now[pk][0] or 0) != (version or 0):
                url = model(pk=pk).get_absolute_url() if hasattr(model, "get_absolute_url") else None
                changed.append((model._meta.verbose_name, pk, now[pk][1], url))
    return changed


# What a snapshot read before it named the kinds it covers (reports/periodic/content.py RECORD_MODELS).
BEFORE_COVERS = (
    "delegations.delegation",
    "agreements.agreement",
    "projects.project",
    "projects.transaction",
    "agreements.partnership",
)


def added_since_issue(report):
    """The records its period counts now that the report's snapshot does not hold:
    approved since issue (or, for a report that counted the records in review,
    sent for review since), or entered since with their date in the period. The
    same selection the report was made from (reports/periodic/annexes.py
    period_querysets), one query per kind of record. A list of (model's verbose
    name, pk, title or name, url or None), as ``changed_since_issue``."""
    from reports.periodic.annexes import period_querysets
    from reports.periodic.reader import province_reader

    snapshot = report.snapshot or {}
    frozen = {}
    for entry in snapshot.get("records") or []:
        frozen.setdefault(entry.get("model"), set()).add(entry.get("pk"))
    covers = set(snapshot.get("covers") or BEFORE_COVERS)
    added = []
    with province_reader(report.province_id) as reader:
        period = period_querysets(reader, report.start, report.end, report.include_in_review)
        for queryset in period.values():
            model = queryset.model
            if model._meta.label_lower not in covers:
                continue  # a kind the report did not read when it was issued: nothing of it was left out
            shown = (
                "project__title"
                if model is Transaction
                else next((name for name in ("title", "name") if _has_field(model, name)), "pk")
            )
            rows = queryset.exclude(pk__in=frozen.get(model._meta.label_lower, ())).order_by("pk")
            for pk, name in rows.values_list("pk", shown):
                url = model(pk=pk).get_absolute_url() if hasattr(model, "get_absolute_url") else None
                added.append((model._meta.verbose_name, pk, name, url))
    return added
