"""A partner's IATI organisation identifier (XM-DAC-44000), written as its ref
in the IATI file, with the characters IATI forbids refused by the database."""

from django.db import migrations, models

HELP = "As IATI knows the organisation: XM-DAC-44000 for the World Bank. Blank when not known."
FORBIDDEN = (" ", "/", "&", "|", "?")
CHECK = " AND ".join(f"iati_ref NOT LIKE '%{c}%'" for c in FORBIDDEN)


def field():
    return models.CharField(
        blank=True,
        db_default="",
        default="",
        help_text=HELP,
        max_length=100,
        verbose_name="IATI organisation identifier",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0008_partial_dates_first_of_period"),
    ]

    operations = [
        # One ALTER TABLE on both databases, the CHECK with the column: Django's
        # AddField and AddConstraint would rebuild the table on SQLite, which the
        # tallies' triggers on it forbid (register/tallies.py; as in 0006).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name="partner", name="iati_ref", field=field()),
                migrations.AddConstraint(
                    model_name="partner",
                    constraint=models.CheckConstraint(
                        condition=models.Q(*(models.Q(("iati_ref__contains", c), _negated=True) for c in FORBIDDEN)),
                        name="partner_iati_ref_characters",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE partners_partner ADD COLUMN iati_ref varchar(100) NOT NULL DEFAULT '' "
                    f"CONSTRAINT partner_iati_ref_characters CHECK ({CHECK})",
                    "ALTER TABLE partners_partner DROP COLUMN iati_ref",
                ),
            ],
        ),
        migrations.AddField(model_name="historicalpartner", name="iati_ref", field=field()),
    ]
