"""A month- or year-only date is the first day of its period, whatever writes the row."""

from django.db import migrations, models

from common.migration_ops import AddCheckInPlace
from common.partial_dates import move_to_first_of_period


def first_of_period(apps, schema_editor):
    """Month- and year-precision dates on the first day of their period, as the
    new constraints require (nothing shown changes)."""
    move_to_first_of_period(apps.get_model("delegations", "Delegation"), ("start_date", "end_date"), "date_precision")


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0010_in_review_idx"),
    ]

    operations = [
        migrations.RunPython(first_of_period, migrations.RunPython.noop),
        AddCheckInPlace(
            model_name="delegation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("start_date__isnull", True),
                    models.Q(("date_precision__in", ["month", "year"]), _negated=True),
                    models.Q(("date_precision", "month"), ("start_date__day", 1)),
                    models.Q(("date_precision", "year"), ("start_date__month", 1), ("start_date__day", 1)),
                    _connector="OR",
                ),
                name="delegation_start_date_first_of_period",
            ),
        ),
        AddCheckInPlace(
            model_name="delegation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("end_date__isnull", True),
                    models.Q(("date_precision__in", ["month", "year"]), _negated=True),
                    models.Q(("date_precision", "month"), ("end_date__day", 1)),
                    models.Q(("date_precision", "year"), ("end_date__month", 1), ("end_date__day", 1)),
                    _connector="OR",
                ),
                name="delegation_end_date_first_of_period",
            ),
        ),
    ]
