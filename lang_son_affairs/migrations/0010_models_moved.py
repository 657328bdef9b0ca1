"""The models of this app moved (docs/PROVINCES.md, step 8): the review transitions,
proxy sightings, import jobs and saved import mappings to register (its 0001), the
staff profile to offices (its 0004). Those migrations renamed the tables and kept
the rows; this one only drops the models from this app's state, leaving the site
package an app with no models."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lang_son_affairs", "0009_staffprofile_province"),
        ("register", "0001_initial"),
        ("offices", "0004_staffprofile"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReviewTransition"),
                migrations.DeleteModel(name="ProxySighting"),
                migrations.DeleteModel(name="ImportJob"),
                migrations.DeleteModel(name="SheetMapping"),
                migrations.DeleteModel(name="StaffProfile"),
            ]
        ),
    ]
