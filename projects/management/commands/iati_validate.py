"""Write the IATI activity file of the register's aid projects and check it
against the vendored IATI 2.03 schema, standard ruleset and codelists.

    manage.py iati_validate [--output FILE] [--public]

Prints "N activities, E errors, W ruleset warnings; M left out: reason (count),
..." and exits with status 1 when there is any error (of the schema, of the
ruleset's cases of severity "error", or a code outside its codelist), so it can
guard a deployment. Warnings are listed: the ruleset warns (102.1.1) on every
activity whose sector is not a DAC 5-digit code, which the data cannot change.
"""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from projects.iati import ActivityWriter, aid_projects_for_export, iati_xml_chunks
from projects.iati_standard import check
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Write the IATI 2.03 activity file of the aid projects and validate it against the official XSD, "
        "IATI's standard ruleset and the codelists (all vendored in projects/iati_standard/). Lists the "
        "projects left out and why."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Also save the file here.")
        parser.add_argument("--public", action="store_true", help="Only the published projects (the visitors' file).")
        parser.add_argument("--show", type=int, default=10, help="Print at most this many errors (default 10).")

    def handle(self, *args, output, public, show, **options):
        projects = Project.objects.published() if public else Project.objects.all()
        projects = aid_projects_for_export(projects.order_by("pk")).iterator(chunk_size=500)
        writer = ActivityWriter()
        body = "".join(iati_xml_chunks(projects, writer=writer)).encode("utf-8")
        if output:
            Path(output).write_bytes(body)
        schema, failures, codelists = check(body)
        rules = [str(f) for f in failures if f.severity == "error"]
        warnings = Counter(f"{f.id} {f.message}" for f in failures if f.severity != "error")
        errors = [*schema, *rules, *codelists]
        for error in errors[:show]:
            self.stdout.write(f"  {error}")
        for warning, n in warnings.most_common():
            self.stdout.write(f"  warning on {n} activities: {warning}")
        with translation.override("vi"):
            reasons = Counter(str(reason) for _, found in writer.left_out for reason in found)
            summary = ", ".join(f"{reason} ({n})" for reason, n in reasons.most_common())
        activities = body.count(b"<iati-activity ")
        self.stdout.write(
            f"{activities} activities, {len(errors)} errors "
            f"(schema {len(schema)}, ruleset {len(rules)}, codelists {len(codelists)}), "
            f"{sum(warnings.values())} ruleset warnings; "
            f"{len(writer.left_out)} left out{': ' + summary if summary else ''}; "
            f"{writer.future_transactions} future transactions not exported"
        )
        if errors:
            raise CommandError(f"The IATI file has {len(errors)} errors.")
