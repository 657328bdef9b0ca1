"""`python manage.py read_article FILE [--url URL] [--published YYYY-MM-DD] --json`: reads one article
and prints what the reader proposes (reading/reader.py). Writes nothing."""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reading.gazetteer import gazetteer_or_none
from reading.reader import read


def article_text(path: Path) -> tuple[str, dict]:
    """The text of a .txt file (UTF-8), or of another format through reading.text.extract_file."""
    if path.suffix.lower() == ".txt":
        try:
            return path.read_text("utf-8-sig"), {}  # a BOM (Notepad) is not part of the text
        except UnicodeDecodeError as error:
            raise CommandError(_("The file %(name)s is not UTF-8 text.") % {"name": path}) from error
    try:
        from reading.text import extract_file
    except ImportError as error:
        raise CommandError(_("Only .txt files can be read here for now.")) from error
    with path.open("rb") as handle:
        extracted = extract_file(handle, path.name)
    info = extracted if isinstance(extracted, dict) else vars(extracted)
    return info.get("text", ""), info


class Command(BaseCommand):
    @property
    def help(self):  # read when the command runs, in its language
        return _(
            "Read one article or report (.txt, or .docx, .pdf, .html) and print the delegations, agreements and "
            "figures it states, each with the sentence it rests on. Writes nothing."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The article's file."))
        parser.add_argument("--url", help=_("The article's address, when known (its date may be read from it)."))
        parser.add_argument("--published", help=_("The publication date, YYYY-MM-DD."))
        parser.add_argument("--json", action="store_true", help=_("Print one JSON object (the default)."))

    def handle(self, *args, file, url=None, published=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(name)s") % {"name": file})
        day = None
        if published:
            try:
                day = date.fromisoformat(published)
            except ValueError as error:
                raise CommandError(
                    _("The publication date “%(value)s” is not a date written YYYY-MM-DD.") % {"value": published}
                ) from error
        text, info = article_text(path)
        if day is None and isinstance(info.get("published"), date):
            day = info["published"]
        names = gazetteer_or_none(warn=self.stderr.write)
        reading = read(text, published=day, url=url or info.get("url") or None, gazetteer=names)
        self.stdout.write(json.dumps(reading.as_json(), ensure_ascii=False, indent=2))
