"""The review workflow: staff write drafts and submit them; approvers
approve, publish, unpublish and return records to draft with a reason; each
transition is recorded with who and when; the admin enforces the same rules
on every path (actions, change form, review page, forged POSTs); a staff
member may be limited to the records of their own unit."""

import re

import pytest
from django.urls import reverse

from delegations.models import Delegation, Direction
from offices.models import StaffProfile
from partners.models import LocalUnit, LocalUnitKind
from register.models import ReviewAction, ReviewTransition
from register.publishable import ReviewState
from tests.conftest import cite, make_user
from tests.test_admin import delegation_post


@pytest.fixture
def units(db):
    province = LocalUnit.objects.create(name="Tỉnh Lạng Sơn", kind=LocalUnitKind.PROVINCE)
    return {
        "province": province,
        "cao_loc": LocalUnit.objects.create(name="Huyện Cao Lộc", kind=LocalUnitKind.DISTRICT, parent=province),
        "loc_binh": LocalUnit.objects.create(name="Huyện Lộc Bình", kind=LocalUnitKind.DISTRICT, parent=province),
    }


@pytest.fixture
def draft(units):
    """A draft citing its source, as approving needs (tests/test_approval_needs_source.py tests the refusal)."""
    record = Delegation.objects.create(
        direction=Direction.OUTBOUND, title="Đoàn đi Nam Ninh", host_unit=units["cao_loc"]
    )
    cite(record)
    return record


def state(record):
    record.refresh_from_db()
    return record.review_state, record.is_public


def signed_in(client, user):
    client.force_login(user)
    return client


def action(client, action_name, records, reason=""):
    url = reverse("admin:delegations_delegation_changelist")
    data = {"action": action_name, "_selected_action": [r.pk for r in records], "reason": reason}
    return client.post(url, data, follow=True)


def review_page(record):
    return reverse("admin:delegations_delegation_review", args=[record.pk])


def change_page(record):
    return reverse("admin:delegations_delegation_change", args=[record.pk])


def test_staff_submit_a_draft_and_the_transition_is_recorded(client, staff, draft):
    response = action(signed_in(client, staff), "submit_for_review", [draft])
    assert response.status_code == 200
    assert state(draft) == (ReviewState.SUBMITTED, False)
    transition = ReviewTransition.objects.get()
    assert (transition.action, transition.from_state, transition.to_state) == (
        ReviewAction.SUBMIT,
        ReviewState.DRAFT,
        ReviewState.SUBMITTED,
    )
    assert transition.user == staff and transition.at is not None


def test_staff_cannot_approve_even_with_a_forged_action(client, staff, draft):
    signed_in(client, staff)
    listing = client.get(reverse("admin:delegations_delegation_changelist"))
    assert "submit_for_review" in listing.text and "approve_and_publish" not in listing.text
    action(client, "submit_for_review", [draft])
    action(client, "approve_and_publish", [draft])
    assert state(draft) == (ReviewState.SUBMITTED, False)
    response = client.post(review_page(draft), {"action": "approve"}, follow=True)
    assert state(draft) == (ReviewState.SUBMITTED, False)
    assert "Chỉ người phê duyệt" in response.text
    assert ReviewTransition.objects.count() == 1


def test_an_approver_approves_and_publishes_and_the_visitor_then_sees_it(client, staff, approver, draft):
    action(signed_in(client, staff), "submit_for_review", [draft])
    assert client.get(f"/delegations/{draft.pk}/").status_code == 200  # staff are signed in: they see drafts
    action(signed_in(client, approver), "approve_and_publish", [draft])
    assert state(draft) == (ReviewState.APPROVED, True)
    client.logout()
    assert client.get(f"/delegations/{draft.pk}/").status_code == 200
    actions = list(ReviewTransition.objects.order_by("pk").values_list("action", "user__username"))
    assert actions == [("submit", "staff"), ("approve", "approver"), ("publish", "approver")]


def test_a_draft_cannot_be_approved_before_it_is_submitted(client, approver, draft):
    response = action(signed_in(client, approver), "approve", [draft])
    assert state(draft) == (ReviewState.DRAFT, False)
    assert "Không thay đổi" in response.text


def test_returning_to_draft_needs_a_reason_and_unpublishes(client, approver, draft):
    Delegation.objects.filter(pk=draft.pk).update(review_state=ReviewState.APPROVED, is_public=True)
    signed_in(client, approver)
    response = action(client, "return_to_draft", [draft])
    assert state(draft) == (ReviewState.APPROVED, True)
    assert "lý do" in response.text
    action(client, "return_to_draft", [draft], reason="Sai ngày đi, đề nghị kiểm tra lại.")
    assert state(draft) == (ReviewState.DRAFT, False)
    assert ReviewTransition.objects.get().reason == "Sai ngày đi, đề nghị kiểm tra lại."
    client.logout()
    assert client.get(f"/delegations/{draft.pk}/").status_code == 404


