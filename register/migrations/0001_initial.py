"""The review transitions, the sightings of an undeclared proxy, the import jobs and
the saved import mappings, moved here from the site package (lang_son_affairs
0001-0009 created them). Their rows stay: on an existing database the tables are
renamed (lang_son_affairs_reviewtransition -> register_reviewtransition, ...), on a
fresh one lang_son_affairs' migrations create them first and this renames them the
same way. Their content types follow (so permissions, review_records among them,
and the admin's log entries stay attached); lang_son_affairs 0010 drops the models
from its state."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import register.models
from django.conf import settings
from django.db import migrations, models


MODELS = ["reviewtransition", "proxysighting", "importjob", "sheetmapping"]


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


def move_content_types(apps, schema_editor):
    relabel(apps, schema_editor, "lang_son_affairs", "register", MODELS)


def move_content_types_back(apps, schema_editor):
    relabel(apps, schema_editor, "register", "lang_son_affairs", MODELS)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('lang_son_affairs', '0009_staffprofile_province'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ProxySighting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seen_at', models.DateTimeField(auto_now=True, verbose_name='seen at')),
                        ('remote_addr', models.CharField(blank=True, max_length=100, verbose_name='address of the proxy')),
                        ('forwarded_for', models.CharField(blank=True, max_length=300, verbose_name='X-Forwarded-For header')),
                    ],
                    options={
                        'db_table': 'lang_son_affairs_proxysighting',
                        'verbose_name': 'request through an undeclared proxy',
                        'verbose_name_plural': 'requests through an undeclared proxy',
                    },
                ),
                migrations.CreateModel(
                    name='ImportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('model', models.CharField(help_text='app_label.model_name', max_length=100, verbose_name='kind of record')),
                        ('resource', models.PositiveSmallIntegerField(default=0, verbose_name='what the file holds')),
                        ('file', models.FileField(max_length=200, upload_to=register.models.import_file_path, verbose_name='file')),
                        ('file_name', models.CharField(max_length=255, verbose_name='file name')),
                        ('file_kind', models.CharField(max_length=4, verbose_name='format')),
                        ('language', models.CharField(default='vi', max_length=10, verbose_name='language')),
                        ('step', models.CharField(choices=[('preview', 'Preview'), ('save', 'Save')], default='preview', max_length=8, verbose_name='step')),
                        ('status', models.CharField(choices=[('queued', 'Waiting for the worker'), ('running', 'Running'), ('done', 'Finished'), ('failed', 'Stopped')], default='queued', max_length=8, verbose_name='status')),
                        ('total_rows', models.PositiveIntegerField(default=0, verbose_name='rows')),
                        ('done_rows', models.PositiveIntegerField(default=0, verbose_name='rows done')),
                        ('saved_rows', models.PositiveIntegerField(default=0, verbose_name='rows saved')),
                        ('result', models.JSONField(blank=True, default=dict, verbose_name='result')),
                        ('message', models.TextField(blank=True, verbose_name='message')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='import_jobs', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                    ],
                    options={
                        'db_table': 'lang_son_affairs_importjob',
                        'verbose_name': 'import job',
                        'verbose_name_plural': 'import jobs',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['status', 'created_at'], name='importjob_queue_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('step__in', ['preview', 'save'])), name='importjob_step_valid'), models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'running', 'done', 'failed'])), name='importjob_status_valid'), models.CheckConstraint(condition=models.Q(('saved_rows__lte', models.F('total_rows'))), name='importjob_saved_le_total')],
                    },
                ),
                migrations.CreateModel(
                    name='ReviewTransition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('object_id', models.PositiveBigIntegerField(verbose_name='record number')),
                        ('action', models.CharField(choices=[('submit', 'Submitted for review'), ('approve', 'Approved'), ('publish', 'Published'), ('unpublish', 'Unpublished'), ('return', 'Returned to draft')], max_length=10, verbose_name='action')),
                        ('from_state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('approved', 'Approved')], max_length=12, verbose_name='from')),
                        ('to_state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('approved', 'Approved')], max_length=12, verbose_name='to')),
                        ('published', models.BooleanField(verbose_name='published afterwards')),
                        ('reason', models.TextField(blank=True, max_length=1000, verbose_name='reason')),
                        ('at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype', verbose_name='kind of record')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_transitions', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                    ],
                    options={
                        'db_table': 'lang_son_affairs_reviewtransition',
                        'verbose_name': 'review transition',
                        'verbose_name_plural': 'review transitions',
                        'ordering': ['-at', '-pk'],
                        'permissions': [('review_records', 'Can approve, publish, unpublish and return records to draft')],
                        'indexes': [models.Index(fields=['content_type', 'object_id', '-at'], name='reviewtransition_record_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('action__in', ['submit', 'approve', 'publish', 'unpublish', 'return'])), name='transition_action_valid'), models.CheckConstraint(condition=models.Q(models.Q(('action', 'return'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='transition_return_has_reason'), models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('reason'), 1000), name='transition_reason_length')],
                    },
                ),
                migrations.CreateModel(
                    name='SheetMapping',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('kind', models.CharField(max_length=20, verbose_name='kind of record')),
                        ('signature', models.TextField(help_text="The file's headings, folded, in order.", verbose_name='headings')),
                        ('columns', models.JSONField(default=dict, help_text='Heading (folded) → field.', verbose_name='columns')),
                        ('values', models.JSONField(blank=True, default=dict, verbose_name='values')),
                        ('defaults', models.JSONField(blank=True, default=dict, verbose_name='defaults')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                    ],
                    options={
                        'db_table': 'lang_son_affairs_sheetmapping',
                        'verbose_name': 'saved import mapping',
                        'verbose_name_plural': 'saved import mappings',
                        'ordering': ['kind', 'name'],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'name'), name='sheetmapping_name_unique')],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='proxysighting', table=None),
        migrations.AlterModelTable(name='importjob', table=None),
        migrations.AlterModelTable(name='reviewtransition', table=None),
        migrations.AlterModelTable(name='sheetmapping', table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
