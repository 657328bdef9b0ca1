"""The roles, as auth groups, kept in step with the models on every migrate.

- staff: record data (add, change, view; no delete) in every register app,
  and submit drafts for review; a staff profile may limit them to one unit;
- approver: what staff does, plus delete, and the review: approve, publish,
  unpublish, return to draft; a staff profile limits them as it limits staff;
- official: read everything (view permissions), outside and inside the admin;
- national: the Ministry's users, who read every province (view permissions,
  as officials have); offices.scope.office_of() gives them no province, and
  so do superusers;
- administrator: every permission of the register, of the review, of staff
  profiles, of user accounts and of the office profile (offices/); sets each
  user's unit limit on the user's admin page (register/admin.py).

- passport custodian: the official passports the department keeps
  (passports/): the passports, their hand-outs and returns, and their
  numbers (PASSPORT_NUMBER), which are personal data: besides the custodian
  only administrators read them. Staff and approvers see a passport's holder,
  kind, expiry and whether it is out (they plan the trips), never its number;
  officials and national users see no passport. The log of who viewed a
  passport is the administrators' alone.

The groups are created by a data migration (lang_son_affairs 0002) and kept
in step after every later migrate, when new models bring new permissions.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db.models import Q

RECORD_APPS = ("partners", "sources", "delegations", "agreements", "projects", "conferences")
# Models outside the record apps that the roles work on as on a record: the issued reports
# (reports/issued/), drafted by staff, issued by who reviews (register.review_records).
ROLE_MODELS = (("reports", "periodicreport"), ("planning", "annualplan"), ("planning", "planline"))
# Models only administrators work on (and superusers): the office's rules on delegations.
ADMINISTRATOR_MODELS = (("planning", "delegationrules"), ("planning", "sizelimit"))

REVIEWERS = {"approver", "administrator"}
# The group whose users read every province (offices/scope.py).
NATIONAL = "national"
# The permission that makes a user national (offices.scope.is_national).
EVERY_PROVINCE = "read_every_province"

ROLES = {
    "staff": {"add", "change", "view"},
    "approver": {"add", "change", "delete", "view"},
    "official": {"view"},
    "national": {"view"},
    "administrator": {"add", "change", "delete", "view"},
    "passport custodian": set(),
}

# The passports (passports/): each role's actions on a passport and its hand-outs (see above).
PASSPORT_CUSTODIAN = "passport custodian"
PASSPORT_NUMBER = "view_passport_number"
PASSPORT_MODELS = ("passport", "passportloan")
PASSPORT_ACTIONS = {
    "staff": {"view"},
    "approver": {"view"},
    "administrator": {"add", "change", "delete", "view", "number", "log"},
    PASSPORT_CUSTODIAN: {"add", "change", "delete", "view", "number"},
}


def passport_permissions(Permission, role):
    """The passports app's permissions of ``role`` (PASSPORT_ACTIONS)."""
    actions = PASSPORT_ACTIONS.get(role, set())
    perms = Permission.objects.filter(content_type__app_label="passports")
    codenames = [f"{action}_{model}" for action in actions for model in PASSPORT_MODELS]
    if "number" in actions:
        codenames.append(PASSPORT_NUMBER)
    if "log" in actions:
        codenames.append("view_passportviewlog")
    found = list(perms.filter(codename__in=codenames))
    if role == PASSPORT_CUSTODIAN:
        # The hand-out form picks the trip (an autocomplete of the delegations, which needs their view).
        found += list(Permission.objects.filter(content_type__app_label="delegations", codename="view_delegation"))
    return found


def ensure_groups(apps=global_apps, verbosity=0):
    """Create or refresh the groups of ROLES. Idempotent."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, apps=global_apps)
    worked_on = Q(content_type__app_label__in=RECORD_APPS)
    for app_label, model in ROLE_MODELS:
        worked_on |= Q(content_type__app_label=app_label, content_type__model=model)
    record_perms = list(Permission.objects.filter(worked_on).select_related("content_type"))
    for name, actions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [p for p in record_perms if p.codename.split("_", 1)[0] in actions]
        if name in REVIEWERS:
            wanted += list(Permission.objects.filter(content_type__app_label="register", codename="review_records"))
        every_province = Permission.objects.filter(content_type__app_label="offices", codename=EVERY_PROVINCE)
        if name == NATIONAL:
            wanted += list(every_province)
        if name == "administrator":
            wanted += list(Permission.objects.filter(content_type__app_label="auth"))
            wanted += list(Permission.objects.filter(content_type__app_label="register"))
            for app_label, model in ADMINISTRATOR_MODELS:
                wanted += list(Permission.objects.filter(content_type__app_label=app_label, content_type__model=model))
            # A province's administrator runs its office, not every province's.
            wanted += list(
                Permission.objects.filter(content_type__app_label="offices").exclude(codename=EVERY_PROVINCE)
            )
        wanted += passport_permissions(Permission, name)
        group.permissions.set(set(wanted))
    if verbosity:
        print(f"Roles: {', '.join(ROLES)} refreshed.")


def sync_roles(sender, **kwargs):
    ensure_groups(verbosity=kwargs.get("verbosity", 0) > 1)
