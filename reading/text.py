"""The text the article reader reads: pasted, or taken out of a .txt, .docx, .pdf or .html file.

Whatever comes in goes through ``extract_text`` last, so the text the reader reads, the text the
review screen highlights and the body stored on the Source are one string: a proposal's span
points into it and its excerpt is a verbatim part of it (the Citation check).

Libraries (README, "The article reader"): python-docx for .docx (already a dependency), pypdf for
the text layer of a .pdf (pure Python, no system library), trafilatura for an .html page's main
text and its metadata (title, site name, date, canonical URL) in one pass, offline.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_FILE_BYTES = 10 * 1024 * 1024
# An article is a few thousand characters, a quarterly report a few hundred thousand at most.
MAX_TEXT_CHARS = 300_000
MAX_PDF_PAGES = 300
# A .docx is a zip: what it inflates to is checked before python-docx opens it (a zip bomb).
MAX_DOCX_INFLATED_BYTES = 60 * 1024 * 1024
EXTENSIONS = (".txt", ".docx", ".pdf", ".html", ".htm")

_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# Control characters other than tab and newline, and zero-width marks that break word matching.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass
class Extracted:
    text: str
    title: str = ""
    publisher: str = ""
    published: date | None = None
    url: str = ""


def _error(message, code, **params):
    return ValidationError(message, code=code, params=params or None)


def extract_text(text: str) -> str:
    """Pasted text as it is read and stored: line endings made "\\n", Unicode NFC (a word typed
    with combining accents matches the register's names), non-breaking spaces made spaces,
    invisible characters dropped, trailing spaces and runs of blank lines trimmed.

    Raises ValidationError when nothing is left or the text is longer than an article can be."""
    text = unicodedata.normalize("NFC", text or "")
    text = _LINE_ENDS.sub("\n", text).replace("\u00a0", " ").replace("\u202f", " ")
    text = _INVISIBLE.sub("", text)
    text = _BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("\n", text)).strip()
    if not text:
        raise _error(_("The text is empty."), "empty")
    if len(text) > MAX_TEXT_CHARS:
        raise _error(
            _("The text has %(count)s characters; at most %(limit)s can be read at once."),
            "too_long",
            count=f"{len(text):,}".replace(",", "."),
            limit=f"{MAX_TEXT_CHARS:,}".replace(",", "."),
        )
    return text


def extract_file(file, name: str) -> Extracted:
    """The text and what the file says about itself (title, publisher, date, URL; "" or None
    when it says nothing). ``file`` is a binary file object (an upload) or bytes; ``name`` gives
    the kind by its extension. Raises ValidationError with a message for the user."""
    data = file if isinstance(file, bytes) else _read(file)
    if not data:
        raise _error(_("The file is empty."), "empty")
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == ".txt":
        extracted = _txt(data)
    elif extension == ".docx":
        extracted = _docx(data)
    elif extension == ".pdf":
        extracted = _pdf(data)
    elif extension in (".html", ".htm"):
        extracted = _html(data)
    else:
        raise _error(_("Only .txt, .docx, .pdf and .html files can be read."), "extension")
    extracted.text = extract_text(extracted.text)
    extracted.title = _one_line(extracted.title)[:300]
    extracted.publisher = _one_line(extracted.publisher)[:200]
    extracted.url = extracted.url.strip() if extracted.url.startswith(("http://", "https://")) else ""
    return extracted


def _read(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _error(_("The file is larger than 10 MB."), "too_large")
    return data


def _one_line(value) -> str:
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split())


def _txt(data: bytes) -> Extracted:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192]:
        # UTF-16 text has a NUL in every other byte; so has any binary file.
        raise _error(_("The file is not plain text (it looks binary, or is UTF-16): save it as UTF-8 text."), "binary")
    try:
        return Extracted(text=data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _error(
            _("The text file is not in UTF-8 (perhaps Windows-1258 or TCVN3): save it again as UTF-8."),
            "encoding",
        ) from None


def _docx(data: bytes) -> Extracted:
    import docx
    from docx.table import Table

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        message = _("The file is not a Word (.docx) document: an old .doc must be saved as .docx.")
        raise _error(message, "docx") from None
    if inflated > MAX_DOCX_INFLATED_BYTES:
        raise _error(_("The Word document is too large to read."), "too_large")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises KeyError, ValueError, lxml errors... on a damaged package
        raise _error(_("The Word document is damaged and cannot be opened."), "docx") from None
    blocks = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            blocks.extend(_table_rows(block))
        else:
            blocks.append(block.text)
    core = document.core_properties
    created = core.created.date() if isinstance(core.created, datetime) else None
    return Extracted(text="\n".join(blocks), title=core.title or "", published=created)


def _table_rows(table):
    """One line per row, the cells separated by a tab; a merged cell (repeated by python-docx
    in each grid cell it spans) once."""
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        yield "\t".join(cells)


def _pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-"):
        raise _error(_("The file is not a PDF document."), "pdf")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise _error(_("The PDF is protected by a password: save an unprotected copy."), "pdf_encrypted")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise _error(_("The PDF has more than %(limit)s pages."), "too_large", limit=MAX_PDF_PAGES)
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
        title = (meta.title if meta else "") or ""
        created = meta.creation_date if meta else None
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise _error(_("The PDF is damaged and cannot be read."), "pdf") from None
    text = "\n\n".join(_unwrap(page.strip()) for page in pages)
    if not text.strip():
        raise _error(
            _("The PDF has no text layer (it is probably a scan): paste the text, or run text recognition first."),
            "pdf_no_text",
        )
    return Extracted(text=text, title=str(title), published=created.date() if created else None)


_SENTENCE_END = (".", ":", "!", "?", ";", "\u201d", '"', ")")


def _unwrap(page: str) -> str:
    """A PDF's text breaks its lines where the page did: a line as long as the page's body text
    that does not end a sentence runs on into the next, so a sentence stays one line for the
    reader. Short lines (headings, the last line of a paragraph) keep their break."""
    lines = page.split("\n")
    width = max((len(line) for line in lines), default=0)
    out = []
    for line in lines:
        if out and len(out[-1]) >= 0.7 * width and not out[-1].rstrip().endswith(_SENTENCE_END) and line.strip():
            out[-1] = out[-1].rstrip() + " " + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def _html(data: bytes) -> Extracted:
    import trafilatura

    if b"\x00" in data[:8192]:
        raise _error(_("The file is not an HTML page."), "html")
    # Dates only from the page's markup (meta tags, time elements, the URL), not guessed from
    # any date in the prose: an article's "ngày 21/1" is the event's, not the publication's.
    document = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_tables=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or not (document.text or "").strip():
        raise _error(_("No article text was found in the HTML page."), "html_no_text")
    try:
        published = date.fromisoformat(document.date) if document.date else None
    except ValueError:
        published = None
    return Extracted(
        text=document.text,
        title=document.title or "",
        publisher=document.sitename or "",
        published=published,
        url=document.url or "",
    )
