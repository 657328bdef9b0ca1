"""Fill the register with national-scale synthetic data (DESIGN.md, "Scale")."""

from django.core.management.base import BaseCommand, CommandError

from operations.synthetic.generate import Generator, Plan


class Command(BaseCommand):
    help = (
        "Generate N synthetic delegations with about 5 members each, N/10 agreements, N/5 projects with "
        "about 5 transactions each, cooperation mechanisms, a partner hierarchy (countries, regions, cities, "
        "counties, organisations) and local units in all 34 provinces, with the office profile of each "
        "province that has none: every record is its unit's province's, the most the only office's (else "
        "the demo's); Vietnamese names, dates 1996-2025, "
        "a mix of draft, submitted, approved and public records. Appends to the database: ids start after "
        "the current largest. PostgreSQL: COPY, blocks committed one by one, then VACUUM (ANALYZE); other "
        "databases: batched INSERTs. No history rows are written (the records have no change history). "
        "The same --seed on the same starting database gives the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delegations", type=int, required=True, help="How many delegations (N).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--jobs", type=int, default=1, help="PostgreSQL: processes making rows while COPY runs (0: none)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Print the planned counts; write nothing.")

    def handle(self, *args, delegations, seed, jobs, dry_run, **options):
        if delegations < 1:
            raise CommandError("--delegations must be at least 1.")
        plan = Plan(delegations)
        self.stdout.write(f"Plan (seed {seed}):")
        for line in plan.lines():
            self.stdout.write(f"  {line}")
        if dry_run:
            self.stdout.write("Dry run: nothing written.")
            return
        Generator(plan, seed, self.stdout.write, jobs=jobs).run()
