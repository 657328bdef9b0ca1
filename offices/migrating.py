"""The migrations that give existing rows their province (docs/PROVINCES.md, step 2).

For each model the column is added empty, filled with the code of the
database's office, then made required; its history table gets the column
too, filled the same way, and stays nullable as simple_history keeps it.

- The database never evaluates the field's Python default
  (``offices.records.home_province``, which reads today's OfficeProfile model,
  not the migration's): the database side of each step is written without it
  (``SeparateDatabaseAndState``), the migration state with it.
- A database with rows and no office (an install upgraded before any profile
  was entered) or several offices cannot say whose the rows are: the migration
  stops with a sentence that says what to do, and nothing is changed.
- SQLite rebuilds a table to make a column required, which drops the triggers
  of the tallies on it; the caller sets them aside before and puts them back
  after (register/tallies.py)."""

import django.db.models.deletion
from django.db import migrations, models

import offices.records


class NoOfficeForRows(RuntimeError):
    pass


def _province(null, default, history=False):
    kwargs = {
        "db_column": "province",
        "to": "offices.officeprofile",
        "to_field": "province_code",
        "related_name": "+",
        "verbose_name": "province",
    }
    if history:
        kwargs.update(blank=True, null=True, db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING)
    else:
        kwargs.update(null=null, on_delete=django.db.models.deletion.PROTECT)
    if default:
        kwargs["default"] = offices.records.home_province
    return models.ForeignKey(**kwargs)


def add_column(model_name, history=True):
    """The column added, empty, on the model's table and its history's."""
    operations = [
        migrations.AddField(model_name=model_name, name="province", field=_province(null=True, default=False)),
    ]
    if history:
        operations.append(
            migrations.SeparateDatabaseAndState(
                database_operations=[
                    migrations.AddField(
                        model_name=f"historical{model_name}",
                        name="province",
                        field=_province(null=True, default=False, history=True),
                    )
                ],
                state_operations=[
                    migrations.AddField(
                        model_name=f"historical{model_name}",
                        name="province",
                        field=_province(null=True, default=True, history=True),
                    )
                ],
            )
        )
    return operations


def make_required(model_name):
    """The column required, as the model declares it (with its Python default)."""
    return [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterField(model_name=model_name, name="province", field=_province(False, False))
            ],
            state_operations=[
                migrations.AlterField(model_name=model_name, name="province", field=_province(False, True))
            ],
        )
    ]


def fill(app_label, *model_names, history=True):
    """A RunPython that gives every row of ``model_names`` (and their history rows)
    the code of the database's only office."""

    def forwards(apps, schema_editor):
        tables = []
        for name in model_names:
            tables.append(apps.get_model(app_label, name))
            if history:
                tables.append(apps.get_model(app_label, f"Historical{name}"))
        waiting = [model for model in tables if model.objects.filter(province__isnull=True).exists()]
        if not waiting:
            return
        codes = list(apps.get_model("offices", "OfficeProfile").objects.values_list("province_code", flat=True)[:2])
        if len(codes) != 1:
            held = ", ".join(model._meta.db_table for model in waiting)
            raise NoOfficeForRows(
                f"The tables {held} hold rows, and the database has {'no' if not codes else 'more than one'} "
                "office profile to say which province they belong to. Enter the office first, then migrate "
                "again: `python manage.py migrate offices`, then `python manage.py start_province --code NN "
                '--name "…" --records-are-ours` (the province whose records these are), then '
                "`python manage.py migrate`, then start_province again for its local units. Nothing was changed."
            )
        for model in waiting:
            model.objects.filter(province__isnull=True).update(province=codes[0])

    return migrations.RunPython(forwards, migrations.RunPython.noop)
