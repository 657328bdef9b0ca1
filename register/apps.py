from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = _("Register administration")

    def ready(self):
        from django.contrib import admin

        from common.admin_lookups import strict_lookups_everywhere
        from common.db_watchdog import watch_connection
        from common.sqlite_backend.base import analyze_after_migrate
        from register import checks  # noqa: F401 - registers the deployment checks
        from register.index_comments import comment_indexes
        from register.roles import sync_roles
        from register.search_sql import repair

        # Every admin (auth's and django-axes' too, registered by the time apps are
        # ready) takes from a change list's query string only what its filters write.
        strict_lookups_everywhere(admin.site)

        # Connected to this app, which migrates after contrib; sync_roles
        # creates any permission that is still missing before using it.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="register.sync_roles")
        # Every index says in PostgreSQL which query it serves (index_comments.py).
        post_migrate.connect(comment_indexes, sender=self, dispatch_uid="register.comment_indexes")
        # SQLite's search index keeps its triggers through a table rebuild (search_sql.py).
        post_migrate.connect(repair, sender=self, dispatch_uid="register.repair_search_index")
        # SQLite's query planner gets statistics on a database that has none (common/sqlite_backend).
        post_migrate.connect(analyze_after_migrate, sender=self, dispatch_uid="register.analyze_after_migrate")
        # A statement stuck on a hung database is cut within seconds (common/db_watchdog.py).
        connection_created.connect(watch_connection, dispatch_uid="register.watch_connection")


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes under a name the admin index shows in the user's language
    (its own config has none, so the index said "Axes")."""

    verbose_name = _("Login attempts")
