from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def install_conversion(sender, using, **kwargs):
    """After every migrate: the đồng-value triggers with today's maximum rate age
    (settings.EXCHANGE_RATE_MAX_AGE_DAYS), and the rows that setting changes re-derived."""
    from django.conf import settings
    from django.db import connections, transaction

    from projects import conversion_sql

    connection = connections[using]
    age = settings.EXCHANGE_RATE_MAX_AGE_DAYS
    statements = conversion_sql.install_statements(connection.vendor, age)
    statements += conversion_sql.rederive_statements(connection.vendor, age)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("ODA, FDI and NGO projects")

    def ready(self):
        post_migrate.connect(install_conversion, sender=self, dispatch_uid="projects.install_conversion")
