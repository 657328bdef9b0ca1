"""A huge import file against the row limit (a measurement, not a test).

Usage (from the project root, on a scratch database; SQLite by default):

    DJANGO_SECRET_KEY=x DJANGO_DEBUG=1 .venv/bin/python scripts/import_row_limit.py --rows 2650000

It writes an XLSX of ``--rows`` one-cell rows (the sheet XML streamed into
the zip, as a hostile or broken file would be: about 13 MB for 2.65 million
rows), then posts it to the delegation admin's import page as a signed-in
superuser, through the Django test client, and prints the answer's status and
message, the time it took and the process's peak resident memory before and
after (getrusage). Reading stops at the first row past IMPORT_MAX_ROWS.
"""

import argparse
import os
import re
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lang_son_affairs.settings")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Đoàn" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def write_workbook(path, rows):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>Ti\xc3\xaau \xc4\x91\xe1\xbb\x81</t></is></c></row>'
            )
            block = []
            for number in range(2, rows + 2):
                block.append(f'<row r="{number}"><c r="A{number}"><v>{number}</v></c></row>')
                if len(block) == 10000:
                    sheet.write("".join(block).encode())
                    block = []
            sheet.write("".join(block).encode() + b"</sheetData></worksheet>")


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2_650_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "huge.xlsx"
        write_workbook(path, args.rows)
        data = path.read_bytes()
    print(f"workbook: {args.rows:,} one-cell rows, {len(data) / 1e6:.1f} MB")
    user, _ = get_user_model().objects.get_or_create(username="row-limit-admin", defaults={"is_superuser": True})
    user.is_superuser = user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    before = peak_mb()
    started = time.monotonic()
    with override_settings(ALLOWED_HOSTS=["testserver"], JOBS_RUN_INLINE=False):
        response = client.post(
            reverse("admin:delegations_delegation_import"),
            {"import_file": SimpleUploadedFile("huge.xlsx", data), "format": "", "resource": "0"},
        )
    took = time.monotonic() - started
    text = response.content.decode()
    found = re.search(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', text, re.S)
    print(f"answer: {response.status_code} in {took:.1f} s: {found.group(1) if found else '(no error)'}")
    print(f"peak resident memory: {before:.0f} MB before the upload, {peak_mb():.0f} MB after")


if __name__ == "__main__":
    main()
