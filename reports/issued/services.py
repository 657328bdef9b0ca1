"""Writing issued reports: the seam to the periodic report's content and files
(``build_snapshot``, ``prefill``, ``render``: the only calls into
``reports.periodic``, imported when called), issuing, and corrections.

Issuing is all or nothing: the snapshot and the three files are made first,
outside any transaction (rendering takes seconds); the files are then written
under new names and the report saved in one transaction. Should the save fail
(a number taken meanwhile, the database refusing the row), the files just
written are deleted: no issued report, no orphan file."""

import uuid

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.profile import current_profile, profile_for
from reports.issued.models import SECTIONS, ReportState

# The files kept for an issued report: field, extension.
FILES = (("docx", "docx"), ("xlsx", "xlsx"), ("pdf", "pdf"))


class IssueRefused(Exception):
    """Why a report cannot be issued, in words for the approver (a list of sentences)."""

    def __init__(self, reasons):
        super().__init__("; ".join(str(reason) for reason in reasons))
        self.reasons = list(reasons)


# --- the seam to reports.periodic (the content and the documents) ---------------------------------------------


def build_snapshot(report, include_in_review=False):
    """The periodic report's content for ``report``'s province and period, as a JSON-able dict."""
    from reports.periodic.content import report_content

    return report_content(report.province_id, report.start, report.end, include_in_review=include_in_review)


def prefill(snapshot):
    """The narrative sections drafted from ``snapshot``'s figures: {section: text}."""
    from reports.periodic.narrative import narrative_prefill

    return narrative_prefill(snapshot)


def render(snapshot, meta, pdf=True):
    """(DOCX bytes, XLSX bytes, PDF bytes or None: not asked, or LibreOffice not installed)."""
    from reports.periodic import documents

    docx = documents.render_docx(snapshot, meta)
    xlsx = documents.render_xlsx(snapshot, meta)
    return docx, xlsx, (documents.render_pdf(docx) if pdf and documents.pdf_available() else None)


def pdf_available():
    from reports.periodic import documents

    return documents.pdf_available()


# --- what the documents are told about the report --------------------------------------------------------------


def office_of_report(report):
    return profile_for(report.province_id) or current_profile()


def meta_of(report, draft):
    """The document's own details (the heading, number, date line, signature), as ``render`` takes them."""
    return {
        "issuer": office_of_report(report).issuer_lines(),
        "place": report.place,
        "day": report.day.isoformat() if report.day else None,
        "number": report.number,
        "symbol": report.symbol,
        "title": report.title,
        "sections": report.sections(),
        "recipients": [line for line in report.recipients.splitlines() if line.strip()],
        "signer_name": report.signer_name,
        "signer_title": report.signer_title,
        "authority": report.authority,
        "authority_title": report.authority_title,
        "draft": draft,
    }


def fill_sections(report, snapshot=None, overwrite=False):
    """Fill ``report``'s narrative sections from the register's figures: the empty ones,
    or every one when ``overwrite`` (staff confirmed). Returns the names filled; saves nothing."""
    drafted = prefill(snapshot if snapshot is not None else build_snapshot(report))
    filled = []
    for name in SECTIONS:
        text = (drafted.get(name) or "").strip()
        if text and (overwrite or not getattr(report, name).strip()):
            setattr(report, name, text)
            filled.append(name)
    return filled


def draft_files(report):
    """The draft's DOCX and XLSX, made now from the live register, marked as a draft."""
    docx, xlsx, _pdf = render(build_snapshot(report), meta_of(report, draft=True), pdf=False)
    return docx, xlsx


# --- issuing --------------------------------------------------------------------------------------------------


def missing_at_issue(report):
    """What an issued report must have and ``report`` lacks, each named."""
    missing = []
    if not report.number:
        missing.append(_("the report's number"))
    if not report.place.strip(" .…"):  # the neutral profile's "……………" is no place
        missing.append(_("the place of the place-and-date line"))
    if not report.day:
        missing.append(_("the date of the place-and-date line"))
    if not report.signer_name.strip():
        missing.append(_("the signer's name"))
    if not report.signer_title.strip():
        missing.append(_("the signer's title"))
    if not report.symbol.strip():
        missing.append(_("the report's symbol"))
    if not report.recipients.strip():  # Decree 30/2020's "Nơi nhận" is part of every document
        missing.append(_("the recipients (Nơi nhận)"))
    return missing


