"""The breadcrumbs of a record's page end with the record, not with a
dangling "›" after the list it belongs to."""

import re

import pytest

from agreements.models import Agreement, AgreementKind
from delegations.models import Delegation, Direction
from projects.models import Project, ProjectKind
from register.publishable import ReviewState

PUBLISHED = {"is_public": True, "review_state": ReviewState.APPROVED}


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def crumbs(client, record):
    page = client.get(record.get_absolute_url()).text
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group(0)
    return re.sub(r"<[^>]+>", "", nav)


@pytest.mark.parametrize(
    ("make", "trail"),
    [
        (
            lambda: Delegation.objects.create(direction=Direction.INBOUND, title="Đoàn Bằng Tường", **PUBLISHED),
            "Đoàn ra, đoàn vào › Đoàn Bằng Tường",
        ),
        (
            lambda: Agreement.objects.create(kind=AgreementKind.MOU, title="Bản ghi nhớ với Bằng Tường", **PUBLISHED),
            "Điều ước, thỏa thuận quốc tế › Bản ghi nhớ với Bằng Tường",
        ),
        (
            lambda: Project.objects.create(kind=ProjectKind.ODA, title="Dự án trường học", **PUBLISHED),
            "Dự án › Dự án trường học",
        ),
    ],
)
def test_a_record_page_breadcrumb_ends_with_the_record(client, db, make, trail):
    assert crumbs(client, make()) == trail
