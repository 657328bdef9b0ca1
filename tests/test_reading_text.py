"""The article reader's input: pasted text and the text of .txt, .docx, .pdf and .html files
(reading/text.py), with what each file says of its title, publisher, date and URL."""

import io
import unicodedata
from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfWriter

from reading.text import MAX_FILE_BYTES, MAX_TEXT_CHARS, extract_file, extract_text

FIXTURES = Path(__file__).parent / "fixtures" / "reading"
SENTENCE = "Ngày 21/1/2024, đồng chí Dương Xuân Huyên tiếp Đoàn đại biểu thị Bằng Tường."


def code_of(excinfo):
    return excinfo.value.code


def test_pasted_text_gets_unix_line_endings_and_nfc():
    decomposed = unicodedata.normalize("NFD", "Bằng Tường")  # accents typed as combining marks
    assert decomposed != "Bằng Tường"
    text = extract_text(f"  Dòng một\r\n{decomposed}\rDòng\u00a0ba\u200b \r\n\r\n\r\n\r\nCuối  ")
    assert text == "Dòng một\nBằng Tường\nDòng ba\n\nCuối"


def test_pasted_text_empty_or_too_long_is_refused():
    with pytest.raises(ValidationError) as empty:
        extract_text(" \r\n\t ")
    assert code_of(empty) == "empty"
    with pytest.raises(ValidationError) as long:
        extract_text("a" * (MAX_TEXT_CHARS + 1))
    assert code_of(long) == "too_long"


def test_utf8_text_file_with_and_without_bom():
    body = f"{SENTENCE}\r\nHai bên ký kết.".encode()
    assert extract_file(io.BytesIO(body), "bai.txt").text == f"{SENTENCE}\nHai bên ký kết."
    with_bom = extract_file(io.BytesIO(b"\xef\xbb\xbf" + body), "BAI.TXT")
    assert with_bom.text.startswith("Ngày 21/1/2024")
    assert (with_bom.title, with_bom.publisher, with_bom.published, with_bom.url) == ("", "", None, "")


def test_text_file_in_another_encoding_or_binary_is_refused_clearly():
    with pytest.raises(ValidationError) as latin:
        extract_file(io.BytesIO(SENTENCE.encode("cp1258", errors="replace")), "bai.txt")
    assert code_of(latin) == "encoding"
    assert "UTF-8" in latin.value.messages[0]
    with pytest.raises(ValidationError) as utf16:
        extract_file(io.BytesIO(SENTENCE.encode("utf-16")), "bai.txt")
    assert code_of(utf16) == "binary"
    with pytest.raises(ValidationError) as png:
        extract_file(io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "anh.txt")
    assert code_of(png) == "binary"


def test_empty_oversized_and_unknown_files_are_refused():
    with pytest.raises(ValidationError) as empty:
        extract_file(io.BytesIO(b""), "bai.txt")
    assert code_of(empty) == "empty"
    with pytest.raises(ValidationError) as large:
        extract_file(io.BytesIO(b"a" * (MAX_FILE_BYTES + 1)), "bai.txt")
    assert code_of(large) == "too_large"
    with pytest.raises(ValidationError) as doc:
        extract_file(io.BytesIO(b"{\\rtf1 x}"), "bai.rtf")
    assert code_of(doc) == "extension"


def make_docx(title="", created=None):
    document = docx.Document()
    document.add_paragraph("Tiếp đoàn thị Bằng Tường")
    document.add_paragraph(SENTENCE)
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Năm"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Số đoàn ra"
    table.cell(1, 0).text = "2023"
    table.cell(1, 1).text = "12"
    table.cell(1, 2).text = "gần 300 lượt người"
    document.add_paragraph("Hai bên ký kết Biên bản ghi nhớ.")
    document.core_properties.title = title
    if created:
        document.core_properties.created = created
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_document_paragraphs_and_tables_in_order_with_its_title_and_date():
    extracted = extract_file(
        io.BytesIO(make_docx("Báo cáo công tác đối ngoại quý I", datetime(2024, 4, 2, 9, 30))), "bao-cao.docx"
    )
    assert extracted.text == (
        f"Tiếp đoàn thị Bằng Tường\n{SENTENCE}\nNăm\tSố đoàn ra\n2023\t12\tgần 300 lượt người\n"
        "Hai bên ký kết Biên bản ghi nhớ."
    )
    assert extracted.title == "Báo cáo công tác đối ngoại quý I"
    assert extracted.published == date(2024, 4, 2)


