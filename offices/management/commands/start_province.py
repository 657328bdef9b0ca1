"""`python manage.py start_province --code 04 --name "Cao Bằng"`: a clean
install for a province (offices/services.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from offices import provinces
from offices.services import ProvinceRefused, check_may_start, defaults_for, find_province, start_province


class Command(BaseCommand):
    help = (
        "Set up a fresh (migrated) database for one of the 34 provinces: its office profile (names derived from "
        "the province, to be checked in the admin) and its local units of the 2025 map, the province and its "
        "communes, wards and special zones, each citing the official list. Refuses a database that holds another "
        "province's records. Run again for the same province, it adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="The province's code in the 2025 list: 04 (Cao Bằng).")
        parser.add_argument("--name", help="The province's name, checked against the code: “Cao Bằng”.")
        parser.add_argument("--office-name", help="The office's name, if not “Sở Ngoại vụ tỉnh …”.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be created; write nothing.")
        parser.add_argument(
            "--records-are-ours",
            action="store_true",
            help="On an install upgraded from before offices: the records already in the database are this "
            "province's. Creates the office profile only; run `migrate`, then this command again for the local units.",
        )

    def handle(self, *args, code, name=None, office_name=None, dry_run=False, records_are_ours=False, **options):
        try:
            province = find_province(code, name)
            if dry_run:
                with transaction.atomic():
                    check_may_start(province)
                units = 1 + len(provinces.communes(province.code))
                self.stdout.write(
                    _(
                        "Would set up %(province)s (code %(code)s): the office profile “%(office)s” and up to "
                        "%(units)s local units."
                    )
                    % {
                        "province": province.full_name,
                        "code": province.code,
                        "office": office_name or defaults_for(province)["office_name"],
                        "units": units,
                    }
                )
                return
            started = start_province(province, records_are_ours=records_are_ours, office_name=office_name)
        except ProvinceRefused as refusal:
            raise CommandError(str(refusal)) from None
        profile = started.profile
        if started.profile_created:
            self.stdout.write(
                _("Created the office profile “%(office)s” for %(province)s (code %(code)s).")
                % {"office": profile.office_name, "province": province.full_name, "code": province.code}
            )
        else:
            self.stdout.write(
                _("The office profile “%(office)s” of %(province)s was already there; left as it is.")
                % {"office": profile.office_name, "province": province.full_name}
            )
        self.stdout.write(
            _(
                "Local units: %(created)s created (the province and its communes, wards and special zones), "
                "%(existing)s already there."
            )
            % {"created": started.units_created, "existing": started.units_existing}
        )
        if started.profile_created:
            self.stdout.write(
                _(
                    "Check the names, the emblem and the IATI identifier (%(ref)s) in the admin: "
                    "Office > Office profile."
                )
                % {"ref": profile.iati_org_ref}
            )
