"""The staff profile (the province a user works for, and a unit limit) moved here
from the site package (lang_son_affairs 0001 and 0009 made it): its table is renamed
lang_son_affairs_staffprofile -> offices_staffprofile with its rows, and its
content type follows, with the permissions and the admin's log entries."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    moved = ContentType.objects.filter(app_label=old, model="staffprofile").first()
    if moved is None:
        return  # a fresh database: post_migrate creates the new one
    ContentType.objects.filter(app_label=new, model="staffprofile").delete()
    moved.app_label = new
    moved.save(update_fields=["app_label"])


def move_content_type(apps, schema_editor):
    relabel(apps, "lang_son_affairs", "offices")


def move_content_type_back(apps, schema_editor):
    relabel(apps, "offices", "lang_son_affairs")


class Migration(migrations.Migration):

    dependencies = [
        ('lang_son_affairs', '0009_staffprofile_province'),
        ('offices', '0003_every_province'),
        ('partners', '0010_province'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='StaffProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('province', models.ForeignKey(blank=True, db_column='province', help_text="The province whose records the user works on. Blank: the database's only office; national users (the national role) read every province.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='staff_profiles', to='offices.officeprofile', to_field='province_code', verbose_name='province')),
                        ('unit', models.ForeignKey(blank=True, help_text='Blank: the staff member works on the records of every unit.', null=True, on_delete=django.db.models.deletion.PROTECT, to='partners.localunit', verbose_name='limited to the unit')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='staff_profile', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'db_table': 'lang_son_affairs_staffprofile',
                        'verbose_name': 'staff profile',
                        'verbose_name_plural': 'staff profiles',
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='staffprofile', table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
