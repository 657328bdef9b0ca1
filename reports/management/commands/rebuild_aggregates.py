"""Recount the delegation tally from the delegations, or (--check) compare it
with a full recount and fail when they differ."""

from django.core.management.base import BaseCommand, CommandError

from reports import tally


class Command(BaseCommand):
    help = "Recount the dashboard and period-report aggregates (reports_delegationtally) from the delegations."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare with a full recount; change nothing.")

    def handle(self, *args, check=False, **options):
        if check:
            diffs = tally.differences()
            for key, stored, recount in diffs[:20]:
                self.stdout.write(f"{key}: stored {stored}, recount {recount}")
            if diffs:
                raise CommandError(f"{len(diffs)} aggregate rows differ from a full recount.")
            self.stdout.write("Aggregates are exact.")
            return
        tally.rebuild()
        self.stdout.write("Aggregates rebuilt.")
