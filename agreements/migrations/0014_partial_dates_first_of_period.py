"""A month- or year-only date is the first day of its period, whatever writes the row."""

from django.db import migrations, models

from common.migration_ops import AddCheckInPlace
from common.partial_dates import move_to_first_of_period


def first_of_period(apps, schema_editor):
    """Month- and year-precision dates on the first day of their period, as the
    new constraints require (nothing shown changes)."""
    move_to_first_of_period(apps.get_model("agreements", "Agreement"), ("signed_on",), "date_precision")
    move_to_first_of_period(apps.get_model("agreements", "AgreementUpdate"), ("date",), "date_precision")
    move_to_first_of_period(apps.get_model("agreements", "Partnership"), ("established_on",), "date_precision")


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0013_in_review_idx"),
    ]

    operations = [
        migrations.RunPython(first_of_period, migrations.RunPython.noop),
        AddCheckInPlace(
            model_name="agreement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("signed_on__isnull", True),
                    models.Q(("date_precision__in", ["month", "year"]), _negated=True),
                    models.Q(("date_precision", "month"), ("signed_on__day", 1)),
                    models.Q(("date_precision", "year"), ("signed_on__month", 1), ("signed_on__day", 1)),
                    _connector="OR",
                ),
                name="agreement_signed_on_first_of_period",
            ),
        ),
        AddCheckInPlace(
            model_name="agreementupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date__isnull", True),
                    models.Q(("date_precision__in", ["month", "year"]), _negated=True),
                    models.Q(("date_precision", "month"), ("date__day", 1)),
                    models.Q(("date_precision", "year"), ("date__month", 1), ("date__day", 1)),
                    _connector="OR",
                ),
                name="agreementupdate_date_first_of_period",
            ),
        ),
        AddCheckInPlace(
            model_name="partnership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("established_on__isnull", True),
                    models.Q(("date_precision__in", ["month", "year"]), _negated=True),
                    models.Q(("date_precision", "month"), ("established_on__day", 1)),
                    models.Q(("date_precision", "year"), ("established_on__month", 1), ("established_on__day", 1)),
                    _connector="OR",
                ),
                name="partnership_established_on_first_of_period",
            ),
        ),
    ]
