"""`python manage.py evaluate_reading [DIR | --dir DIR] [-v 2]`: precision and recall of the article reader
on the annotated articles (tests/reading/), per kind (reading/evaluation.py)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reading.evaluation import evaluate, table
from reading.gazetteer import gazetteer_or_none


class Command(BaseCommand):
    @property
    def help(self):  # read when the command runs, in its language
        return _(
            "Run the article reader over every annotated article of a folder and print, per kind, how many items "
            "were annotated, extracted and found, with precision and recall. -v 2 lists the misses and the false "
            "proposals of each article."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder",
            nargs="?",
            help=_("The folder of annotated articles (default: tests/reading/articles)."),
        )
        parser.add_argument("--dir", dest="folder_option", help=_("The same folder, given as an option."))

    def handle(self, *args, folder=None, verbosity=1, folder_option=None, **options):
        folder = folder or folder_option
        path = Path(folder) if folder else Path(settings.BASE_DIR) / "tests" / "reading" / "articles"
        if not path.is_dir():
            raise CommandError(_("No such folder: %(name)s") % {"name": path})
        scores, results = evaluate(path, gazetteer=gazetteer_or_none(warn=self.stderr.write))
        if verbosity > 1:
            for result in results:
                for kind in result.misses:
                    for item in result.misses[kind]:
                        self.stdout.write(f"{result.name} {kind} MISSED {_brief(item)}")
                    for item in result.false[kind]:
                        self.stdout.write(f"{result.name} {kind} FALSE {_brief(item)}")
        self.stdout.write(table(scores))


def _brief(item):
    keep = {k: v for k, v in item.items() if k not in ("excerpt", "purpose", "place", "partners", "title")}
    return json.dumps(keep, ensure_ascii=False, default=str)
