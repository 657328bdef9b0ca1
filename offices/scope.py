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

from offices.profile import only_office, profile_for
from register.roles import EVERY_PROVINCE


def is_national(user):
    """Superusers and the national role's members read every province."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # The national role's permission: no query of its own, Django keeps the user's permissions
    # for the request once read (an admin page reads them first thing). Superusers have it.
    return user.has_perm(f"offices.{EVERY_PROVINCE}")


def office_of(user):
    """The OfficeProfile the user works for, or None (national, or no office to say)."""
    if is_national(user):
        return None
    profile = getattr(user, "staff_profile", None) if getattr(user, "is_authenticated", False) else None
    if profile is not None and profile.province_id:
        return profile_for(profile.province_id)
    return only_office()


def writing_province(user):
    """The province code of what ``user`` enters (a form, an import): their office's.
    None for a national user, who chooses, and where no office can be said."""
    office = office_of(user)
    return office.province_code if office is not None else None


def has_province(model):
    """Whether ``model``'s rows belong to a province (offices/records.py)."""
    from offices.records import ProvinceRecord

    return issubclass(model, ProvinceRecord)


def records_of(queryset, user, model=None):
    """``queryset`` narrowed to the rows ``user`` may read by province: everything
    for a national user; the rows of the user's province of a model that has one;
    of partners (shared), the shared ones, the approved ones and those the user's
    province entered; of a record's rows with their own numbers (a project's
    transactions: ``PROVINCE_THROUGH`` names the record), those of the
    province's records. No narrowing for models without a province (the sectors),
    and nothing of a province's model when no office can be said for the user.

    ``model``: the record model whose rule applies, when ``queryset`` holds rows
    of another model with the same columns (its audit trail's historical rows,
    register/history.py)."""
    if is_national(user):
        return queryset
    model = model or queryset.model
    office = office_of(user)
    if has_province(model):
        return queryset.filter(province=office.province_code) if office is not None else queryset.none()
    through = getattr(model, "PROVINCE_THROUGH", None)  # a row of a record: its record's province
    if through is not None:
        return (
            queryset.filter(**{f"{through}__province": office.province_code}) if office is not None else queryset.none()
        )
    if hasattr(model, "created_in_id"):
        from django.db.models import Q

        from register.publishable import ReviewState

        shown = Q(created_in__isnull=True) | Q(review_state=ReviewState.APPROVED)
        return queryset.filter(shown | Q(created_in=office.province_code) if office is not None else shown)
    return queryset
