"""Recount every trigger-kept pre-aggregate from the records, or (--check)
compare each with a full recount and fail when any differs."""

from django.core.management.base import BaseCommand, CommandError

from agreements import agreement_tally, signed_partner_tally
from projects import iati_lacks_sql, project_tally, transaction_tally
from reports import tally

# name -> the module that rebuilds it and lists its differences from a recount.
TALLIES = {
    "delegations, and partners' records (reports_delegationtally, reports_partnertally, reports_agreementdaytally)": (
        tally
    ),
    "transactions (projects_transactiontally)": transaction_tally,
    "projects (projects_projecttally)": project_tally,
    "agreements (agreements_agreementtally)": agreement_tally,
    "agreements signed by partner (agreements_signedpartnertally)": signed_partner_tally,
    "what each project lacks for the IATI file (projects_project.iati_lacks)": iati_lacks_sql,
}


class Command(BaseCommand):
    help = (
        "Recount the pre-aggregates of the dashboard, the period report, the dossier and the partner list "
        "from the records (after a bulk load with the triggers off, or to repair them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare with a full recount; change nothing.")

    def handle(self, *args, check=False, **options):
        if not check:
            for name, module in TALLIES.items():
                module.rebuild()
                self.stdout.write(f"Rebuilt: {name}.")
            self.stdout.write("Aggregates rebuilt.")
            return
        failed = 0
        for name, module in TALLIES.items():
            diffs = module.differences()
            for key, stored, recount in diffs[:20]:
                self.stdout.write(f"{name}: {key}: stored {stored}, recount {recount}")
            self.stdout.write(f"{name}: {'exact' if not diffs else f'{len(diffs)} rows differ'}.")
            failed += len(diffs)
        if failed:
            raise CommandError(f"{failed} aggregate rows differ from a full recount.")
        self.stdout.write("Aggregates are exact.")
