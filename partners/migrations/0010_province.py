"""Local units and cooperation mechanisms belong to a province, and a partner
says which province's staff entered it (docs/PROVINCES.md, step 2). The units'
and mechanisms' column is added, given the code of the database's office, and
made required (offices/migrating.py); a partner's ``created_in`` stays blank
for the partners already here, which are shared by every province."""

import django.db.models.deletion
from django.db import migrations, models

from offices import migrating


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0009_partner_iati_ref"),
        ("offices", "0002_one_office_per_province"),
    ]

    operations = [
        *migrating.add_column("localunit"),
        *migrating.add_column("cooperationmechanism"),
        migrating.fill("partners", "LocalUnit", "CooperationMechanism"),
        *migrating.make_required("localunit"),
        *migrating.make_required("cooperationmechanism"),
        migrations.AddField(
            model_name="partner",
            name="created_in",
            field=models.ForeignKey(
                blank=True,
                db_column="created_in",
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="offices.officeprofile",
                to_field="province_code",
                verbose_name="entered by the office of",
            ),
        ),
        migrations.AddField(
            model_name="historicalpartner",
            name="created_in",
            field=models.ForeignKey(
                blank=True,
                db_column="created_in",
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="offices.officeprofile",
                to_field="province_code",
                verbose_name="entered by the office of",
            ),
        ),
    ]
