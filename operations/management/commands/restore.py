import tempfile

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, read_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Load an archive written by `manage.py backup` into an EMPTY database (migrated first by this "
        "command) and the media folder. Checksums are verified before anything is written; the data "
        "loads in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only verify the archive and say what it holds; write nothing."
        )
        parser.add_argument(
            "--trust-unsigned",
            action="store_true",
            help="Restore an archive whose signature is missing or does not match DJANGO_BACKUP_KEY "
            "(checksums are still verified). Only for an archive you know to be genuine.",
        )

    def handle(self, *args, archive, dry_run, trust_unsigned, **options):
        if trust_unsigned:
            self.stderr.write(
                self.style.WARNING(
                    "Không kiểm tra chữ ký (--trust-unsigned). / Signature not checked (--trust-unsigned)."
                )
            )
        try:
            if dry_run:
                with tempfile.TemporaryDirectory() as scratch:
                    manifest = read_backup(archive, scratch, trust_unsigned)
                verb = "would restore"
            else:
                call_command("migrate", interactive=False, verbosity=0)
                manifest = restore_backup(archive, trust_unsigned)
                verb = "restored"
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["models"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Archive of {manifest['created_at']} ({manifest['database']}) is sound: {verb} {rows} rows "
                f"of {len(manifest['models'])} models and {len(manifest['media'])} media files."
            )
        )
