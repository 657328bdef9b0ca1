"""Stand-ins for the periodic report's content and files (``reports.periodic``,
built beside this package): the issued reports' tests patch the seam of
reports/issued/services.py with these. They read the register as the real
content does, the delegations of the period and their versions, so a record
changed after issue is seen as changed."""

import datetime as dt
import json

from delegations.models import Delegation
from register.publishable import ReviewState

LABEL = "delegations.delegation"


def _year_before(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def fake_snapshot(report, include_in_review=False):
    period = Delegation.objects.filter(province=report.province_id, start_date__range=(report.start, report.end))
    approved = period.filter(review_state=ReviewState.APPROVED)
    counted = period if include_in_review else approved
    rows = list(counted.order_by("pk").values_list("pk", "audit_version"))
    before = Delegation.objects.filter(
        province=report.province_id,
        review_state=ReviewState.APPROVED,
        start_date__range=(_year_before(report.start), _year_before(report.end)),
    ).count()
    in_review = period.exclude(review_state=ReviewState.APPROVED).count()
    return {
        "period": {"start": report.start.isoformat(), "end": report.end.isoformat()},
        "previous": {"start": _year_before(report.start).isoformat(), "end": _year_before(report.end).isoformat()},
        "counts": {"delegations": {"label": "Số đoàn", "value": len(rows), "previous": before}},
        "breakdowns": {},
        "annexes": {"I": {"title": "Phụ lục I", "record_ids": [[LABEL, pk] for pk, _v in rows]}},
        "records": [{"model": LABEL, "pk": pk, "version": version} for pk, version in rows],
        "in_review": {"count": in_review, "by_model": {LABEL: in_review}},
        "left_out": [],
    }


def fake_prefill(snapshot):
    count = snapshot["counts"]["delegations"]["value"]
    return {
        "assessment": f"Trong kỳ, tỉnh đã tiếp nhận và cử {count} đoàn.",
        "results": "Kết quả theo lĩnh vực.",
        "difficulties": "Khó khăn.",
        "recommendations": "Kiến nghị.",
        "next_tasks": "Nhiệm vụ kỳ tới.",
    }


def fake_render(snapshot, meta, pdf=True):
    body = json.dumps({"snapshot": snapshot, "meta": meta}, sort_keys=True, ensure_ascii=False).encode()
    return b"DOCX" + body, b"XLSX" + body, (b"%PDF" + body if pdf else None)


def patch_periodic(monkeypatch):
    """The seam of reports/issued/services.py patched with the fakes above (a test module's
    ``periodic`` fixture)."""
    from reports.issued import services

    monkeypatch.setattr(services, "build_snapshot", fake_snapshot)
    monkeypatch.setattr(services, "prefill", fake_prefill)
    monkeypatch.setattr(services, "render", fake_render)
    monkeypatch.setattr(services, "pdf_available", lambda: True)
    return services


Q1_2024 = {"start": dt.date(2024, 1, 1), "end": dt.date(2024, 3, 31)}


def draft_report(**fields):
    from reports.issued.models import PeriodicReport

    values = {
        **Q1_2024,
        "title": "Công tác đối ngoại quý I năm 2024",
        "symbol": "BC-SNgV",
        "place": "Thành phố",
        "recipients": "- UBND tỉnh;\n- Bộ Ngoại giao;\n- Lưu: VT.",
        **fields,
    }
    return PeriodicReport.objects.create(**values)


def ready_report(**fields):
    """A draft with everything issuing needs."""
    values = {
        "number": 45,
        "day": dt.date(2024, 4, 5),
        "signer_name": "Nguyễn Văn An",
        "signer_title": "GIÁM ĐỐC",
        **fields,
    }
    return draft_report(**values)
