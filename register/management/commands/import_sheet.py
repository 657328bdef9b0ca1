"""``manage.py import_sheet FILE --kind delegations``: an office's own list,
read, mapped and checked as the admin's office import does it, from the
command line (register/office_import/engine.py).

With ``--dry-run`` nothing is written (the new partners it proposes included);
without it, the names it does not know are created as draft partners under
the parent their text gives, and every record cites the file. ``--json``
prints one JSON object: the header row, the mapping, each row as it will be
saved with its errors and possible duplicate, the new partners.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from register.import_rows import ImportFileError
from register.models import SheetMapping
from register.office_import import engine
from register.office_import.fields import KINDS, TRANSACTION
from register.office_import.plans import Choices


class Command(BaseCommand):
    help = (
        "Import an office's own list (.xlsx, .xls, .ods, .csv) of delegations, agreements, projects, "
        "partners or twinning pairs."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        parser.add_argument("--sheet")
        parser.add_argument("--mapping", help="the name of a saved mapping")
        parser.add_argument("--header-row", type=int)
        parser.add_argument("--user", help="the username the records are imported as (default: the first superuser)")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        data = path.read_bytes()
        user = self.user(options["user"])
        mapping = None
        if options["mapping"]:
            mapping = SheetMapping.objects.filter(kind=options["kind"], name=options["mapping"]).first()
            if mapping is None:
                raise CommandError(_("There is no saved mapping named “%(name)s”.") % {"name": options["mapping"]})
        choices = Choices(sheet=options["sheet"], header_row=options["header_row"])
        try:
            plan = engine.read(data, path.name, options["kind"], choices, mapping=mapping)
            found = None
            if mapping is None:
                found = SheetMapping.matching(options["kind"], [c.heading for c in plan.columns])
            if found is not None or plan.proposals:
                # Read once more, with the saved mapping its headings match, and every proposed partner
                # accepted as proposed (from the command line nobody is asked).
                choices = Choices(sheet=plan.sheet, header_row=plan.header_row)
                if found is None:
                    choices = plan.choices
                choices.partners = {proposal.key: {"action": "new"} for proposal in plan.proposals}
                plan = engine.read(data, path.name, options["kind"], choices, mapping=found or mapping)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        plan.file_name = path.name
        saved = False
        if options["dry_run"] or plan.bad_rows() or plan.problems:
            engine.preview(plan, user)
        else:
            # Checked as it is saved; a possible duplicate is skipped (the admin's page asks instead).
            saved = engine.save(plan, user, data=data, file_name=path.name, undecided="skip") is not None
        if options["json"]:
            output = engine.as_json(plan)
            output["saved"] = saved
            self.stdout.write(json.dumps(output, ensure_ascii=False, indent=1, default=str))
            return
        counts = plan.counts()
        summary = _(
            "Header row %(row)s; %(rows)s rows: %(create)s new, %(update)s updated, %(skip)s unchanged or "
            "skipped, %(error)s with errors, %(duplicate)s possible duplicates; %(partners)s new partners."
        ) % {"row": plan.header_row, "rows": len(plan.rows), "partners": len(plan.proposals), **counts}
        if any(target.reader == TRANSACTION for target in plan.kind.targets):
            if saved:
                told = _(
                    "Transactions: %(create)s written, %(existing)s already in the register (not added again), "
                    "%(left)s not imported with their rows."
                )
            else:
                told = _(
                    "Transactions checked: %(read)s, of which %(create)s new, %(existing)s already in the register, "
                    "%(left)s on rows with errors or skipped."
                )
            summary += " " + told % plan.transaction_counts()
        self.stdout.write(summary)
        for row in plan.bad_rows():
            for letter, message in row.errors:
                self.stdout.write(f"  {letter}{row.number}: {message}")
        self.stdout.write(_("Saved.") if saved else _("Nothing was saved."))

    def user(self, username):
        users = get_user_model().objects
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(_("There is no user %(name)s.") % {"name": username})
            return user
        return users.filter(is_superuser=True).order_by("pk").first()
