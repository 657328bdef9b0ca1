"""A month- or year-only period start is the first day of its period, whatever writes the row."""

from django.db import migrations, models

from common.migration_ops import AddCheckInPlace
from common.partial_dates import move_to_first_of_period


def first_of_period(apps, schema_editor):
    """Month- and year-precision starts on the first day of their period, as the
    new constraint requires (nothing shown changes)."""
    move_to_first_of_period(apps.get_model("sources", "ReportedFigure"), ("period_start",), "period_precision")


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0007_source_in_review_idx"),
    ]

    operations = [
        migrations.RunPython(first_of_period, migrations.RunPython.noop),
        AddCheckInPlace(
            model_name="reportedfigure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("period_start__isnull", True),
                    models.Q(("period_precision__in", ["month", "year"]), _negated=True),
                    models.Q(("period_precision", "month"), ("period_start__day", 1)),
                    models.Q(("period_precision", "year"), ("period_start__month", 1), ("period_start__day", 1)),
                    _connector="OR",
                ),
                name="figure_period_start_first_of_period",
            ),
        ),
    ]
