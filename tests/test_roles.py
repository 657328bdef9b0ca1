"""Each role on each kind of page and admin action: the status it gets, and
the database unchanged wherever it was refused. The seeded records are
approved and published, so staff (who edit drafts only) may read but not
change them."""

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement, Partnership
from delegations.models import Delegation
from partners.models import Partner
from projects.models import Project
from tests.conftest import make_user

MODELS = [Delegation, Agreement, Partnership, Project, Partner]


@pytest.fixture(autouse=True)
def twinning_pair(seeded):
    """The articles name no twinning pair: one approved, published pair."""
    from partners.models import LocalUnit

    return Partnership.objects.create(
        local_unit=LocalUnit.objects.order_by("pk").first(),
        partner=Partner.objects.order_by("pk").first(),
        kind="sister_city",
        review_state="approved",
        is_public=True,
    )


@pytest.fixture
def clients(db, staff, approver):
    def signed_in(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    reader = make_user("reader", "official", is_staff=True)
    return {
        "visitor": signed_in(None),
        "official": signed_in(reader),
        "staff": signed_in(staff),
        "approver": signed_in(approver),
    }


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def row_of(model):
    return model.objects.order_by("pk").first()


def snapshot(model):
    return list(model.objects.order_by("pk").values())


EXPECTED_GET = {
    # role: (changelist, add form, change form)
    "visitor": (302, 302, 302),
    "official": (200, 403, 200),
    "staff": (200, 200, 200),
    "approver": (200, 200, 200),
}


@pytest.mark.parametrize("role", list(EXPECTED_GET))
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_pages_answer_each_role(seeded, clients, role, model):
    client, record = clients[role], row_of(model)
    got = (
        client.get(admin_url(model, "changelist")).status_code,
        client.get(admin_url(model, "add")).status_code,
        client.get(admin_url(model, "change", record.pk)).status_code,
    )
    assert got == EXPECTED_GET[role]


@pytest.mark.parametrize(("role", "status"), [("visitor", 302), ("official", 403), ("staff", 403)])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_forged_change_and_delete_posts_are_refused_and_change_nothing(seeded, clients, role, status, model):
    client, record = clients[role], row_of(model)
    before = snapshot(model)
    if model is not Partner or role != "staff":  # staff may edit partners (not publishable), tested in test_admin
        assert client.post(admin_url(model, "change", record.pk), {"title": "x", "name": "x"}).status_code == status
    assert client.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == status
    assert snapshot(model) == before


@pytest.mark.parametrize("model", [Delegation, Agreement, Project], ids=lambda m: m.__name__)
def test_an_approver_may_delete(seeded, clients, model):
    record = Delegation.objects.create(title="Bản nháp để xoá") if model is Delegation else None
    record = record or row_of(model)
    response = clients["approver"].post(admin_url(model, "delete", record.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("role", ["visitor", "official", "staff", "approver"])
@pytest.mark.parametrize("model", [Delegation, Agreement, Project], ids=lambda m: m.__name__)
def test_an_unpublished_record_is_404_to_visitors_and_shown_to_everyone_signed_in(seeded, clients, role, model):
    record = row_of(model)
    model.objects.filter(pk=record.pk).update(is_public=False)
    status = clients[role].get(record.get_absolute_url()).status_code
    assert status == (404 if role == "visitor" else 200)
    listing = clients[role].get(reverse(f"{model._meta.app_label}:list")).content.decode()
    assert (record.get_absolute_url() in listing) is (role != "visitor")
