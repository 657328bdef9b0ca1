from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from register import media
        from reports.issued.selectors import may_see_file

        # An issued report's files are seen where its page is (reports/issued/views.py).
        media.register_owner("issued", may_see_file)
