"""The staff profile (the province a user works for, and a unit limit) moved here
from the site package (lang_son_affairs 0001 and 0009 made it): its table is renamed
lang_son_affairs_staffprofile -> offices_staffprofile with its rows, and its
content type follows, with the permissions and the admin's log entries."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def relabel(apps, schema_editor, old, new, models):
    """The models' content types to their new app label, with their permissions and
    the admin's log entries. On a fresh database there is none yet (post_migrate
    makes them under the new label)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")
    for model in models:
        moved = ContentType.objects.filter(app_label=old, model=model).first()
        if moved is None:
            continue
        # One made already under the new label (after migrating back and forth) gives way
        # to the old one; deleted by hand, not by the ORM, whose cascade would look for
        # the model's rows in a table this migration has just renamed.
        for made in ContentType.objects.filter(app_label=new, model=model):
            Permission.objects.filter(content_type=made).delete()
            LogEntry.objects.filter(content_type=made).delete()
            schema_editor.execute(f"DELETE FROM {ContentType._meta.db_table} WHERE id = %s", [made.pk])
        moved.app_label = new
        moved.save(update_fields=["app_label"])


def move_content_type(apps, schema_editor):
    relabel(apps, schema_editor, "lang_son_affairs", "offices", ["staffprofile"])


def move_content_type_back(apps, schema_editor):
    relabel(apps, schema_editor, "offices", "lang_son_affairs", ["staffprofile"])


class Migration(migrations.Migration):

    dependencies = [
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('contenttypes', '0002_remove_content_type_name'),
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
