import tempfile

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from lang_son_affairs.backups import BackupError, read_backup, restore_backup


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

    def handle(self, *args, archive, dry_run, **options):
        try:
            if dry_run:
                with tempfile.TemporaryDirectory() as scratch:
                    manifest = read_backup(archive, scratch)
                verb = "would restore"
            else:
                call_command("migrate", interactive=False, verbosity=0)
                manifest = restore_backup(archive)
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
