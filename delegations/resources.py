"""Delegations from a spreadsheet: the columns of delegations/columns.py."""

from delegations.columns import COLUMNS
from delegations.models import Delegation
from lang_son_affairs.lib.imports import ColumnResource


class DelegationResource(ColumnResource):
    columns = COLUMNS
    select_related = ("host_unit", "mechanism")
    prefetch_related = ("partners",)
    bulk_new = True

    class Meta:
        model = Delegation
