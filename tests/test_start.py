"""`manage.py seed_demo`, the step of `python3 dev.py serve` that fills a fresh database."""

import json
from collections import defaultdict
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from operations.management.commands.seed_demo import DEMO_ACCOUNTS, FIXTURES_DIR
from partners.models import Sector

User = get_user_model()

SECTORS = [
    {"model": "partners.sector", "pk": 901, "fields": {"code": "T-11220", "name": "Giáo dục tiểu học"}},
    {"model": "partners.sector", "pk": 902, "fields": {"code": "T-12000", "name": "Y tế", "name_en": "Health"}},
]


@pytest.fixture
def fixtures_dir(tmp_path):
    folder = tmp_path / "fixtures"
    folder.mkdir()
    (folder / "01_sectors.json").write_text(json.dumps(SECTORS), encoding="utf-8")
    return folder


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def seed(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def roles():
    return {user.username: sorted(user.groups.values_list("name", flat=True)) for user in User.objects.all()}


@pytest.mark.django_db
def test_seed_demo_creates_the_five_demo_accounts_with_their_groups(debug_on, fixtures_dir):
    seed(fixtures_dir=str(fixtures_dir))

    assert roles() == {
        "staff": ["staff"],
        "approver": ["approver"],
        "official": ["official"],
        "custodian": ["passport custodian"],
        "admin": ["administrator"],
    }
    flags = {u.username: (u.is_staff, u.is_superuser) for u in User.objects.all()}
    assert flags == {
        "staff": (True, False),
        "approver": (True, False),
        "official": (False, False),
        "custodian": (True, False),
        "admin": (True, True),
    }


@pytest.mark.django_db
def test_each_demo_account_signs_in_with_the_password_it_prints(debug_on, fixtures_dir):
    out, _err = seed(fixtures_dir=str(fixtures_dir), url="http://127.0.0.1:8011/")

    assert "Demo site: http://127.0.0.1:8011/" in out
    for account in DEMO_ACCOUNTS:
        assert User.objects.get(username=account.username).check_password(account.password)
        assert any(account.username in line and account.password in line for line in out.splitlines())


@pytest.mark.django_db
def test_seed_demo_twice_still_leaves_five_users_and_the_same_rows(debug_on, fixtures_dir):
    seed(fixtures_dir=str(fixtures_dir))
    out, _err = seed(fixtures_dir=str(fixtures_dir))

    assert User.objects.count() == 5
    assert Sector.objects.filter(pk__in=[901, 902]).count() == 2
    assert "Created 0 demo accounts (none); reset 5 (staff, approver, official, custodian, admin)." in out


@pytest.mark.django_db
def test_seed_demo_resets_a_changed_demo_account(debug_on, fixtures_dir):
    seed(fixtures_dir=str(fixtures_dir))
    staff = User.objects.get(username="staff")
    staff.set_password("something-else-1")
    staff.is_staff = False
    staff.is_active = False
    staff.save()
    staff.groups.clear()

    seed(fixtures_dir=str(fixtures_dir))

    staff.refresh_from_db()
    assert staff.check_password("staff-demo-2024")
    assert (staff.is_staff, staff.is_active) == (True, True)
    assert roles()["staff"] == ["staff"]


@pytest.mark.django_db
def test_seed_demo_loads_fixtures_in_file_name_order(debug_on, tmp_path):
    # 10_ refers to a sector that 01_ creates; both land, whatever the order on disk.
    folder = tmp_path / "fixtures"
    folder.mkdir()
    (folder / "10_more.json").write_text(
        json.dumps([{"model": "partners.sector", "pk": 903, "fields": {"code": "T-3", "name": "Ba"}}]),
        encoding="utf-8",
    )
    (folder / "01_first.json").write_text(json.dumps(SECTORS), encoding="utf-8")

    out, _err = seed(fixtures_dir=str(folder))

    assert "Loaded 3 objects from 2 fixture files: 01_first.json (2), 10_more.json (1)." in out
    assert sorted(Sector.objects.filter(pk__gte=901).values_list("code", flat=True)) == ["T-11220", "T-12000", "T-3"]


@pytest.mark.django_db
def test_seed_demo_refuses_demo_accounts_with_debug_off_but_loads_the_fixtures(settings, fixtures_dir):
    settings.DEBUG = False

    out, err = seed(fixtures_dir=str(fixtures_dir))

    assert User.objects.count() == 0
    assert "Demo accounts refused: DEBUG is off" in err
    assert "staff-demo-2024" not in out
    assert Sector.objects.filter(pk__in=[901, 902]).count() == 2


@pytest.mark.django_db
def test_seed_demo_dry_run_writes_nothing(debug_on, fixtures_dir):
    out, _err = seed("--dry-run", fixtures_dir=str(fixtures_dir))

    assert User.objects.count() == 0
    assert not Sector.objects.filter(pk__in=[901, 902]).exists()
    assert "Would load 2 objects from 1 fixture files: 01_sectors.json (2)." in out
    assert "Would create 5 demo accounts (staff, approver, official, custodian, admin)" in out


@pytest.mark.django_db
def test_seed_demo_says_so_when_there_are_no_fixtures(debug_on, tmp_path):
    out, _err = seed(fixtures_dir=str(tmp_path))

    assert f"No fixtures to load: {tmp_path} has no *.json files." in out
    assert User.objects.count() == 5


@pytest.mark.django_db
def test_seed_demo_names_a_broken_fixture_file_and_writes_nothing(debug_on, fixtures_dir):
    (fixtures_dir / "02_broken.json").write_text("[{", encoding="utf-8")

    with pytest.raises(CommandError, match="02_broken.json is not a readable JSON fixture"):
        seed(fixtures_dir=str(fixtures_dir))
    assert User.objects.count() == 0
    assert not Sector.objects.filter(pk__in=[901, 902]).exists()


@pytest.mark.django_db
def test_seed_demo_loads_every_row_of_the_committed_fixtures(debug_on):
    files = sorted(FIXTURES_DIR.glob("*.json"))
    if not files:
        pytest.skip("fixtures/ holds no JSON fixture yet")
    expected = defaultdict(set)
    for path in files:
        for row in json.loads(path.read_text(encoding="utf-8")):
            expected[row["model"]].add(row["pk"])

    seed()

    for label, pks in expected.items():
        model = apps.get_model(label)
        assert model.objects.filter(pk__in=pks).count() == len(pks), label