def number_taken(report):
    """The issued report of the same province, symbol and year holding ``report``'s number, or None."""
    if not report.number or not report.day:
        return None
    return (
        type(report)
        .objects.issued()
        .filter(province=report.province_id, symbol=report.symbol, issued_year=report.day.year, number=report.number)
        .exclude(pk=report.pk)
        .first()
    )


def taken_message(report):
    return _("Number %(number)s/%(symbol)s is already used by an issued report of %(year)s.") % {
        "number": report.number,
        "symbol": report.symbol,
        "year": report.day.year,
    }


def refusals(report):
    """Every reason ``report`` cannot be issued now, in words (empty: it can)."""
    if report.state != ReportState.DRAFT:
        return [_("This report has already been issued.")]
    missing = missing_at_issue(report)
    reasons = []
    if missing:
        reasons.append(_("Missing before issue: %(fields)s.") % {"fields": ", ".join(str(m) for m in missing)})
    if number_taken(report) is not None:
        reasons.append(taken_message(report))
    return reasons


def _write(name, content):
    from django.core.files.base import ContentFile

    return default_storage.save(name, ContentFile(content))


def issue(report, user, include_in_review=False, snapshot=None):
    """Issue ``report``: freeze its content and files (see the module's docstring).
    Raises ``IssueRefused`` with the reasons; the report is then unchanged."""
    reasons = refusals(report)
    if reasons:
        raise IssueRefused(reasons)
    if snapshot is None:
        snapshot = build_snapshot(report, include_in_review=include_in_review)
    meta = meta_of(report, draft=False)
    docx, xlsx, pdf = render(snapshot, meta)
    # The page of the issued report is written from this alone, the narrative and signature included.
    snapshot = {**snapshot, "meta": meta}
    folder = f"issued/{report.province_id}/{report.day:%Y}"
    stem = f"{report.number}-{report.symbol}-{uuid.uuid4().hex[:12]}"
    written = {}
    try:
        for field, extension in FILES:
            content = {"docx": docx, "xlsx": xlsx, "pdf": pdf}[field]
            if content is not None:
                written[field] = _write(f"{folder}/{stem}.{extension}", content)
        with transaction.atomic():
            # Another approver may have issued it, or taken its number, since the page was read.
            locked = type(report).objects.select_for_update().get(pk=report.pk)
            if locked.state != ReportState.DRAFT:
                raise IssueRefused([_("This report has already been issued.")])
            if number_taken(report) is not None:
                raise IssueRefused([taken_message(report)])
            for field, _extension in FILES:
                setattr(report, field, written.get(field, ""))
            report.state = ReportState.ISSUED
            report.issued_year = report.day.year
            report.snapshot = snapshot
            report.include_in_review = include_in_review
            report.issued_at = timezone.now()
            report.issued_by = user
            report.save()
    except IntegrityError:
        _remove(written)
        _undo(report)
        raise IssueRefused([taken_message(report)]) from None
    except BaseException:
        _remove(written)
        _undo(report)
        raise
    return report


def _remove(written):
    for name in written.values():
        default_storage.delete(name)


def _undo(report):
    """``report`` in memory as it is in the database again (the caller may still show it)."""
    report.state = ReportState.DRAFT
    report.snapshot = None
    report.issued_at = None
    report.issued_by = None
    report.issued_year = None
    for field, _extension in FILES:
        setattr(report, field, "")


def correct(report, user=None):
    """A new draft copying the issued ``report``, which it replaces; its own number at issue."""
    copy = type(report)(
        province_id=report.province_id,
        kind=report.kind,
        start=report.start,
        end=report.end,
        title=report.title,
        symbol=report.symbol,
        place=report.place,
        recipients=report.recipients,
        signer_name=report.signer_name,
        signer_title=report.signer_title,
        authority=report.authority,
        authority_title=report.authority_title,
        replaces=report,
        **report.sections(),
    )
    copy.save()
    return copy
