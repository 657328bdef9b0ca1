"""No province is written into the code (issue 16): templates, Python, styles,
the catalogue and the deployment files name none; the office profile
(offices/) does. Only the data of the demo province may: the articles'
fixtures, the tests, the migrations' frozen history and the synthetic
generator's word pools. And what the site writes for another province (pages,
Word reports, spreadsheets, the IATI file, blank templates) names no other."""

import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from common.text import fold
from register.office_import import blank, fields
from tests.conftest import readable_text

# Each test starts from a database without an office, as a fresh install does.
pytestmark = pytest.mark.no_office

ROOT = Path(settings.BASE_DIR)
# Folded ("Lạng Sơn", "LẠNG SƠN", "Lang Son" alike); also in its hyphenated and joined forms
# ("lang-son-iati.xml", "langson.gov.vn"), but not in the project's own identifiers: the package
# lang_son_affairs, the repository lang-son-affairs (which the layout's move may rename).
FOLDED_NAMES = ("lang son", "lang-son", "langson")
IDENTIFIERS = ("lang_son_affairs", "lang-son-affairs", "langsonaffairs")
SCANNED = {".py", ".html", ".txt", ".css", ".js", ".po", ".toml", ".cfg", ".example", ".conf", ".service", ".sh"}
SKIPPED_DIRS = {".venv", ".git", "node_modules", "media", "staticfiles", "__pycache__", "tests", "fixtures"}
# The demo province's data, allowed to name it.
ALLOWED = {
    "operations/synthetic/names.py",  # the 34 provinces' names and the demo's home province
}


def scanned_files():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if not path.is_file() or path.suffix not in SCANNED:
            continue
        if SKIPPED_DIRS & set(relative.parts[:-1]) or "migrations" in relative.parts:
            continue
        if relative.as_posix() not in ALLOWED:
            yield relative


def hits(text):
    folded = fold(unicodedata.normalize("NFC", text))
    for identifier in IDENTIFIERS:
        folded = folded.replace(identifier, "")
    return [name for name in FOLDED_NAMES if name in folded]


def test_the_scan_covers_the_code_it_should():
    files = {path.as_posix() for path in scanned_files()}
    for expected in ("templates/base.html", "lang_son_affairs/settings.py", "locale/vi/LC_MESSAGES/django.po"):
        assert expected in files
    assert "offices/models.py" in files and "reports/documents_period.py" in files
    assert hits("Sở Ngoại vụ tỉnh LẠNG SƠN") and hits("Lang Son") and hits("L\u0061\u0323ng So\u031bn")
    assert hits("lang-son-iati-activities.xml") and not hits("lang_son_affairs.apps.LangSonAffairsConfig")


def test_no_template_python_style_or_catalogue_names_a_province():
    named = []
    for path in scanned_files():
        for number, line in enumerate((ROOT / path).read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if hits(line):
                named.append(f"{path}:{number}: {line.strip()[:100]}")
    assert named == []


# --- what the site writes for Cao Bằng -----------------------------------------------------------------------------


@pytest.fixture
def cao_bang(db):
    from django.core.management import call_command

    call_command("start_province", "--code", "04", "--name", "Cao Bằng", verbosity=0)


PAGES = [
    ("home", {}),
    ("delegations:list", {}),
    ("partners:list", {}),
    ("reports:period", {"start": "2025-01-01", "end": "2025-12-31"}),
    ("reports:period_docx", {"start": "2025-01-01", "end": "2025-12-31"}),
    ("reports:period_xlsx", {"start": "2025-01-01", "end": "2025-12-31"}),
    ("delegations:export_csv", {}),
    ("projects:iati", {}),
]


@pytest.mark.parametrize(("name", "params"), PAGES)
def test_what_the_site_writes_for_another_province_names_no_other(official_client, cao_bang, name, params):
    response = official_client.get(reverse(name), params)
    assert response.status_code == 200
    text = readable_text(response)
    assert "Cao Bằng" in text or name in {"delegations:export_csv", "projects:iati", "reports:period_xlsx"}
    assert hits(text) == []


def test_the_admin_and_the_blank_templates_name_no_other_province(client, superuser, cao_bang):
    import io
    import zipfile

    client.force_login(superuser)
    assert hits(client.get(reverse("admin:index")).content.decode()) == []
    for kind in fields.KINDS:
        with zipfile.ZipFile(io.BytesIO(blank.template_workbook(kind))) as archive:
            text = "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
        assert hits(text) == [], kind
