from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations.backups import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive with all the register's data (dumpdata with natural keys, "
        "read in one snapshot) and every media file, with a manifest of counts and checksums, signed "
        "with DJANGO_BACKUP_KEY (HMAC-SHA256)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Where to write the archive (default: backups/lang-son-affairs-<date>-<time>.tar.gz).",
        )

    def handle(self, *args, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        default = Path(settings.BASE_DIR) / "backups" / f"lang-son-affairs-{stamp}.tar.gz"
        output = Path(options["output"] or default)
        try:
            manifest = write_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["models"].values())
        size = output.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {output} ({rows} rows of {len(manifest['models'])} models, "
                f"{len(manifest['media'])} media files, {size / 1_048_576:.1f} MB)."
            )
        )
