"""Delegations from a spreadsheet: the columns of delegations/columns.py."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from delegations.columns import COLUMNS
from delegations.models import Delegation, DelegationMember
from lang_son_affairs.lib.imports import ColumnResource


class DelegationResource(ColumnResource):
    columns = COLUMNS
    select_related = ("host_unit", "mechanism")
    prefetch_related = ("partners",)
    bulk_new = True

    class Meta:
        model = Delegation

    def get_queryset(self):
        members = (
            DelegationMember.objects.filter(delegation=OuterRef("pk"))
            .order_by()
            .values("delegation")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset().annotate(named_members=Coalesce(Subquery(members), 0))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """As the admin: a size given for a record already in the register is no
        smaller than its members (the people known by name), and a blank size
        stays blank (unknown), never counted from them. The count of members
        comes with the records the import loads (get_queryset): no query per row."""
        errors = dict(import_validation_errors or {})
        if instance.pk and instance.size is not None:
            named = getattr(instance, "named_members", None)
            if named is None:
                named = DelegationMember.objects.filter(delegation_id=instance.pk).count()
            if named > instance.size and "size" not in errors:
                errors["size"] = ngettext(
                    "%(count)d person is named but the number of persons is %(size)d. "
                    "Correct the number, or leave it blank if the source does not say.",
                    "%(count)d persons are named but the number of persons is %(size)d. "
                    "Correct the number, or leave it blank if the source does not say.",
                    named,
                ) % {"count": named, "size": instance.size}
        super().validate_instance(instance, errors, validate_unique)
