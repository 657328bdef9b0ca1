"""A delegation's number of persons is what staff typed, or unknown: never made
up from the member list (the people known by name, often only the head). The
reports add the known sizes only and say how many delegations have none."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from delegations.models import Delegation, DelegationMember, Direction
from delegations.resources import DelegationResource
from partners.models import Partner, PartnerKind
from register.publishable import ReviewState
from reports.models import DelegationTally
from sources.models import Citation, Source
from tests.conftest import PUBLISHED, english, readable_text
from tests.import_files import csv_bytes
from tests.test_admin import delegation_post
from tests.test_imports import DELEGATION_HEADERS, delegation_row, run

MIGRATION = importlib.import_module("delegations.migrations.0013_clear_sizes_counted_from_members")
HEAD = {"name": "Nông Văn Hùng", "position": "Phó Chủ tịch", "is_leader": "on", "order": "0"}


def member(name):
    return {"name": name, "order": "1"}


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # As in test_admin: DEBUG is off and collectstatic has not run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def add_delegation(client, **fields):
    return client.post(reverse("admin:delegations_delegation_add"), delegation_post(**fields))


def approve_all():
    Delegation.objects.update(review_state=ReviewState.APPROVED, is_public=True)


def test_a_delegation_saved_with_only_its_head_keeps_an_unknown_size(staff_client):
    response = add_delegation(english(staff_client), members=[HEAD])

    assert response.status_code == 302
    assert Delegation.objects.get().size is None
    assert DelegationMember.objects.count() == 1
    approve_all()
    report = Client().get(reverse("reports:period"), {"start": "2024-01-01", "end": "2024-12-31"})
    inbound = report.context["report"]["inbound"]
    assert (inbound["delegations"], inbound["persons"], inbound["no_size"]) == (1, 0, 1)
    assert "1 đoàn chưa ghi số người" in report.text


def test_a_known_size_larger_than_the_named_members_is_saved(staff_client):
    response = add_delegation(staff_client, size="8", members=[HEAD])

    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.size, delegation.members.count()) == (8, 1)


def test_more_named_members_than_the_size_is_refused_in_vietnamese_and_nothing_is_saved(staff_client):
    response = add_delegation(staff_client, size="2", members=[HEAD, member("Hoàng Thị Lan"), member("Lý Văn Tư")])

    assert response.status_code == 200
    assert escape("3 người được nêu tên nhưng số người là 2.") in response.text
    assert (Delegation.objects.count(), DelegationMember.objects.count()) == (0, 0)


def test_the_admin_shows_an_unknown_size_with_the_people_known_by_name(staff_client):
    add_delegation(staff_client, members=[HEAD])
    delegation = Delegation.objects.get()

    page = staff_client.get(reverse("admin:delegations_delegation_change", args=[delegation.pk]))

    assert "chưa rõ (đã biết tên 1 người)" in page.text


def test_the_detail_page_shows_an_unknown_size_and_how_many_are_known_by_name(client, db):
    delegation = Delegation.objects.create(title="Đoàn Bằng Tường", direction=Direction.INBOUND, **PUBLISHED)
    DelegationMember.objects.create(delegation=delegation, name="Lưu Minh", is_leader=True)

    page = client.get(delegation.get_absolute_url())

    assert "Nguồn tin không nêu (ít nhất 1 người đã biết tên)" in re.sub(r"<[^>]+>", "", page.text)


# --- The dashboard ---------------------------------------------------------------------------------------------


def test_the_persons_chart_says_how_many_delegations_of_unknown_size_it_leaves_out(db):
    china = Partner.objects.create(**PUBLISHED, name="Trung Quốc", kind=PartnerKind.COUNTRY, country="CN")
    start = dt.date.today().replace(month=1, day=1)
    for title, size in (("Đoàn có số người", 5), ("Đoàn chưa rõ số người", None), ("Đoàn chưa rõ 2", None)):
        record = Delegation.objects.create(
            title=title, direction=Direction.OUTBOUND, start_date=start, size=size, **PUBLISHED
        )
        record.partners.set([china])

    page = english(Client()).get("/")

    chart = page.context["charts"][1]
    assert dict(zip(chart.categories, chart.series[0].values, strict=True)) == {"Trung Quốc": 5}
    assert "2 outbound or inbound delegations whose number of persons is not recorded are left out." in chart.note
    assert escape(chart.note) in page.text
    figures = {str(figure.label): figure for figure in page.context["key_figures"]}
    assert figures["Outbound person-trips"].now == 5
    assert figures["Outbound person-trips"].note == "2 delegations of unknown size not counted"


# --- The data migration ----------------------------------------------------------------------------------------


def cite(delegation, body, excerpt):
    source = Source.objects.create(title="Báo Lạng Sơn", body=body)
    Citation.objects.create(
        content_type=ContentType.objects.get_for_model(Delegation),
        object_id=delegation.pk,
        source=source,
        excerpt=excerpt,
    )


def with_members(title, size, count):
    delegation = Delegation.objects.create(
        title=title, direction=Direction.INBOUND, start_date=dt.date(2024, 5, 2), size=size
    )
    for i in range(count):
        DelegationMember.objects.create(delegation=delegation, name=f"Thành viên {i}", is_leader=i == 0, order=i)
    return delegation


def test_the_data_migration_clears_sizes_counted_from_the_members_and_keeps_stated_ones(db):
    head_only = with_members("Đoàn chỉ ghi trưởng đoàn", 1, 1)
    two_named = with_members("Đoàn biết tên trưởng và phó đoàn", 2, 2)
    cite(two_named, "Đoàn làm việc với Sở Công Thương về cửa khẩu.", "làm việc với Sở Công Thương")
    stated = with_members("Đoàn có số người trong bài", 2, 2)
    cite(stated, "Đoàn gồm 2 người do ông Lưu Minh dẫn đầu đã thăm cửa khẩu.", "do ông Lưu Minh dẫn đầu")
    in_words = with_members("Đoàn hai đồng chí thăm Hữu Nghị", 2, 2)
    larger = with_members("Đoàn 8 người, biết tên 1", 8, 1)
    no_list = with_members("Đoàn không có danh sách", 3, 0)

    MIGRATION.clear_counted_sizes(apps, None)

    sizes = dict(Delegation.objects.values_list("pk", "size"))
    assert sizes[head_only.pk] is None and sizes[two_named.pk] is None
    assert (sizes[stated.pk], sizes[in_words.pk], sizes[larger.pk], sizes[no_list.pk]) == (2, 2, 8, 3)
    # The history says what happened, and the tally counts the two as unknown.
    newest = head_only.history.order_by("-history_id").first()
    assert (newest.size, newest.history_change_reason) == (None, MIGRATION.REASON)
    assert not larger.history.filter(history_change_reason=MIGRATION.REASON).exists()
    day = DelegationTally.objects.get(grain="d", period=dt.date(2024, 5, 2), country="*")
    assert (day.delegations, day.persons, day.no_size) == (6, 15, 2)


def test_the_articles_person_counts_are_read_as_stated_sizes():
    article = "tỉnh đã cử 62 đoàn với 510 lượt cán bộ đi công tác; đón 165 đoàn, 883 lượt người nước ngoài"
    assert MIGRATION.states_size([article], 510) and MIGRATION.states_size([article], 883)
    assert not MIGRATION.states_size([article], 62) and not MIGRATION.states_size([article], 2)
    assert MIGRATION.states_size(["gần 2.800 lượt người"], 2800)
    assert not MIGRATION.states_size(["năm 2020, 5 đoàn"], 5)


# --- Imports ---------------------------------------------------------------------------------------------------


def test_an_import_cannot_set_a_size_below_the_members_named(db):
    named = with_members("Đoàn biết tên ba người", 8, 3)
    data = csv_bytes(DELEGATION_HEADERS, [delegation_row(named.title, id=str(named.pk), size="2")])

    with translation.override("vi"):  # the headers are those of the language the resource is made in
        result = run(DelegationResource(), data, dry_run=True)

    messages = [message for _s, _n, _c, message in result.problems()]
    assert any("3 người được nêu tên nhưng số người là 2." in m for m in messages), messages
    named.refresh_from_db()
    assert named.size == 8


def test_the_period_report_files_say_how_many_delegations_have_no_recorded_size(client, db):
    with_members("Đoàn chỉ biết tên trưởng đoàn", None, 1)
    with_members("Đoàn 8 người", 8, 1)
    approve_all()
    period = {"start": "2024-01-01", "end": "2024-12-31"}

    docx = readable_text(client.get(reverse("reports:period_docx"), period))
    xlsx = readable_text(client.get(reverse("reports:period_xlsx"), period))

    assert "0 đoàn ra và 1 đoàn vào chưa ghi số người" in docx
    assert "Số đoàn vào chưa ghi số người" in xlsx
