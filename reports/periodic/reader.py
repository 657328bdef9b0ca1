"""Who reads the register for a periodic report: the province's office itself.

The report is made for one province whatever the user who asks (a clerk
drafting it, the approver issuing it, a command): it counts that province's
approved records, internal ones included, as an official of the province sees
them. The period report's selectors take a user and narrow by the province a
page shows (offices/site_scope.py); ``province_reader`` gives them a reader
that sees every province's internal rows and the shown province set to the
report's, so the same selectors serve both without a second set of queries."""

import contextlib

from offices.site_scope import SHOWN
from register.roles import EVERY_PROVINCE


class ProvinceReader:
    """A signed-in reader with the national permission and no staff profile: with the
    shown province set it reads that province's rows, internal ones included."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None
    username = "periodic-report"

    def has_perm(self, perm, obj=None):
        return perm == f"offices.{EVERY_PROVINCE}"

    def has_perms(self, perms, obj=None):
        return all(self.has_perm(perm) for perm in perms)

    def __str__(self):
        return self.username


@contextlib.contextmanager
def province_reader(province_code):
    """A ``ProvinceReader`` for the duration of the block, with ``province_code``
    the province every selector narrows to."""
    token = SHOWN.set(province_code)
    try:
        yield ProvinceReader()
    finally:
        SHOWN.reset(token)
