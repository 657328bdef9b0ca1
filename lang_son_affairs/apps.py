from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LangSonAffairsConfig(AppConfig):
    name = "lang_son_affairs"
    verbose_name = _("Register administration")

    def ready(self):
        from django.contrib import admin

        from common.admin_lookups import strict_lookups_everywhere
        from common.db_watchdog import watch_connection
        from lang_son_affairs import checks  # noqa: F401 - registers the deployment checks
        from lang_son_affairs.index_comments import comment_indexes
        from lang_son_affairs.roles import sync_roles

        # Every admin (auth's and django-axes' too, registered by the time apps are
        # ready) takes from a change list's query string only what its filters write.
        strict_lookups_everywhere(admin.site)

        # Connected to this app, which migrates after contrib; sync_roles
        # creates any permission that is still missing before using it.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="lang_son_affairs.sync_roles")
        # Every index says in PostgreSQL which query it serves (index_comments.py).
        post_migrate.connect(comment_indexes, sender=self, dispatch_uid="lang_son_affairs.comment_indexes")
        # A statement stuck on a hung database is cut within seconds (common/db_watchdog.py).
        connection_created.connect(watch_connection, dispatch_uid="lang_son_affairs.watch_connection")


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes under a name the admin index shows in the user's language
    (its own config has none, so the index said "Axes")."""

    verbose_name = _("Login attempts")
