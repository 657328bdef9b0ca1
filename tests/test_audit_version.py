"""The version the exports write (register/versions.py): each exported record keeps
the id of its newest historical row in ``audit_version``, set by a trigger on its
history table, so that it always equals ``history.version()`` — after a save, an
edit, a save from a stale copy, an import's bulk write and a restore, on SQLite and
on PostgreSQL alike."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import Agreement, AgreementKind, Partnership, PartnershipKind
from delegations.models import Delegation, Direction
from partners.models import LocalUnit, LocalUnitKind, Partner, PartnerKind
from projects.models import Project, ProjectKind, Transaction, TransactionKind
from register import history, import_bulk
from register.versions import VersionedModel

pytestmark = pytest.mark.django_db


def kept(record):
    return type(record).objects.values_list("audit_version", flat=True).get(pk=record.pk)


def _partnership():
    unit = LocalUnit.objects.create(name="Huyện Cao Lộc", kind=LocalUnitKind.DISTRICT)
    partner = Partner.objects.create(name="Huyện Ninh Minh", kind=PartnerKind.COUNTY, country="CN")
    return Partnership.objects.create(local_unit=unit, partner=partner, kind=PartnershipKind.DISTRICT_PAIR)


MAKERS = {
    "delegation": lambda: Delegation.objects.create(title="Đoàn thử", direction=Direction.OUTBOUND),
    "agreement": lambda: Agreement.objects.create(title="Bản ghi nhớ", kind=AgreementKind.MOU),
    "partnership": _partnership,
    "project": lambda: Project.objects.create(title="Dự án thử", kind=ProjectKind.ODA),
    "transaction": lambda: Transaction.objects.create(
        project=Project.objects.create(title="Dự án có giải ngân", kind=ProjectKind.ODA),
        kind=TransactionKind.DISBURSEMENT,
        date=dt.date(2020, 1, 2),
        amount=Decimal(1),
    ),
}


def test_every_model_the_exports_version_keeps_its_version():
    exported = {Delegation, Agreement, Partnership, Project, Transaction}
    assert all(issubclass(model, VersionedModel) for model in exported)


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_the_kept_version_follows_every_save_even_one_from_a_stale_copy(kind):
    record = MAKERS[kind]()
    first = history.version(record)
    assert first > 0 and kept(record) == first
    stale = type(record).objects.get(pk=record.pk)
    record.save()
    assert kept(record) == history.version(record) > first
    stale.save()  # writes back the version it read, then its own historical row sets the newest
    assert kept(record) == history.version(record) > first
    assert history.version_expression(type(record)) is not None
    annotated = type(record).objects.annotate(v=history.version_expression(type(record))).get(pk=record.pk)
    assert annotated.v == history.version(record)


def test_a_record_without_history_reads_version_zero():
    record = MAKERS["delegation"]()
    type(record).history.filter(id=record.pk).delete()
    Delegation.objects.filter(pk=record.pk).update(audit_version=None)
    annotated = Delegation.objects.annotate(v=history.version_expression(Delegation)).get(pk=record.pk)
    assert annotated.v == 0 == history.version(record)


def test_an_imports_bulk_write_keeps_the_versions_of_the_records_it_makes(django_user_model):
    user = django_user_model.objects.create(username="clerk-bulk")
    pending = []
    for n in range(3):
        record = Delegation(title=f"Đoàn nhập {n}", direction=Direction.INBOUND)
        import_bulk.prepare(record)
        pending.append((record, {}))
    import_bulk.write(Delegation, pending, user)
    for record, _links in pending:
        assert kept(record) == history.version(record) > 0


def test_a_restored_record_keeps_the_version_of_its_restore(client, approver):
    record = MAKERS["delegation"]()
    client.force_login(approver)
    client.post(reverse("admin:delegations_delegation_delete", args=[record.pk]), {"post": "yes"})
    client.post(reverse("admin:delegations_delegation_deleted"), {"restore": record.pk})
    restored = Delegation.objects.get(pk=record.pk)
    assert kept(restored) == history.version(restored) > 0
