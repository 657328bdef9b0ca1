"""A register whose every id is past 1,000,000: the articles' data with each
primary key and each reference to one shifted by ``OFFSET``, and every table's
id sequence (the audit trail's historical rows and the users included) pushed
past ``OFFSET`` as well, on SQLite and on PostgreSQL alike.

Used by the tests that prove no number code reads back (a form's hidden
version, a restore button, a link's id) is written with a thousands separator."""

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models

from offices.models import OfficeProfile

OFFSET = 1_000_000
# New rows (historical rows, users, records saved by a test) start past here.
NEXT_ID = 2_000_000


def _shift(model, fields):
    for name, value in list(fields.items()):
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112 - a natural key or a field the model lost: left as it is
            continue
        if field.many_to_many and isinstance(value, list):
            fields[name] = [v + OFFSET if isinstance(v, int) else v for v in value]
        elif isinstance(value, int) and (field.many_to_one or field.one_to_one or name == "object_id"):
            fields[name] = value + OFFSET  # a foreign key, or a generic foreign key's object_id


def load_shifted_articles(folder):
    """Load fixtures/*.json with every id and reference moved up by ``OFFSET``."""
    paths = []
    for source in sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json")):
        rows = json.loads(source.read_text(encoding="utf-8"))
        for row in rows:
            row["pk"] += OFFSET
            _shift(apps.get_model(row["model"]), row["fields"])
        target = Path(folder) / source.name
        target.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        paths.append(str(target))
    # The office the test's database starts with (tests/conftest.py) gives way to the shifted one.
    OfficeProfile.objects.all().delete()
    call_command("loaddata", *paths, verbosity=0)


def push_sequences_past(start=NEXT_ID):
    """Every table with an automatic id gives its next row an id above ``start``."""
    tables = {
        (model._meta.db_table, model._meta.pk.column)
        for model in apps.get_models(include_auto_created=True)
        if isinstance(model._meta.pk, models.AutoField)
    }
    with connection.cursor() as cursor:
        for table, column in sorted(tables):
            if connection.vendor == "postgresql":
                cursor.execute(
                    f'SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(%s, (SELECT MAX("{column}") FROM "{table}")))',  # noqa: S608, E501 - names come from the models
                    [table, column, start],
                )
            else:
                # AUTOINCREMENT tables take max(seq, max rowid) + 1.
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start])
