"""A partner's columns in exports and imports (see common/tabular.py)."""

from django.utils.translation import gettext_lazy as _

from common.tabular import columns_for
from partners.models import Partner
from register.history import version_column

COLUMNS = columns_for(
    Partner,
    ["id", "name", "name_en", "name_native", "aliases", "kind", "country", "parent", "latitude", "longitude", "notes"],
    headers={"id": _("Record number")},
) + [version_column(Partner)]
