"""Personas built once per test: staff, approver, official, visitor (the
anonymous test client), and a superuser for the rare test that needs one."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "pw-for-tests-1"


@pytest.fixture(autouse=True)
def _default_language():
    # A request activates its language on the thread (register/language.py) and leaves it
    # so, as Django's own locale middleware does: a test after one that asked in English
    # would read its imports' headers in English. Each test starts in the site's language.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Files uploaded by a test never land in the project's media folder.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests run with DEBUG off but without collectstatic, so the manifest
    # storage of production has no manifest to read.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _imports_in_the_request(settings):
    # The import tests written before the worker post files of up to 1,000 rows
    # and read the preview from the response; tests/test_import_jobs.py lowers
    # this threshold to send files to the worker. A job queued by a test runs at
    # once in the request unless the test says otherwise.
    settings.IMPORT_BACKGROUND_ROWS = 1000
    settings.JOBS_RUN_INLINE = True


@pytest.fixture(autouse=True)
def _no_office_profile_cached():
    # Pages read the office profile from the cache (offices/profile.py), as a running
    # site does once it has read it. A test's database starts without a profile: say
    # so in the cache, so that no test sees another's profile and a pinned query count
    # counts the page's own queries. Saving a profile (the `seeded` fixtures) drops it.
    from offices.profile import remember_profile

    remember_profile(None)


@pytest.fixture(autouse=True)
def _public_feed_written_for_each_request(settings):
    # A running site keeps a province's public feed for some minutes (duties/views.py public_feed);
    # the tests' processes share one cache, so a feed kept by one test would answer another's.
    # tests/test_calendar.py tests the keeping itself.
    settings.PUBLIC_FEED_CACHE_SECONDS = 0


# The office every record of a test belongs to (docs/PROVINCES.md: a record needs one):
# the demo's, as `seeded` loads it (fixtures/00_office.json, the same primary key, so
# loading the fixtures over it changes nothing). A test of a database without an office,
# or of another province's fresh install, says so with ``@pytest.mark.no_office``.
HOME_OFFICE = "fixtures/00_office.json"


@pytest.fixture(autouse=True)
def _an_office(request, _no_office_profile_cached):
    if request.node.get_closest_marker("no_office"):
        return None
    names = set(request.fixturenames)
    if request.node.get_closest_marker("django_db") is None:  # a marker has opened the database already
        if not names & {"db", "transactional_db"}:
            return None
        request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    return make_home_office()


def make_home_office():
    """The demo's office profile, created and cached as a running site has it."""
    import json
    from pathlib import Path

    from django.conf import settings
    from django.core.management.color import no_style
    from django.db import connection

    from offices.models import OfficeProfile
    from offices.profile import remember_profile

    (row,) = json.loads((Path(settings.BASE_DIR) / HOME_OFFICE).read_text(encoding="utf-8"))
    office, _created = OfficeProfile.objects.update_or_create(pk=row["pk"], defaults=row["fields"])
    # An id given, as loaddata gives it: PostgreSQL's sequence is moved past it, as loaddata moves it,
    # so that a test's second office gets an id of its own.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [OfficeProfile]):
            cursor.execute(sql)
    remember_profile(office)
    return office


def make_user(username, group=None, **flags):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **flags)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def staff(db):
    """Data-entry staff: the admin, add/change/view on every record."""
    return make_user("staff", "staff", is_staff=True)


@pytest.fixture
def approver(db):
    return make_user("approver", "approver", is_staff=True)


@pytest.fixture
def official(db):
    """A signed-in official: reads everything, writes nothing."""
    return make_user("official", "official")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(username="admin", password=PASSWORD, email="admin@example.org")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def seeded(db):
    """The articles' data, as `python3 dev.py serve` loads it."""
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    from offices.profile import current_profile

    fixtures = sorted(str(p) for p in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
    call_command("loaddata", *fixtures, verbosity=0)
    current_profile()  # the demo province's profile read once, as a running site has it cached


@pytest.fixture
def official_client(official):
    """A client of its own, so a test can hold a visitor's `client` beside it."""
    from django.test import Client

    signed_in = Client()
    signed_in.force_login(official)
    return signed_in


def english(client):
    """``client`` with English chosen, as the switcher in the page header chooses it:
    the site ignores the browser's Accept-Language (register/language.py)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def cite(*records, excerpt="Theo bài báo."):
    """Give each of ``records`` a citation of one new source: approving a record
    needs one (register/review.py missing_source), as the seeded records
    have theirs. Returns the source."""
    from django.contrib.contenttypes.models import ContentType

    from sources.models import Citation, Source

    source = Source.objects.create(title="Bài báo dẫn nguồn", body=excerpt)
    for record in records:
        Citation.objects.create(
            content_type=ContentType.objects.get_for_model(type(record)),
            object_id=record.pk,
            source=source,
            excerpt=excerpt,
        )
    return source


# Sources, figures, partners, local units and mechanisms go through review like the
# records (issue 13); a test that shows them to a visitor creates them published.
PUBLISHED = {"is_public": True, "review_state": "approved"}


def readable_text(response):
    """The text a person could read in ``response``: a page, a CSV, or an XLSX or
    DOCX (a zip) as the text of its XML parts, without the file's creation time."""
    import io
    import zipfile

    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts = [name for name in sorted(archive.namelist()) if not name.startswith("docProps/")]
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in parts)
    return body.decode("utf-8", "replace")
