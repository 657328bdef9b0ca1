from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Plans and rules of delegations")

    def ready(self):
        # The approver reads a delegation's rule warnings on its form and its review page.
        from planning.rules import warnings_for
        from register.review_admin import register_record_warnings

        register_record_warnings("delegations.delegation", warnings_for)
