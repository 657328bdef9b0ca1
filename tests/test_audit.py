"""The audit trail: every change kept with who, when and each field from what
to what, shown in the admin and on the record's page to signed-in users; a
deleted record restored from its history with its members and partners; a
stale form refused with what changed, never silently overwriting; and a save
that fails halfway through its inlines leaves nothing behind."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement, AgreementKind, AgreementUpdate, Partnership, PartnershipKind
from common.partial_dates import DatePrecision
from delegations.models import Delegation, DelegationMember, Direction
from partners.models import CooperationMechanism, LocalUnit, LocalUnitKind, Partner, PartnerKind
from projects.models import Project, ProjectKind, Transaction, TransactionKind
from register import history
from register.publishable import ReviewState
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


def test_a_title_change_shows_the_title_and_not_the_sort_key_kept_with_it(delegation):
    delegation.title = "Đoàn đổi tên"
    delegation.save()
    partner = Partner.objects.create(name="Đức", kind=PartnerKind.COUNTRY, country="DE")
    partner.name = "Cộng hòa Liên bang Đức"
    partner.save()
    for record, source in ((delegation, "title"), (partner, "name")):
        labels = [label for label, _old, _new in history.changes(record)[0].fields]
        assert str(type(record)._meta.get_field(source).verbose_name).capitalize() in [str(x) for x in labels]
        assert not any("sort" in str(label) or "sắp xếp" in str(label) for label in labels)


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


def test_a_record_whose_partner_was_deleted_since_is_listed_and_its_restore_says_why_not(client, approver):
    # A twinning pair is named by its unit and its partner; the partner deleted after
    # the pair, the list of deleted pairs named it by a record that no longer exists (500).
    unit = LocalUnit.objects.create(
        name="Huyện Cao Lộc", kind=LocalUnitKind.DISTRICT, review_state=ReviewState.APPROVED
    )
    partner = Partner.objects.create(name="Huyện Ninh Minh", kind=PartnerKind.COUNTY, country="CN")
    pair = Partnership.objects.create(local_unit=unit, partner=partner, kind=PartnershipKind.DISTRICT_PAIR)
    pk, partner_pk = pair.pk, partner.pk
    pair.delete()
    partner.delete()
    client.force_login(approver)
    deleted = reverse("admin:agreements_partnership_deleted")

    listing = client.get(deleted)

    assert listing.status_code == 200
    assert f"số {pk}" in listing.text and "đã bị xóa" in listing.text
    response = client.post(deleted, {"restore": pk}, follow=True)
    assert response.status_code == 200
    assert "Chưa thể khôi phục" in response.text and "Huyện Ninh Minh" not in response.text
    assert not Partnership.objects.filter(pk=pk).exists()
    # Once the partner is back, so is the pair.
    client.post(reverse("admin:partners_partner_deleted"), {"restore": partner_pk})
    client.post(deleted, {"restore": pk})
    assert Partnership.objects.filter(pk=pk, partner_id=partner_pk).exists()


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


# Dates known to the month or the year ----------------------------------------------------------


def fields_of_newest_change(record):
    return {label: (old, new) for label, old, new in history.changes(record)[0].fields}


def test_a_date_known_to_the_month_shows_as_its_month_in_the_history(official_client, delegation):
    delegation.start_date, delegation.date_precision = dt.date(2011, 10, 1), DatePrecision.MONTH
    delegation.save()

    assert fields_of_newest_change(delegation)["Ngày bắt đầu"] == ("—", "tháng 10/2011")
    page = official_client.get(f"/delegations/{delegation.pk}/")
    assert "— → tháng 10/2011" in page.text and "01/10/2011" not in page.text


def test_old_and_new_dates_each_show_to_the_precision_of_their_own_row(delegation):
    delegation.start_date, delegation.end_date = dt.date(2024, 4, 3), dt.date(2024, 4, 5)
    delegation.save()
    # A year-only date is kept as 1 January of its year (common/partial_dates.py).
    delegation.start_date, delegation.end_date = dt.date(2010, 1, 1), dt.date(2010, 1, 1)
    delegation.date_precision = DatePrecision.YEAR
    delegation.save()

    changed = fields_of_newest_change(delegation)

    assert changed["Ngày bắt đầu"] == ("03/04/2024", "năm 2010")
    assert changed["Ngày kết thúc"] == ("05/04/2024", "năm 2010")
    assert changed["Độ chính xác của ngày"] == ("Ngày", "Năm")


def test_a_change_of_precision_alone_names_only_the_precision(delegation):
    delegation.start_date = dt.date(2011, 10, 1)
    delegation.save()
    delegation.date_precision = DatePrecision.MONTH
    delegation.save()

    assert list(fields_of_newest_change(delegation)) == ["Độ chính xác của ngày"]


def _agreement():
    return Agreement.objects.create(title="Bản ghi nhớ", kind=AgreementKind.MOU)


def _project():
    return Project.objects.create(title="Dự án thử", kind=ProjectKind.ODA)


def _partnership():
    unit = LocalUnit.objects.create(name="Huyện Cao Lộc", kind=LocalUnitKind.DISTRICT)
    partner = Partner.objects.create(name="Huyện Ninh Minh", kind=PartnerKind.COUNTY, country="CN")
    return Partnership.objects.create(local_unit=unit, partner=partner, kind=PartnershipKind.DISTRICT_PAIR)


def _update():
    return AgreementUpdate.objects.create(agreement=_agreement(), date=dt.date(2020, 1, 2), note="Triển khai")


def _transaction():
    return Transaction.objects.create(
        project=_project(), kind=TransactionKind.DISBURSEMENT, date=dt.date(2020, 1, 2), amount=Decimal(1)
    )


def _mechanism():
    return CooperationMechanism.objects.create(name="Cơ chế hội đàm")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make, dates, precision",
    [
        (_agreement, ["signed_on"], "date_precision"),
        (_project, ["planned_start", "planned_end", "actual_start", "actual_end"], "date_precision"),
        (_partnership, ["established_on"], "date_precision"),
        (_update, ["date"], "date_precision"),
        (_transaction, ["date"], "date_precision"),
        (_mechanism, ["established_on"], "established_precision"),
    ],
)
def test_every_date_governed_by_a_precision_shows_to_it_in_the_history(make, dates, precision):
    record = make()
    for name in dates:
        setattr(record, name, dt.date(2011, 10, 1))
    setattr(record, precision, DatePrecision.MONTH)
    record.save()

    shown = [new for _label, _old, new in history.changes(record)[0].fields]

    assert shown.count("tháng 10/2011") == len(dates)
    assert "01/10/2011" not in shown
