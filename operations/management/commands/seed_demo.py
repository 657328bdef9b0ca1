"""Fill a development database: the articles' fixtures (the demo province's
office profile among them, fixtures/00_office.json), then the demo accounts.

`python3 dev.py serve` runs this after `migrate`. It is safe to run again:
loaddata updates the fixture rows by primary key, and an existing demo
account gets its password, flags and group back.

Demo accounts have fixed, published passwords, so they are only ever created
while DEBUG is on; with DEBUG off the fixtures still load and the accounts
are refused.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from offices.models import StaffProfile
from register.roles import ensure_groups

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    group: str
    role: str
    password: str
    is_staff: bool = False
    is_superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("staff", "staff", "data-entry staff, /admin/", "staff-demo-2024", is_staff=True),
    DemoAccount("approver", "approver", "approver, /admin/", "approver-demo-2024", is_staff=True),
    DemoAccount("official", "official", "official, reads the site", "official-demo-2024"),
    DemoAccount("custodian", "passport custodian", "passport custodian, /admin/", "custodian-demo-2024", is_staff=True),
    DemoAccount(
        "admin", "administrator", "administrator (superuser)", "admin-demo-2024", is_staff=True, is_superuser=True
    ),
)


class Command(BaseCommand):
    help = (
        "Load every fixtures/*.json in file-name order and, only when DEBUG is on, create or reset "
        "the demo accounts staff, approver, official and admin. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be loaded and created; write nothing."
        )
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="The site's address, printed with the accounts."
        )
        parser.add_argument(
            "--fixtures-dir", default=str(FIXTURES_DIR), help="Where the JSON fixtures are (default: fixtures/)."
        )

    def handle(self, *args, dry_run=False, url="", fixtures_dir="", **options):
        self.load_fixtures(Path(fixtures_dir), dry_run)
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "Demo accounts refused: DEBUG is off, and their passwords are published. "
                    "Run with DJANGO_DEBUG=1 on a development database, or create real accounts "
                    "with `manage.py createsuperuser`."
                )
            )
            return
        self.seed_accounts(dry_run)
        self.print_summary(url, dry_run)

    def load_fixtures(self, folder, dry_run):
        files = sorted(folder.glob("*.json"))
        if not files:
            self.stdout.write(f"No fixtures to load: {folder} has no *.json files.")
            return
        sizes, provinces = {}, set()
        for path in files:
            try:
                rows = json.loads(path.read_text(encoding="utf-8"))
                sizes[path.name] = len(rows)
                provinces |= {row["fields"]["province_code"] for row in rows if row["model"] == "offices.officeprofile"}
            except (OSError, ValueError, TypeError, KeyError) as error:
                raise CommandError(f"{path} is not a readable JSON fixture: {error}") from error
        self.refuse_another_province(provinces)
        # The demo accounts work for the demo's province: on a database of several offices
        # (generate_synthetic makes the 34) they stay its users (offices/scope.py).
        self.demo_province = next(iter(provinces)) if len(provinces) == 1 else None
        total = sum(sizes.values())
        verb = "Would load" if dry_run else "Loaded"
        if not dry_run:
            # One loaddata call: one transaction, and references between files
            # are checked once everything is in.
            call_command("loaddata", *[str(path) for path in files], verbosity=0)
        listing = ", ".join(f"{name} ({count})" for name, count in sizes.items())
        self.stdout.write(f"{verb} {total} objects from {len(files)} fixture files: {listing}.")

    def refuse_another_province(self, fixture_provinces):
        """The demo data is one province's: never loaded into a database set up for another
        (start_province), whose profile it would overwrite."""
        from offices.models import OfficeProfile

        profile = OfficeProfile.objects.first()
        if profile is not None and fixture_provinces and profile.province_code not in fixture_provinces:
            raise CommandError(
                _(
                    "This database belongs to %(province)s (office profile: %(office)s); the demo data is another "
                    "province's and was not loaded. Use a new database for the demo."
                )
                % {"province": profile.province.full_name, "office": profile.office_name}
            )

    def seed_accounts(self, dry_run):
        User = get_user_model()
        existing = set(
            User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list("username", flat=True)
        )
        created = [a.username for a in DEMO_ACCOUNTS if a.username not in existing]
        reset = [a.username for a in DEMO_ACCOUNTS if a.username in existing]
        if not dry_run:
            with transaction.atomic():
                ensure_groups()
                for account in DEMO_ACCOUNTS:
                    self.write_account(User, account)
        prefix = "Would create" if dry_run else "Created"
        self.stdout.write(
            f"{prefix} {len(created)} demo accounts ({', '.join(created) or 'none'}); "
            f"{'would reset' if dry_run else 'reset'} {len(reset)} ({', '.join(reset) or 'none'})."
        )

    def write_account(self, User, account):
        user = User.objects.filter(username=account.username).first() or User(username=account.username)
        user.email = f"{account.username}@example.org"
        user.is_active = True
        user.is_staff = account.is_staff
        user.is_superuser = account.is_superuser
        user.set_password(account.password)
        user.save()
        user.groups.set([Group.objects.get(name=account.group)])
        province = getattr(self, "demo_province", None)
        if province is not None and not account.is_superuser:
            StaffProfile.objects.update_or_create(user=user, defaults={"province_id": province})

    def print_summary(self, url, dry_run):
        rows = [("account", "role", "password")]
        rows += [(a.username, a.role, a.password) for a in DEMO_ACCOUNTS]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = ["", f"Demo site: {url}   (staff data entry: {url.rstrip('/')}/admin/)"]
        if dry_run:
            lines[1] += "   [dry run: nothing written]"
        for index, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            lines.append(("  " + "  ".join(cells)).rstrip())
            if index == 0:
                lines.append("  " + "  ".join("-" * width for width in widths))
        self.stdout.write("\n".join(lines) + "\n")
