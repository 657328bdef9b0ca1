""" "No more members listed than the delegation's size, when it is known" is kept
by the database as well as by the forms (delegations/members_sql.py): a write
that bypasses the admin and the import is refused on both vendors and saves
nothing, while the admin's one save that lowers the size and removes members
passes. PostgreSQL checks at commit, so these tests commit for real."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from delegations import members_sql
from delegations.models import Delegation, DelegationMember, Direction
from tests.test_admin import CITATION_PREFIX, delegation_post, management_form

pytestmark = pytest.mark.django_db(transaction=True)
MIGRATION = importlib.import_module("delegations.migrations.0015_members_within_size")


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # As in test_admin: DEBUG is off and collectstatic has not run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def delegation(size, named, title="Đoàn Sở Ngoại vụ Quảng Tây"):
    record = Delegation.objects.create(
        title=title, direction=Direction.INBOUND, start_date=dt.date(2024, 5, 2), size=size
    )
    DelegationMember.objects.bulk_create(
        DelegationMember(delegation=record, name=f"Thành viên {i}", is_leader=i == 0, order=i) for i in range(named)
    )
    return record


def refused(write):
    """Run ``write`` in a transaction of its own: the database must refuse it (at
    the write on SQLite, at the commit on PostgreSQL), naming the rule."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        write()
    assert members_sql.RULE in str(caught.value)


def test_members_written_past_the_size_are_refused_and_none_is_saved():
    record = delegation(size=2, named=1)
    refused(
        lambda: DelegationMember.objects.bulk_create(
            [DelegationMember(delegation=record, name="Hoàng Lan"), DelegationMember(delegation=record, name="Lý Minh")]
        )
    )
    assert record.members.count() == 1


def test_a_size_written_below_the_members_is_refused_and_kept():
    record = delegation(size=3, named=3)
    refused(lambda: Delegation.objects.filter(pk=record.pk).update(size=2))
    record.refresh_from_db()
    assert record.size == 3


def test_a_member_moved_into_a_full_delegation_is_refused():
    full = delegation(size=1, named=1)
    other = delegation(size=None, named=2, title="Đoàn chưa rõ số người")
    refused(lambda: DelegationMember.objects.filter(delegation=other, is_leader=False).update(delegation=full))
    assert (full.members.count(), other.members.count()) == (1, 2)


def test_an_unknown_size_takes_any_number_of_members_and_an_equal_size_is_fine():
    unknown = delegation(size=None, named=12)
    equal = delegation(size=4, named=4, title="Đoàn 4 người")
    Delegation.objects.filter(pk=equal.pk).update(size=None)
    Delegation.objects.filter(pk=unknown.pk).update(size=12)
    assert dict(Delegation.objects.values_list("pk", "size")) == {unknown.pk: 12, equal.pk: None}


def change_post(record, size, members, delete=()):
    """The admin change form of ``record`` as posted: ``size``, its ``members``
    kept or ticked for deletion (those in ``delete``)."""
    rows = {}
    for i, member in enumerate(members):
        rows.update(
            {
                f"members-{i}-id": member.pk,
                f"members-{i}-delegation": record.pk,
                f"members-{i}-name": member.name,
                f"members-{i}-order": str(member.order),
            }
        )
        if member.is_leader:
            rows[f"members-{i}-is_leader"] = "on"
        if member in delete:
            rows[f"members-{i}-DELETE"] = "on"
    return delegation_post(
        title=record.title,
        start_date="2024-05-02",
        end_date="",
        size=str(size),
        **{
            **management_form("members", total=len(members), initial=len(members)),
            **management_form(CITATION_PREFIX),
            **rows,
        },
    )


def test_the_admin_lowers_the_size_and_removes_members_in_one_save(client, approver):
    # An approver: staff may not delete (register/roles.py).
    client.force_login(approver)
    record = delegation(size=3, named=3)
    members = list(record.members.order_by("order"))
    url = reverse("admin:delegations_delegation_change", args=[record.pk])

    response = client.post(url, change_post(record, 1, members, delete=members[1:]))

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.size == 1
    assert list(record.members.values_list("name", flat=True)) == [members[0].name]
    # One history row for the save, with the new size; the admin log names the members removed.
    assert record.history.filter(size=1).count() == 1
    assert record.history.order_by("-history_id").first().size == 1
    logged = LogEntry.objects.get(object_id=str(record.pk)).get_change_message()
    assert members[1].name in logged and members[2].name in logged


def test_the_admin_refuses_a_smaller_size_with_every_member_kept_in_words_not_an_error_page(staff_client):
    record = delegation(size=3, named=3)
    members = list(record.members.order_by("order"))
    url = reverse("admin:delegations_delegation_change", args=[record.pk])

    response = staff_client.post(url, change_post(record, 2, members))

    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    record.refresh_from_db()
    assert (record.size, record.members.count()) == (3, 3)


def test_the_migration_clears_a_size_below_its_members_and_says_so_in_the_history():
    broken = delegation(size=None, named=3)
    kept = delegation(size=5, named=3, title="Đoàn 5 người")
    with connection.cursor() as cursor:
        for sql in members_sql.uninstall_statements(connection.vendor):
            cursor.execute(sql)
        cursor.execute("UPDATE delegations_delegation SET size = 2 WHERE id = %s", [broken.pk])
    try:
        MIGRATION.clear_sizes_below_members(apps, None)
    finally:
        with connection.cursor() as cursor:
            for sql in members_sql.install_statements(connection.vendor):
                cursor.execute(sql)
    assert dict(Delegation.objects.values_list("pk", "size")) == {broken.pk: None, kept.pk: 5}
    newest = broken.history.order_by("-history_id").first()
    assert (newest.size, newest.history_change_reason) == (None, MIGRATION.REASON)
    assert broken.members.count() == 3
