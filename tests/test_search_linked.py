"""A partner's other names (English, native, former) find the delegations,
agreements and projects linked to it or to the places under it, on the search
page, as a group of their own: "pingxiang" finds the trips whose titles say
"Bằng Tường". A visitor sees and counts only the published ones."""

import pytest
from django.test import Client

from agreements.models import Agreement, AgreementKind
from delegations.models import Delegation, Direction
from partners.models import Partner, PartnerKind
from projects.models import ParticipantRole, Project, ProjectKind, ProjectParticipant
from register.publishable import ReviewState
from tests.conftest import PUBLISHED

SEARCH = "/search/"
DRAFT = {"is_public": False, "review_state": ReviewState.DRAFT}


@pytest.fixture
def visitor(db):
    return Client()


@pytest.fixture
def pingxiang(db):
    return Partner.objects.create(
        **PUBLISHED,
        name="Bằng Tường",
        name_en="Pingxiang",
        name_native="凭祥市",
        kind=PartnerKind.COUNTY,
        country="CN",
    )


@pytest.fixture
def youyiguan(pingxiang):
    """A border gate under Pingxiang."""
    return Partner.objects.create(
        **PUBLISHED, name="Cửa khẩu Hữu Nghị Quan", kind=PartnerKind.BORDER_POST, country="CN", parent=pingxiang
    )


def delegation(title, partner, start, review=PUBLISHED):
    record = Delegation.objects.create(title=title, direction=Direction.OUTBOUND, start_date=start, **review)
    record.partners.set([partner])
    return record


def agreement(title, partner, signed, review=PUBLISHED):
    record = Agreement.objects.create(title=title, kind=AgreementKind.AGREEMENT, signed_on=signed, **review)
    record.partners.set([partner])
    return record


def project(title, partner, review=PUBLISHED):
    record = Project.objects.create(title=title, kind=ProjectKind.ODA, actual_start="2021-01-01", **review)
    ProjectParticipant.objects.create(project=record, partner=partner, role=ParticipantRole.FUNDING)
    return record


def found(response):
    return {group.key: group for group in response.context["groups"]}


def test_an_other_name_of_a_partner_finds_the_records_linked_to_it_and_to_places_under_it(
    visitor, pingxiang, youyiguan
):
    trip = delegation("Đoàn công tác sang thành phố biên giới", pingxiang, "2024-05-02")
    gate_trip = delegation("Đoàn khảo sát cửa khẩu", youyiguan, "2023-03-01")
    pact = agreement("Biên bản ghi nhớ về chợ biên giới", youyiguan, "2022-06-01")
    aid = project("Dự án hạ tầng cửa khẩu", pingxiang)
    elsewhere = Partner.objects.create(**PUBLISHED, name="Long Châu", kind=PartnerKind.COUNTY, country="CN")
    delegation("Đoàn sang Long Châu", elsewhere, "2024-06-01")

    response = visitor.get(SEARCH, {"q": "pingxiang"})
    groups = found(response)

    # None of their titles has the word: only the partner's English name links them.
    assert list(groups)[:2] == ["partners", "linked"]
    linked = groups["linked"]
    assert [hit.url for hit in linked.hits] == [
        trip.get_absolute_url(),
        gate_trip.get_absolute_url(),
        pact.get_absolute_url(),
        aid.get_absolute_url(),
    ]
    assert linked.count == 4
    assert linked.more_url == pingxiang.get_absolute_url()
    # They are shown, not counted as matches of the query: the partner alone is.
    assert response.context["total"] == 1
    assert "Liên quan đến Bằng Tường (Pingxiang)" in response.content.decode()
    assert 'id="found-linked"' in response.content.decode()


@pytest.mark.parametrize("query", ["凭祥", "bang tuong", "Bằng Tường"])
def test_every_name_of_the_partner_brings_its_linked_records(visitor, pingxiang, youyiguan, query):
    gate_trip = delegation("Đoàn khảo sát cửa khẩu", youyiguan, "2023-03-01")

    linked = found(visitor.get(SEARCH, {"q": query}))["linked"]

    assert [hit.url for hit in linked.hits] == [gate_trip.get_absolute_url()]


def test_a_partner_found_only_inside_a_longer_name_brings_no_linked_records(visitor, pingxiang, youyiguan):
    delegation("Đoàn khảo sát cửa khẩu", youyiguan, "2023-03-01")

    # "Hữu Nghị" finds the gate (its name does not start so) and the gate's trip by its title.
    groups = found(visitor.get(SEARCH, {"q": "nghi quan"}))

    assert "partners" in groups
    assert "linked" not in groups


def test_a_visitor_never_sees_or_counts_an_unpublished_record_linked_to_the_partner(
    visitor, official_client, pingxiang, youyiguan
):
    shown = delegation("Đoàn công tác sang thành phố biên giới", pingxiang, "2024-05-02")
    delegation("Đoàn nội bộ Xylophone sang cửa khẩu", youyiguan, "2024-06-01", review=DRAFT)
    agreement("Thỏa thuận nội bộ Xylophone", pingxiang, "2024-01-01", review=DRAFT)
    project("Dự án nội bộ Xylophone", youyiguan, review=DRAFT)

    response = visitor.get(SEARCH, {"q": "pingxiang"})
    linked = found(response)["linked"]

    assert [hit.url for hit in linked.hits] == [shown.get_absolute_url()]
    assert linked.count == 1
    assert "Xylophone" not in response.content.decode()
    # An official sees them all, each marked internal.
    official = found(official_client.get(SEARCH, {"q": "pingxiang"}))["linked"]
    assert official.count == 4
    assert sum(("badge--internal", "Nội bộ") in hit.badges for hit in official.hits) == 3


def test_a_partner_with_only_unpublished_linked_records_shows_no_linked_group_to_a_visitor(
    visitor, pingxiang, youyiguan
):
    delegation("Đoàn nội bộ Xylophone sang cửa khẩu", youyiguan, "2024-06-01", review=DRAFT)

    response = visitor.get(SEARCH, {"q": "pingxiang"})

    assert list(found(response)) == ["partners"]
    assert "Xylophone" not in response.content.decode()


def test_an_unpublished_partner_brings_no_linked_records_to_a_visitor(visitor, pingxiang):
    hidden = Partner.objects.create(name="Đông Hưng", name_en="Dongxing", kind=PartnerKind.COUNTY, country="CN")
    delegation("Đoàn sang thành phố biên giới", hidden, "2024-06-01")

    assert found(visitor.get(SEARCH, {"q": "dongxing"})) == {}