def test_the_review_page_shows_what_the_user_may_do_and_the_history(client, staff, approver, draft):
    signed_in(client, staff)
    page = client.get(review_page(draft))
    assert page.status_code == 200
    assert 'value="submit"' in page.text and 'value="approve"' not in page.text
    client.post(review_page(draft), {"action": "submit"})
    signed_in(client, approver)
    page = client.get(review_page(draft))
    assert 'value="approve"' in page.text and 'value="return"' in page.text
    client.post(review_page(draft), {"action": "approve"})
    assert state(draft) == (ReviewState.APPROVED, False)
    history = client.get(review_page(draft)).text
    assert "staff" in history and "approver" in history


def test_staff_cannot_change_a_submitted_record_even_with_a_forged_post(client, staff, draft):
    signed_in(client, staff)
    action(client, "submit_for_review", [draft])
    page = client.get(change_page(draft))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text  # view only
    response = client.post(change_page(draft), delegation_post(title="Đã sửa lén"))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Đoàn đi Nam Ninh"


def test_a_posted_review_state_is_ignored_by_the_change_form(client, staff, draft):
    signed_in(client, staff)
    data = delegation_post(title="Đoàn đi Nam Ninh (sửa)", review_state=ReviewState.APPROVED, is_public="on")
    response = client.post(change_page(draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Đoàn đi Nam Ninh (sửa)"
    assert (draft.review_state, draft.is_public) == (ReviewState.DRAFT, False)


def test_a_view_only_official_is_refused_every_write(client, draft):
    reader = make_user("reader", "official", is_staff=True)
    signed_in(client, reader)
    assert client.get(change_page(draft)).status_code == 200
    assert client.post(change_page(draft), delegation_post(title="x")).status_code == 403
    delete = reverse("admin:delegations_delegation_delete", args=[draft.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.post(review_page(draft), {"action": "submit"}).status_code == 403
    add = reverse("admin:delegations_delegation_add")
    assert client.post(add, delegation_post(title="Mới")).status_code == 403
    action(client, "submit_for_review", [draft])
    assert state(draft) == (ReviewState.DRAFT, False)
    assert Delegation.objects.count() == 1 and Delegation.objects.get().title == "Đoàn đi Nam Ninh"
    assert not ReviewTransition.objects.exists()


def test_a_staff_member_limited_to_a_unit_sees_and_enters_only_its_records(client, staff, units, draft):
    other = Delegation.objects.create(direction=Direction.INBOUND, title="Đoàn Lộc Bình", host_unit=units["loc_binh"])
    StaffProfile.objects.create(user=staff, unit=units["cao_loc"])
    signed_in(client, staff)
    listing = client.get(reverse("admin:delegations_delegation_changelist"))
    assert "Đoàn đi Nam Ninh" in listing.text and "Đoàn Lộc Bình" not in listing.text
    assert client.get(change_page(other)).status_code == 302  # "does not exist" for them
    response = client.post(change_page(other), delegation_post(title="x", host_unit=units["loc_binh"].pk))
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.title == "Đoàn Lộc Bình"
    add = client.post(
        reverse("admin:delegations_delegation_add"), delegation_post(title="Đoàn mới", host_unit=units["loc_binh"].pk)
    )
    assert add.status_code == 200
    assert "Bạn chỉ được nhập hồ sơ của đơn vị mình." in add.text
    assert not Delegation.objects.filter(title="Đoàn mới").exists()
    ok = client.post(
        reverse("admin:delegations_delegation_add"), delegation_post(title="Đoàn mới", host_unit=units["cao_loc"].pk)
    )
    assert ok.status_code == 302


def test_two_approvers_publishing_at_once_make_one_transition(approver, draft):
    from register import review

    Delegation.objects.filter(pk=draft.pk).update(review_state=ReviewState.APPROVED)
    stale = Delegation.objects.get(pk=draft.pk)
    review.apply(draft, ReviewAction.PUBLISH, approver)
    with pytest.raises(review.ReviewError):
        review.apply(stale, ReviewAction.PUBLISH, approver)  # the row is re-read under lock
    assert ReviewTransition.objects.count() == 1


def test_the_review_history_names_the_action_taken_and_the_states_before_and_after(client, staff, approver, draft):
    action(signed_in(client, staff), "submit_for_review", [draft])
    action(signed_in(client, approver), "approve_and_publish", [draft])
    history = client.get(review_page(draft)).text
    assert "<th>Từ trạng thái</th><th>Sang trạng thái</th>" in history  # not the date filters' "Từ ngày"
    body = history.split("<tbody>")[1].split("</tbody>")[0]
    rows = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in body.split("</tr>")[:-1]]
    # Newest first: (what, from, to) of each row, the action taken rather than the state it led to.
    assert [(cells[2], cells[3], cells[4].split(" ·")[0]) for cells in rows] == [
        ("Công bố", "Đã phê duyệt", "Đã phê duyệt"),
        ("Phê duyệt", "Chờ phê duyệt", "Đã phê duyệt"),
        ("Trình duyệt", "Bản nháp", "Chờ phê duyệt"),
    ]


def test_each_review_action_says_what_it_did(client, approver, draft):
    Delegation.objects.filter(pk=draft.pk).update(review_state=ReviewState.SUBMITTED)
    signed_in(client, approver)
    said = {}
    for name, reason in [("approve", ""), ("publish", ""), ("unpublish", ""), ("return", "Thiếu quyết định cử đoàn.")]:
        response = client.post(review_page(draft), {"action": name, "reason": reason}, follow=True)
        said[name] = [str(m) for m in response.context["messages"]]
    assert said["approve"] == ["Đã phê duyệt; hồ sơ chưa công khai cho đến khi được công bố."]
    assert said["publish"] == ["Đã công bố; người xem trang web nay thấy được hồ sơ."]
    assert said["unpublish"] == [
        "Đã thôi công bố; hồ sơ không còn hiện với công chúng, vẫn giữ trạng thái đã phê duyệt."
    ]
    assert said["return"] == [
        "Đã trả lại bản nháp và thôi công khai; người nhập có thể sửa lại. Lý do: Thiếu quyết định cử đoàn."
    ]


def test_a_list_action_says_what_it_did_to_how_many(client, staff, draft):
    response = action(signed_in(client, staff), "submit_for_review", [draft])
    assert [str(m) for m in response.context["messages"]] == [
        "Đã cập nhật 1 hồ sơ. Đã trình duyệt; hồ sơ đang chờ người phê duyệt."
    ]


@pytest.mark.parametrize(
    ("review_state", "is_public", "notice"),
    [
        (ReviewState.DRAFT, False, "Bản nháp: khi nhập xong, hãy trình duyệt"),
        (ReviewState.SUBMITTED, False, "Đang chờ người phê duyệt"),
        (ReviewState.APPROVED, False, "Đã phê duyệt, chưa công bố. Bạn chỉ xem được"),
        (ReviewState.APPROVED, True, "Đã phê duyệt và công bố. Bạn chỉ xem được"),
    ],
)
def test_the_form_tells_staff_what_they_can_do_in_each_review_state(
    client, staff, draft, review_state, is_public, notice
):
    Delegation.objects.filter(pk=draft.pk).update(review_state=review_state, is_public=is_public)
    notice_shown = review_notice(signed_in(client, staff).get(change_page(draft)).text)
    assert notice in notice_shown
    assert ("chờ người phê duyệt" in notice_shown) == (review_state == ReviewState.SUBMITTED)


def review_notice(page):
    """The paragraph above a record's form that states its review state."""
    return re.search(r'<p class="review-state.*?</p>', page, re.S).group(0)


def test_an_approver_is_not_told_the_record_is_read_only(client, approver, draft):
    Delegation.objects.filter(pk=draft.pk).update(review_state=ReviewState.APPROVED)
    page = signed_in(client, approver).get(change_page(draft)).text
    assert 'name="_save"' in page and "xem được" not in review_notice(page)


def test_an_approver_sees_what_waits_for_approval_on_the_admin_index(
    client, approver, draft, units, django_assert_max_num_queries
):
    Delegation.objects.create(title="Đoàn thứ hai", review_state=ReviewState.SUBMITTED, host_unit=units["province"])
    Delegation.objects.filter(pk=draft.pk).update(review_state=ReviewState.SUBMITTED)
    signed_in(client, approver)
    client.get(reverse("admin:index"))  # sessions, content types and permissions cached
    # Since issue 19 the "Việc cần làm" block above the queue reads every due list provider (tests/test_due_list.py).
    with django_assert_max_num_queries(35) as counted:
        page = client.get(reverse("admin:index")).text
    queue = page.split('id="review-queue"')[1].split("</table>")[0]
    assert "Chờ phê duyệt" in queue and "2 hồ sơ chờ duyệt" in queue
    assert reverse("admin:delegations_delegation_changelist") + "?review_state__exact=submitted" in queue
    assert "Dự án" not in queue  # nothing waits there
    # One count per kind of record under review: delegations, agreements, twinning pairs, projects,
    # since issue 13 sources, reported figures, partners, local units and mechanisms, and since
    # issue 19 international conferences; and, since issue 19, the same ten kinds once more for the
    # "Việc cần làm" block above it, which lists the records submitted (register/due.py).
    assert sum('"review_state" = ' in q["sql"] or 'review_state" =' in q["sql"] for q in counted.captured_queries) == 20


def test_staff_see_their_drafts_and_the_returned_ones_on_the_admin_index(client, staff, approver, draft, units):
    Delegation.objects.create(title="Đoàn bị trả lại", review_state=ReviewState.SUBMITTED, host_unit=units["cao_loc"])
    returned = Delegation.objects.get(title="Đoàn bị trả lại")
    signed_in(client, approver).post(review_page(returned), {"action": "return", "reason": "Thiếu ngày về."})
    page = signed_in(client, staff).get(reverse("admin:index")).text
    queue = page.split('id="review-queue"')[1].split("</table>")[0]
    assert "Bản nháp chưa trình duyệt" in queue
    assert "2 bản nháp" in queue and "1 hồ sơ bị trả lại" in queue
    assert "?review_state__exact=draft" in queue


def test_the_admin_index_says_so_when_nothing_waits_for_an_approver(client, approver, staff, db):
    page = signed_in(client, approver).get(reverse("admin:index")).text
    queue = page.split('id="review-queue"')[1].split("</div>")[0]
    assert "Không có hồ sơ nào chờ phê duyệt." in queue and "<table" not in queue
    page = signed_in(client, staff).get(reverse("admin:index")).text
    assert 'id="review-queue"' not in page  # staff with no drafts: no box at all


def test_the_waiting_counts_stop_at_the_cap(staff, approver, draft, units):
    from register import review

    for title in ["Đoàn hai", "Đoàn ba"]:
        Delegation.objects.create(title=title, review_state=ReviewState.SUBMITTED, host_unit=units["province"])
    assert review.waiting_counts(Delegation.objects.all(), approver, cap=1) == {"submitted": 1, "capped": True}
    assert review.waiting_counts(Delegation.objects.all(), approver, cap=5) == {"submitted": 2, "capped": False}
    assert review.waiting_counts(Delegation.objects.all(), staff, cap=5) == {"draft": 1, "returned": 0, "capped": False}


# What the records rest on goes through the same review (issue 13)


def reference_action(client, model, action_name, records):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    data = {"action": action_name, "_selected_action": [r.pk for r in records], "reason": ""}
    return client.post(url, data, follow=True)


@pytest.fixture
def reference_drafts(db):
    """A partner, a local unit, a mechanism, a source and a figure as staff save them: drafts."""
    from partners.models import CooperationMechanism, LocalUnit, Partner
    from sources.models import ReportedFigure, Source

    unit = LocalUnit.objects.create(name="Đơn vị mới", kind="department")
    source = Source.objects.create(title="Bài báo mới")
    partner = Partner.objects.create(name="Đối tác mới", kind="town")
    mechanism = CooperationMechanism.objects.create(name="Cơ chế mới")
    cite(partner, unit, mechanism)  # approving them needs a source; the source and the figure need none
    return [
        partner,
        unit,
        mechanism,
        source,
        ReportedFigure.objects.create(
            indicator="other", value=1, unit="count", scope=unit, source=source, excerpt="một"
        ),
    ]


def test_partners_units_mechanisms_sources_and_figures_start_as_drafts_and_an_approver_publishes_them(
    client, staff, approver, reference_drafts
):
    assert {state(record) for record in reference_drafts} == {(ReviewState.DRAFT, False)}
    for record in reference_drafts:
        reference_action(signed_in(client, staff), type(record), "submit_for_review", [record])
        reference_action(signed_in(client, staff), type(record), "approve_and_publish", [record])
        assert state(record) == (ReviewState.SUBMITTED, False), type(record).__name__  # staff may not approve
        reference_action(signed_in(client, approver), type(record), "approve_and_publish", [record])
        assert state(record) == (ReviewState.APPROVED, True), type(record).__name__
    client.logout()
    assert client.get(reference_drafts[0].get_absolute_url()).status_code == 200  # the partner's dossier
    assert ReviewTransition.objects.filter(action="publish").count() == len(reference_drafts)


def test_a_published_partner_is_read_only_to_staff_until_an_approver_returns_it(client, staff, reference_drafts):
    partner = reference_drafts[0]
    type(partner).objects.filter(pk=partner.pk).update(review_state=ReviewState.APPROVED, is_public=True)
    url = reverse("admin:partners_partner_change", args=[partner.pk])
    assert signed_in(client, staff).post(url, {"name": "Sửa", "kind": "town"}).status_code == 403


def test_the_migration_publishes_the_rows_entered_before_review(reference_drafts):
    from django.apps import apps
    from django.utils.module_loading import import_string

    for app, migration in (("partners", "0007_review_and_publication"), ("sources", "0006_review_and_publication")):
        import_string(f"{app}.migrations.{migration}.approve_and_publish_existing_rows")(apps, None)
    assert {state(record) for record in reference_drafts} == {(ReviewState.APPROVED, True)}
