"""A user's province (StaffProfile.province) and the national role, whose users read every province
(register/roles.py; the roles' groups are refreshed after every migrate, this creates it at once)."""

import django.db.models.deletion
from django.db import migrations, models


def create_national_role(apps, schema_editor):
    from register.roles import ensure_groups

    ensure_groups()


class Migration(migrations.Migration):
    dependencies = [
        ("lang_son_affairs", "0008_sheet_mappings"),
        ("offices", "0002_one_office_per_province"),
    ]

    operations = [
        migrations.AddField(
            model_name="staffprofile",
            name="province",
            field=models.ForeignKey(
                blank=True,
                db_column="province",
                help_text="The province whose records the user works on. Blank: the database's only office; national users (the national role) read every province.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="staff_profiles",
                to="offices.officeprofile",
                to_field="province_code",
                verbose_name="province",
            ),
        ),
        migrations.RunPython(create_national_role, migrations.RunPython.noop),
    ]
