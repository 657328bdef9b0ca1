"""The audit trail: every change kept with who, when and each field from what
to what, shown in the admin and on the record's page to signed-in users; a
deleted record restored from its history with its members and partners; a
stale form refused with what changed, never silently overwriting; and a save
that fails halfway through its inlines leaves nothing behind."""

import pytest
from django.test import Client
from django.urls import reverse

from delegations.models import Delegation, DelegationMember, Direction
from lang_son_affairs.lib import history
from lang_son_affairs.lib.models import ReviewState
from partners.models import Partner, PartnerKind
from tests.test_admin import delegation_post, management_form


@pytest.fixture
def delegation(db):
    partner = Partner.objects.create(name="Bằng Tường", kind=PartnerKind.COUNTY, country="CN")
    record = Delegation.objects.create(direction=Direction.OUTBOUND, title="Đoàn đi Bằng Tường", size=5)
    record.partners.add(partner)
    DelegationMember.objects.create(delegation=record, name="Hoàng Văn A", is_leader=True)
    return record


def change_page(record):
    return reverse("admin:delegations_delegation_change", args=[record.pk])


def edit(client, record, version, **fields):
    values = {
        "title": record.title,
        "direction": record.direction,
        "size": str(record.size or ""),
        "partners": [p.pk for p in record.partners.all()],
    }
    data = delegation_post(**{**values, "_version": str(version), **fields})
    data.update(management_form("members"))
    return client.post(change_page(record), data)


def test_a_change_through_the_admin_is_kept_with_who_and_each_field(staff_client, staff, delegation):
    opened = history.version(delegation)
    response = edit(staff_client, delegation, opened, size="7")
    assert response.status_code == 302
    newest = history.changes(delegation)[0]
    assert newest.who == staff
    assert ("Số người", "5", "7") in newest.fields


def test_the_admin_history_page_and_the_record_page_show_the_changes(client, staff_client, official_client, delegation):
    edit(staff_client, delegation, history.version(delegation), size="9")
    admin_page = staff_client.get(reverse("admin:delegations_delegation_history", args=[delegation.pk]))
    assert admin_page.status_code == 200
    assert "Số người" in admin_page.text and "5 → 9" in admin_page.text
    page = official_client.get(f"/delegations/{delegation.pk}/")
    assert "Lịch sử thay đổi" in page.text and "5 → 9" in page.text
    Delegation.objects.filter(pk=delegation.pk).update(review_state=ReviewState.APPROVED, is_public=True)
    public = Client().get(f"/delegations/{delegation.pk}/")
    assert public.status_code == 200 and "Lịch sử thay đổi" not in public.text  # visitors don't see who edited


def test_a_stale_form_is_refused_with_what_changed_and_nothing_is_overwritten(
    client, staff_client, approver, delegation
):
    opened = history.version(delegation)  # both people open the form now
    client.force_login(approver)
    assert edit(client, delegation, opened, size="12").status_code == 302
    late = edit(staff_client, delegation, opened, size="6", title="Tiêu đề của người sửa sau")
    assert late.status_code == 200
    assert "Người khác (approver) đã lưu hồ sơ này sau khi bạn mở nó" in late.text
    assert "Số người: 5 → 12" in late.text
    delegation.refresh_from_db()
    assert (delegation.size, delegation.title) == (12, "Đoàn đi Bằng Tường")


def test_a_form_opened_after_the_change_saves(staff_client, approver, client, delegation):
    client.force_login(approver)
    edit(client, delegation, history.version(delegation), size="12")
    delegation.refresh_from_db()
    assert edit(staff_client, delegation, history.version(delegation), size="13").status_code == 302


def test_a_deleted_delegation_is_restored_with_its_members_and_partners(client, approver, delegation):
    client.force_login(approver)
    pk, partner = delegation.pk, delegation.partners.get()
    delete = client.post(reverse("admin:delegations_delegation_delete", args=[pk]), {"post": "yes"})
    assert delete.status_code == 302 and not Delegation.objects.filter(pk=pk).exists()
    listing = client.get(reverse("admin:delegations_delegation_deleted"))
    assert "Đoàn đi Bằng Tường" in listing.text
    response = client.post(reverse("admin:delegations_delegation_deleted"), {"restore": pk}, follow=True)
    assert "Đã khôi phục" in response.text
    restored = Delegation.objects.get(pk=pk)
    assert (restored.title, restored.size) == ("Đoàn đi Bằng Tường", 5)
    assert list(restored.partners.all()) == [partner]
    assert list(restored.members.values_list("name", "is_leader")) == [("Hoàng Văn A", True)]
    assert history.changes(restored)[0].who == approver
    assert "Đoàn đi Bằng Tường" not in client.get(reverse("admin:delegations_delegation_deleted")).text


def test_staff_may_list_but_not_restore_deleted_records(staff_client, delegation):
    pk = delegation.pk
    delegation.delete()
    assert staff_client.get(reverse("admin:delegations_delegation_deleted")).status_code == 200
    assert staff_client.post(reverse("admin:delegations_delegation_deleted"), {"restore": pk}).status_code == 403
    assert not Delegation.objects.filter(pk=pk).exists()


def test_a_failure_in_the_middle_of_saving_the_inlines_leaves_no_partial_rows(staff_client, delegation, monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full while saving the members")

    members_before = list(delegation.members.values_list("name", flat=True))
    versions_before = delegation.history.count()
    monkeypatch.setattr(DelegationMember, "save", broken)
    data = delegation_post(
        title="Tiêu đề mới", members=[{"name": "Người mới", "order": "0"}], _version=str(history.version(delegation))
    )
    staff_client.raise_request_exception = False
    response = staff_client.post(change_page(delegation), data)
    assert response.status_code == 500
    delegation.refresh_from_db()
    assert delegation.title == "Đoàn đi Bằng Tường"
    assert list(delegation.members.values_list("name", flat=True)) == members_before
    assert delegation.history.count() == versions_before
