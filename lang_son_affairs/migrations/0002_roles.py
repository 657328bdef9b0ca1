"""The four roles as groups with their permissions (see register/roles.py).

A later migrate keeps them in step (post_migrate), because models added after
this migration bring permissions that must join the groups too."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from register.roles import ensure_groups

    ensure_groups()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("lang_son_affairs", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
