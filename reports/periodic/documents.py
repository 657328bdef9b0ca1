"""The files of a periodic report, made from its content snapshot
(content.report_content) and its meta: the DOCX (word.py), the XLSX
(workbook.py) and a PDF rendered from the DOCX by LibreOffice, when installed.

``meta`` holds what the saved report record adds to the figures:
- "issuer": the issuing body's lines, parent first (OfficeProfile.issuer_lines());
- "place": the place of the date line; "day": the ISO date of issue (None for a draft);
- "number" (int or None), "symbol" ("BC-SNgV"): "Số: 45/BC-SNgV";
- "title": the subject under "BÁO CÁO" (lines separated by newlines);
- "sections": {section key: text} (narrative.SECTIONS), paragraphs separated by blank lines;
- "recipients": the lines of "Nơi nhận";
- "signer_name", "signer_title", "authority" ("", "KT.", "TL.", "TUQ.") and
  "authority_title" ("GIÁM ĐỐC" above "PHÓ GIÁM ĐỐC" when "KT.");
- "draft": a draft shows "DỰ THẢO" and leaves the number blank.

All documents are written in the site's language (Vietnamese): they are the
office's official text, whatever the language of the person who asks."""

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import translation

from common import docx_parts
from reports.periodic.word import build_document
from reports.periodic.workbook import build_workbook

logger = logging.getLogger(__name__)

# LibreOffice converts a report of a few dozen pages in seconds; a hung conversion is stopped.
PDF_TIMEOUT_SECONDS = 120
SOFFICE_NAMES = ("soffice", "libreoffice")


def render_docx(content: dict, meta: dict) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return docx_parts.document_bytes(build_document(content, meta))


def render_xlsx(content: dict, meta: dict) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return build_workbook(content, meta)


def _soffice():
    configured = getattr(settings, "SOFFICE_PATH", "")
    if configured:
        return configured if Path(configured).exists() else None
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf_available() -> bool:
    """Whether LibreOffice is installed where this process can run it."""
    return _soffice() is not None


def render_pdf(docx_bytes: bytes) -> bytes | None:
    """The PDF of a DOCX, converted by LibreOffice headless in a temporary
    directory with a profile of its own (two conversions at once do not share
    one); None when LibreOffice is not installed, fails or takes longer than
    ``PDF_TIMEOUT_SECONDS``. No shell: the arguments go to the program as a list."""
    soffice = _soffice()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="report-pdf-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(docx_bytes)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=PDF_TIMEOUT_SECONDS, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            logger.warning("LibreOffice took more than %s s to convert a report to PDF", PDF_TIMEOUT_SECONDS)
            return None
        except OSError:
            logger.exception("LibreOffice could not be started")
            return None
        pdf = work / "report.pdf"
        if not pdf.exists():
            logger.warning("LibreOffice made no PDF of the report")
            return None
        return pdf.read_bytes()
