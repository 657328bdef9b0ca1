"""International conferences from a spreadsheet: the columns of conferences/columns.py, so that the
list's export, edited in Excel, comes back column for column (register/imports.py). A row with a
record number updates that conference; a new row like a conference already in the register (the same
title, accents and case aside) waits for the clerk's "import anyway" (register/import_duplicates.py)."""

from conferences.columns import COLUMNS
from conferences.models import Conference
from register.imports import ColumnResource


class ConferenceResource(ColumnResource):
    columns = COLUMNS
    select_related = ("organiser",)
    prefetch_related = ("partners",)
    bulk_new = True

    class Meta:
        model = Conference
