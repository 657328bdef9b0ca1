from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "offices"
    verbose_name = _("Office")

    def ready(self):
        from offices.models import OfficeProfile
        from offices.profile import forget_profile

        # Pages read the profile from the cache (offices/profile.py): a saved profile replaces it.
        post_save.connect(forget_profile, sender=OfficeProfile, dispatch_uid="offices.forget_profile_saved")
        post_delete.connect(forget_profile, sender=OfficeProfile, dispatch_uid="offices.forget_profile_deleted")
