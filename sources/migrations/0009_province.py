"""Sources and reported figures belong to a province (docs/PROVINCES.md, step 2):
the column is added, given the code of the database's office, and made
required (offices/migrating.py)."""

from django.db import migrations

from offices import migrating


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0008_partial_dates_first_of_period"),
        ("offices", "0002_one_office_per_province"),
    ]

    operations = [
        *migrating.add_column("source"),
        *migrating.add_column("reportedfigure"),
        migrating.fill("sources", "Source", "ReportedFigure"),
        *migrating.make_required("source"),
        *migrating.make_required("reportedfigure"),
    ]
