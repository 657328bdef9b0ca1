"""The admin import's preview as a benchmark case (issue 13): an XLSX of
``rows`` delegations, as the list's export writes them, read and checked by
the delegation import's dry run, which writes nothing (so it runs in the
benchmark's read-only connections). One row in ten updates an existing
delegation by its record number, so the existing records' bulk loading is
measured too. Target: 10,000 rows in under 20 s."""

import gc
import io
import time
from dataclasses import dataclass, field

from django.utils import translation

from delegations.columns import COLUMNS
from delegations.models import Delegation
from delegations.resources import DelegationResource
from operations.benchmark.cases import busiest_partner
from operations.benchmark.runner import MB, RssSampler
from partners.models import LocalUnit
from register import history
from register.import_reading import read_xlsx

IMPORT_ROWS = 10_000
IMPORT_TARGET = {"seconds": 20}


@dataclass
class ImportCase:
    name: str
    rows: int
    note: str = ""
    targets: dict = field(default_factory=lambda: dict(IMPORT_TARGET))
    writes: bool = False  # writes, then rolls back: not run with --read-only


OFFICE_SAVE_TARGET = {"seconds": 30}


def import_cases(rows=IMPORT_ROWS):
    return [
        ImportCase(f"import preview ({rows:,} delegations, XLSX)", rows),
        # Issue 15: an office's own list (title rows, "11-16/6/2024", "Ông ..., chức vụ", "Nước (tỉnh)").
        ImportCase(f"office list: upload to preview ({rows:,} delegations)", rows, note="office"),
        ImportCase(
            f"office list: saved ({rows:,} delegations, rolled back)",
            rows,
            note="office-save",
            targets=dict(OFFICE_SAVE_TARGET),
            writes=True,
        ),
    ]


def office_workbook(rows):
    """An office-style list of ``rows`` outbound delegations (built before the clock starts)."""
    import openpyxl

    from register.office_import.fields import OFFICE_DELEGATION_HEADINGS

    partner = busiest_partner()
    parent = partner.parent if partner is not None and partner.parent_id else None
    place = f"{parent.name} ({partner.name})" if parent else (partner.name if partner else "")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Đoàn ra")
    sheet.append(["DANH SÁCH ĐOÀN RA NĂM 2024"])
    sheet.append([])
    sheet.append(list(OFFICE_DELEGATION_HEADINGS))
    for n in range(rows):
        day = n % 20 + 1
        sheet.append(
            [
                n + 1,
                f"Ông Nguyễn Văn Thử {n + 1}, Phó Giám đốc Sở Công Thương",
                n % 30 + 1,
                place,
                f"{day}-{day + 3}/{n % 12 + 1}/2024",
                "Xúc tiến thương mại",
                "",
            ]
        )
    sheet.append(["", "Tổng cộng"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def time_office_import(case, user):
    """Seconds from the uploaded bytes to the preview of every row ("office"), or
    from the clerk's "Import" to every record written and cited, then rolled
    back ("office-save": the file read again with the choices the preview page
    posts, and saved as it is checked), and the memory's growth."""
    from django.db import transaction

    from register.office_import import engine

    data = office_workbook(case.rows)
    choices = None
    if case.note == "office-save":
        with translation.override("vi"):  # the preview page, and what it posts: each possible duplicate imported
            previewed = engine.preview(engine.read(data, "doan-ra.xlsx", "delegations"), user)
            for row in previewed.needs_choice():
                previewed.choices.duplicates[str(row.number)] = "anyway"
            choices = previewed.choices
    gc.collect()
    sampler = RssSampler()
    sampler.start()
    started = time.perf_counter()
    with translation.override("vi"):
        if case.note == "office-save":
            with transaction.atomic():
                plan = engine.read(data, "doan-ra.xlsx", "delegations", choices)
                source = engine.save(plan, user, data=data, file_name="doan-ra.xlsx")
                transaction.set_rollback(True)
        else:
            plan = engine.read(data, "doan-ra.xlsx", "delegations")
            engine.preview(plan, user)
    seconds = time.perf_counter() - started
    sampler.stop()
    counts = plan.counts()
    valid = not plan.bad_rows() and not plan.problems and (case.note != "office-save" or source is not None)
    return {
        "name": case.name,
        "rows": case.rows,
        "bytes": len(data),
        "status": [200] if valid else [422],
        "new": counts["create"],
        "update": counts["update"],
        "skip": counts["skip"],
        "seconds": round(seconds, 2),
        "rows_per_s": round(case.rows / seconds) if seconds > 0 else None,
        "memory_mb": round((sampler.peak - sampler.before) / MB, 1),
        "note": "",
        "targets": case.targets,
    }


def workbook(rows):
    """The XLSX bytes (built before the clock starts)."""
    import openpyxl

    partner = busiest_partner()
    unit = LocalUnit.objects.order_by("pk").first()
    # The rows that update a record carry its version, as the list's export writes it
    # (an update without one is refused: register/import_versions.py).
    updated = list(
        Delegation.objects.order_by("pk")
        .annotate(version=history.version_expression(Delegation))
        .values_list("pk", "version")[: rows // 10]
    )
    with translation.override("vi"):
        headers = [str(column.header) for column in COLUMNS]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Đoàn")
    sheet.append(headers)
    for n in range(rows):
        cells = {
            "id": updated[n // 10][0] if n % 10 == 0 and n // 10 < len(updated) else "",
            "version": updated[n // 10][1] if n % 10 == 0 and n // 10 < len(updated) else "",
            "title": f"Đoàn thử nghiệm số {n + 1}",
            "direction": "Đoàn ra" if n % 2 else "Đoàn vào",
            "start_date": f"{n % 28 + 1:02d}/{n % 12 + 1:02d}/2024",
            "size": str(n % 30 + 1),
            "partners": partner.name if partner else "",
            "host_unit": unit.name if unit else "",
        }
        sheet.append([cells.get(column.key, "") for column in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def time_import(case, user):
    """Seconds to read the workbook and preview every row, and the resident
    memory's growth meanwhile."""
    if case.note.startswith("office"):
        return time_office_import(case, user)
    data = workbook(case.rows)
    gc.collect()
    sampler = RssSampler()
    sampler.start()
    started = time.perf_counter()
    with translation.override("vi"):
        dataset = read_xlsx(data)
        result = DelegationResource().import_data(dataset, dry_run=True, user=user)
    seconds = time.perf_counter() - started
    sampler.stop()
    valid = not (result.has_errors() or result.has_validation_errors())
    return {
        "name": case.name,
        "rows": case.rows,
        "bytes": len(data),
        # "status" as the pages have it: 200 when every row passed, 422 when the preview found bad rows.
        "status": [200] if valid else [422],
        "new": result.totals["new"],
        "update": result.totals["update"],
        "skip": result.totals["skip"],
        "seconds": round(seconds, 2),
        "rows_per_s": round(case.rows / seconds) if seconds > 0 else None,
        "memory_mb": round((sampler.peak - sampler.before) / MB, 1),
        "note": case.note,
        "targets": case.targets,
    }