def test_old_doc_or_damaged_docx_is_refused():
    with pytest.raises(ValidationError) as old:
        extract_file(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100), "cu.docx")
    assert code_of(old) == "docx"
    assert ".doc" in old.value.messages[0]
    damaged = make_docx()[:-200]  # the zip's central directory cut off
    with pytest.raises(ValidationError) as cut:
        extract_file(io.BytesIO(damaged), "hong.docx")
    assert code_of(cut) == "docx"


def test_pdf_with_a_text_layer_is_read_with_its_wrapped_lines_joined():
    # Printed by a browser from an HTML page: real fonts, a real text layer.
    extracted = extract_file((FIXTURES / "article.pdf").open("rb"), "article.pdf")
    assert extracted.title == "Tiếp đoàn thị Bằng Tường"
    lines = extracted.text.split("\n")
    assert lines[0] == "Tiếp đoàn thị Bằng Tường"
    assert lines[1] == (
        "Ngày 21/1/2024, đồng chí Dương Xuân Huyên, Phó Chủ tịch Thường trực UBND tỉnh tiếp "
        "Đoàn đại biểu thị Bằng Tường (Quảng Tây, Trung Quốc)."
    )
    assert lines[2] == "Hai bên ký kết Biên bản ghi nhớ về hợp tác thương mại."


def test_pdf_without_text_layer_says_it_is_probably_a_scan():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ValidationError) as scan:
        extract_file(io.BytesIO(buffer.getvalue()), "scan.pdf")
    assert code_of(scan) == "pdf_no_text"


def test_renamed_or_damaged_pdf_is_refused():
    with pytest.raises(ValidationError) as renamed:
        extract_file(io.BytesIO(b"<html>not a pdf</html>"), "bai.pdf")
    assert code_of(renamed) == "pdf"
    with pytest.raises(ValidationError) as damaged:
        extract_file(io.BytesIO(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage"), "bai.pdf")
    assert code_of(damaged) == "pdf"


PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Tiếp đoàn thị Bằng Tường - Báo Lạng Sơn</title>
<meta property="og:title" content="Tiếp đoàn thị Bằng Tường">
<meta property="og:site_name" content="Báo Lạng Sơn">
<link rel="canonical" href="https://baolangson.vn/tiep-doan-thi-bang-tuong-123.html">
<meta property="article:published_time" content="2024-01-21T15:04:00+07:00"></head>
<body><nav><a href="/">Trang chủ</a> | <a href="/thoi-su">Thời sự</a></nav>
<article><h1>Tiếp đoàn thị Bằng Tường</h1>
<p>{sentence}</p><p>Hai bên trao đổi về hợp tác thương mại, du lịch và quản lý biên giới trong năm 2024.</p>
</article><footer>Bản quyền thuộc về Báo Lạng Sơn. Ghi rõ nguồn khi phát hành lại.</footer></body></html>"""


def test_html_page_gives_its_main_text_and_metadata_without_the_menu_or_footer():
    page = PAGE.format(sentence=SENTENCE).encode()
    extracted = extract_file(io.BytesIO(page), "bai.html")
    assert SENTENCE in extracted.text
    assert "Trang chủ" not in extracted.text
    assert "Bản quyền" not in extracted.text
    assert extracted.title == "Tiếp đoàn thị Bằng Tường"
    assert extracted.publisher == "Báo Lạng Sơn"
    assert extracted.published == date(2024, 1, 21)
    assert extracted.url == "https://baolangson.vn/tiep-doan-thi-bang-tuong-123.html"


def test_html_page_without_metadata_guesses_no_date_from_the_prose():
    page = f"<html><body><article><p>{SENTENCE}</p><p>{SENTENCE}</p></article></body></html>".encode()
    extracted = extract_file(io.BytesIO(page), "bai.htm")
    assert extracted.published is None
    assert extracted.url == ""
    with pytest.raises(ValidationError) as empty:
        extract_file(io.BytesIO(b"<html><head><script>var a;</script></head><body></body></html>"), "trong.html")
    assert code_of(empty) == "html_no_text"
