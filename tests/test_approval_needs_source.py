"""A record is approved only once it cites at least one source: the review page
says what is missing and shows "Approve" disabled, a forged POST and the list
actions (one record or many) are refused with the same words, and nothing
changes on a refused record. A deployment may turn the rule off
(REVIEW_REQUIRES_SOURCE)."""

import pytest
from django.urls import reverse

from delegations.models import Delegation, Direction
from partners.models import Partner
from register import review
from register.models import ReviewTransition
from register.publishable import ReviewState
from tests.conftest import cite

MISSING = "Chưa thể phê duyệt: bản ghi chưa trích dẫn nguồn nào. Thêm ít nhất một nguồn."


@pytest.fixture
def uncited(db):
    return Delegation.objects.create(
        direction=Direction.OUTBOUND, title="Đoàn chưa có nguồn", review_state=ReviewState.SUBMITTED
    )


@pytest.fixture
def cited(db):
    record = Delegation.objects.create(
        direction=Direction.INBOUND, title="Đoàn có nguồn", review_state=ReviewState.SUBMITTED
    )
    cite(record)
    return record


def review_page(record):
    return reverse("admin:delegations_delegation_review", args=[record.pk])


def list_action(client, action, records):
    url = reverse("admin:delegations_delegation_changelist")
    return client.post(url, {"action": action, "_selected_action": [r.pk for r in records]}, follow=True)


def unchanged(record):
    """Still submitted and hidden, with no transition and no new audit row."""
    versions = record.history.count()
    record.refresh_from_db()
    return (
        record.review_state == ReviewState.SUBMITTED
        and not record.is_public
        and not ReviewTransition.objects.filter(object_id=record.pk).exists()
        and record.history.count() == versions
    )


def test_the_review_page_says_a_source_is_missing_and_refuses_the_approval(client, approver, uncited):
    client.force_login(approver)
    page = client.get(review_page(uncited))
    assert MISSING in page.text
    assert 'value="approve" class="button" disabled' in page.text  # the button is there, disabled
    assert 'value="return"' in page.text  # returning to draft stays possible

    response = client.post(review_page(uncited), {"action": "approve"}, follow=True)
    assert MISSING in [str(m) for m in response.context["messages"]]
    assert unchanged(uncited)


def test_the_change_form_tells_the_approver_a_source_is_missing(client, approver, uncited):
    client.force_login(approver)
    page = client.get(reverse("admin:delegations_delegation_change", args=[uncited.pk]))
    assert MISSING in page.text


def test_approving_from_the_list_refuses_the_uncited_record_and_approves_the_cited_one(
    client, approver, uncited, cited
):
    client.force_login(approver)
    response = list_action(client, "approve_and_publish", [uncited, cited])
    said = " ".join(str(m) for m in response.context["messages"])
    assert f"“{uncited}”: {MISSING}" in said and "Đã cập nhật 1 hồ sơ" in said
    assert unchanged(uncited)
    cited.refresh_from_db()
    assert (cited.review_state, cited.is_public) == (ReviewState.APPROVED, True)

    response = list_action(client, "approve", [uncited])
    assert MISSING in " ".join(str(m) for m in response.context["messages"])
    assert unchanged(uncited)


def test_a_partner_needs_a_source_too_but_a_source_does_not(approver, db):
    partner = Partner.objects.create(name="Huyện Ninh Minh", kind="county", review_state=ReviewState.SUBMITTED)
    with pytest.raises(review.ReviewError, match="chưa trích dẫn nguồn"):
        review.apply(partner, "approve", approver)
    source = cite(partner)
    source.review_state = ReviewState.SUBMITTED
    source.save()
    review.apply(partner, "approve", approver)
    review.apply(source, "approve", approver)  # a source is what the others cite
    assert {type(r).objects.get(pk=r.pk).review_state for r in (partner, source)} == {ReviewState.APPROVED}


def test_with_the_rule_turned_off_a_record_without_source_is_approved(client, approver, uncited, settings):
    settings.REVIEW_REQUIRES_SOURCE = False
    client.force_login(approver)
    page = client.get(review_page(uncited))
    assert MISSING not in page.text and "disabled" not in page.text
    client.post(review_page(uncited), {"action": "approve"})
    uncited.refresh_from_db()
    assert uncited.review_state == ReviewState.APPROVED


@pytest.mark.parametrize(("value", "expected"), [(None, "True"), ("0", "False"), ("1", "True")])
def test_the_rule_is_on_unless_the_deployment_turns_it_off(value, expected):
    """Read from the environment as the deployed settings read it (a fresh interpreter)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lang_son_affairs.settings", "DJANGO_DEBUG": "1"}
    env.pop("DJANGO_REVIEW_REQUIRES_SOURCE", None)
    if value is not None:
        env["DJANGO_REVIEW_REQUIRES_SOURCE"] = value
    code = "from django.conf import settings; print(settings.REVIEW_REQUIRES_SOURCE)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == expected
