"""Which province a user acts for (docs/PROVINCES.md, "one choke point per layer").

- A national user (a superuser, or a member of the "national" group: the
  Ministry) acts for no one province: ``office_of`` gives None, meaning
  "every province".
- Anyone else acts for the province of their staff profile
  (``StaffProfile.province``);
- or, without one, for the database's only office, as an install with one
  office has always behaved;
- or, on a database of several offices (or none), for no province: None.

Callers tell "every province" from "no province" with ``is_national``."""

from lang_son_affairs.roles import NATIONAL
from offices.profile import only_office, profile_for


def is_national(user):
    """Superusers and the national group's members read every province."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Cached on the user object: a request asks more than once.
    if not hasattr(user, "_is_national"):
        user._is_national = user.groups.filter(name=NATIONAL).exists()
    return user._is_national


def office_of(user):
    """The OfficeProfile the user works for, or None (national, or no office to say)."""
    if is_national(user):
        return None
    profile = getattr(user, "staff_profile", None) if getattr(user, "is_authenticated", False) else None
    if profile is not None and profile.province_id:
        return profile_for(profile.province_id)
    return only_office()
