"""A month- or year-only date is the first day of its period, whatever writes the row."""

from django.db import migrations, models

from common.migration_ops import AddCheckInPlace
from common.partial_dates import move_to_first_of_period


def first_of_period(apps, schema_editor):
    """Month- and year-precision dates on the first day of their period, as the
    new constraints require (nothing shown changes)."""
    move_to_first_of_period(
        apps.get_model("projects", "Project"),
        ("planned_start", "planned_end", "actual_start", "actual_end"),
        "date_precision",
    )
    move_to_first_of_period(apps.get_model("projects", "Transaction"), ("date",), "date_precision")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0013_in_review_idx"),
    ]

    operations = [
        migrations.RunPython(first_of_period, migrations.RunPython.noop),
        AddCheckInPlace(
            model_name="project",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("planned_start__isnull", True),
                    models.Q(("date_precision__in", ["month", "year"]), _negated=True),
                    models.Q(("date_precision", "month"), ("planned_start__day", 1)),
                    models.Q(("date_precision", "year"), ("planned_start__month", 1), ("planned_start__day", 1)),
                    _connector="OR",
                ),
                name="project_planned_start_first_of_period",
            ),
        ),
        AddCheckInPlace(
            model_name="project",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("planned_end__isnull", True),
                    models.Q(("date_precision__in", ["month", "year"]), _negated=True),
                    models.Q(("date_precision", "month"), ("planned_end__day", 1)),
                    models.Q(("date_precision", "year"), ("planned_end__month", 1), ("planned_end__day", 1)),
                    _connector="OR",
                ),
                name="project_planned_end_first_of_period",
            ),
        ),
        AddCheckInPlace(
            model_name="project",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("actual_start__isnull", True),
                    models.Q(("date_precision__in", ["month", "year"]), _negated=True),
                    models.Q(("date_precision", "month"), ("actual_start__day", 1)),
                    models.Q(("date_precision", "year"), ("actual_start__month", 1), ("actual_start__day", 1)),
                    _connector="OR",
                ),
                name="project_actual_start_first_of_period",
            ),
        ),
        AddCheckInPlace(
            model_name="project",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("actual_end__isnull", True),
                    models.Q(("date_precision__in", ["month", "year"]), _negated=True),
                    models.Q(("date_precision", "month"), ("actual_end__day", 1)),
                    models.Q(("date_precision", "year"), ("actual_end__month", 1), ("actual_end__day", 1)),
                    _connector="OR",
                ),
                name="project_actual_end_first_of_period",
            ),
        ),
        AddCheckInPlace(
            model_name="transaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date__isnull", True),
                    models.Q(("date_precision__in", ["month", "year"]), _negated=True),
                    models.Q(("date_precision", "month"), ("date__day", 1)),
                    models.Q(("date_precision", "year"), ("date__month", 1), ("date__day", 1)),
                    _connector="OR",
                ),
                name="transaction_date_first_of_period",
            ),
        ),
    ]
