"""A month- or year-only date is the first day of its period, whatever writes the row."""

from django.db import migrations, models

from common.migration_ops import AddCheckInPlace
from common.partial_dates import move_to_first_of_period


def first_of_period(apps, schema_editor):
    """Month- and year-precision dates on the first day of their period, as the
    new constraints require (nothing shown changes)."""
    move_to_first_of_period(
        apps.get_model("partners", "CooperationMechanism"), ("established_on",), "established_precision"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0007_review_and_publication"),
    ]

    operations = [
        migrations.RunPython(first_of_period, migrations.RunPython.noop),
        AddCheckInPlace(
            model_name="cooperationmechanism",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("established_on__isnull", True),
                    models.Q(("established_precision__in", ["month", "year"]), _negated=True),
                    models.Q(("established_precision", "month"), ("established_on__day", 1)),
                    models.Q(
                        ("established_precision", "year"), ("established_on__month", 1), ("established_on__day", 1)
                    ),
                    _connector="OR",
                ),
                name="mechanism_established_on_first_of_period",
            ),
        ),
    ]
