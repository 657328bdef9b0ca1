"""Mail each user the day's digest of what is due (README, "Reminders"): cron runs it
once a day; a second run the same day mails nothing new."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from duties import lines, reminders


class Command(BaseCommand):
    help = (
        "Mail each user with an e-mail address one digest of their due items not mailed before "
        "(once per item and stage). Cron runs it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would be mailed what; send and write nothing."
        )
        parser.add_argument("--today", help="The day to compute what is due on, YYYY-MM-DD (default: today).")

    def handle(self, *args, dry_run=False, today=None, **options):
        on = self._day(today)
        address = reminders.site_address()

        def absolute(path):
            return path if path.startswith(("http://", "https://")) else f"{address}{path}"

        users = mailed = items = 0
        for user in reminders.recipients().iterator(chunk_size=200):
            users += 1
            digest = reminders.digest_for(user, on)
            if digest is None:
                continue
            mailed += 1
            items += len(digest.lines)
            if dry_run:
                self.stdout.write(f"would mail {reminders.describe(digest)}")
                for line in digest.lines:
                    self.stdout.write(f"  - {line.item.kind}: {line.item.title} ({line.lateness})")
            else:
                reminders.send_digest(digest, on, absolute)
                self.stdout.write(f"mailed {reminders.describe(digest)}")
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{on:%d/%m/%Y}: {users} users with an e-mail address read; {verb} {mailed} digests "
                f"of {items} items{' (dry run: nothing sent, nothing written)' if dry_run else ''}."
            )
        )

    def _day(self, value):
        if not value:
            return lines.today()
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--today {value!r} is not a date YYYY-MM-DD.") from None
