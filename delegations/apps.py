from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationsConfig(AppConfig):
    name = "delegations"
    verbose_name = _("Delegations")

    def ready(self):
        from delegations.stage_fields import FILES_FOLDER
        from register.media import register_owner

        register_owner(FILES_FOLDER, internal_file_readable)


def internal_file_readable(user, name):
    """A delegation's decision, reception plan and result report are internal papers: seen by the signed-in
    users who may read delegations in the admin (staff, approvers, officials) of the record's province only,
    published or not; never by a visitor."""
    from django.db.models import Q

    from delegations.models import Delegation
    from offices.scope import records_of
    from register.publishable import signed_in

    if not signed_in(user) or not user.has_perm("delegations.view_delegation"):
        return False
    holding = Q(decision_file=name) | Q(report_file=name) | Q(reception_plan_file=name)
    return records_of(Delegation.objects.filter(holding), user).exists()
