"""A partner's dossier (/partners/<pk>/): its names, its place in the
hierarchy, one timeline of everything involving it or a locality under it,
the totals, the visibility rule, and a fixed number of queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from agreements.models import Agreement, AgreementKind, AgreementStatus, Partnership, PartnershipKind
from common.partial_dates import DatePrecision
from delegations.models import Delegation, Direction
from delegations.models import Status as DelegationStatus
from partners.models import LocalUnit, LocalUnitKind, Partner, PartnerKind
from projects.models import ParticipantRole, Project, ProjectKind, ProjectParticipant
from register.publishable import ReviewState
from reports import selectors_dossier
from tests.conftest import english

PUBLISHED = {"is_public": True, "review_state": ReviewState.APPROVED}
MOU_TITLE = "Biên bản ghi nhớ về hợp tác với thị Bằng Tường"
HIV_CONFERENCE = "Hội nghị giao ban trao đổi kinh nghiệm phòng, chống HIV/AIDS"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests run with DEBUG off but without collectstatic: the manifest storage
    # would refuse {% static %} in the base template.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def partner(name_en):
    return Partner.objects.get(name_en=name_en)


def delegation(title, *partners, published=True, **fields):
    values = {"direction": Direction.OUTBOUND, **(PUBLISHED if published else {}), **fields}
    record = Delegation.objects.create(title=title, **values)
    record.partners.add(*partners)
    return record


def agreement(title, *partners, published=True, **fields):
    values = {"kind": AgreementKind.MOU, **(PUBLISHED if published else {}), **fields}
    record = Agreement.objects.create(title=title, **values)
    record.partners.add(*partners)
    return record


def dossier_of(client, who, **extra):
    return client.get(who.get_absolute_url(), **extra)


def page(response):
    return response.content.decode()


def timeline_titles(response):
    d = response.context["dossier"]
    return [item.title for item in d.dated + d.undated]


# Bằng Tường ----------------------------------------------------------------------------------


def test_bang_tuong_dossier_shows_its_three_names_and_its_place_in_the_hierarchy(client, seeded):
    pingxiang = partner("Pingxiang")

    response = dossier_of(client, pingxiang)

    assert response.status_code == 200
    html = page(response)
    for name in ("Bằng Tường", "Pingxiang", "凭祥市", "Pingxiang City"):
        assert name in html
    crumbs = re.sub(r"<[^>]+>|\s+", " ", html)
    assert re.search(r"Trung Quốc › Khu tự trị dân tộc Choang Quảng Tây › Sùng Tả", re.sub(r" +", " ", crumbs))
    for ancestor in response.context["dossier"].ancestors:
        assert f'<a href="{ancestor.get_absolute_url()}">{ancestor.name}</a>' in html


def test_bang_tuong_dossier_lists_the_cao_loc_mou_and_the_hiv_conference_with_counts(client, seeded):
    response = dossier_of(client, partner("Pingxiang"))

    titles = timeline_titles(response)
    assert any(t.startswith(MOU_TITLE) for t in titles)
    assert any(t.startswith(HIV_CONFERENCE) for t in titles)
    mou = Agreement.objects.get(title__startswith=MOU_TITLE)
    assert f'href="{mou.get_absolute_url()}"' in page(response)
    totals = response.context["dossier"].totals
    assert totals["delegations"]["total"] == 1
    assert totals["delegations"]["undetermined"] == 1  # the article does not say who hosted
    assert totals["delegations"]["without_size"] == 1
    assert totals["agreements"]["total"] == 1


def test_undated_items_come_last_under_their_own_heading(client, seeded):
    response = dossier_of(english(client), partner("Guangxi Zhuang Autonomous Region"))

    html = page(response)
    assert "Date not recorded" in html
    undated_at = html.index("Date not recorded")
    # The twinning figures "as of 2020" are dated: they come before; the undated MoU after.
    assert html.index("Twinned border village pairs") < undated_at < html.index(MOU_TITLE)


def test_a_child_list_links_to_each_partner_under_it(client, seeded):
    chongzuo = partner("Chongzuo")

    html = page(dossier_of(client, chongzuo))

    for child in ("Pingxiang", "Ningming County"):
        assert f'<a href="{partner(child).get_absolute_url()}">' in html


# Guangxi: the subtree and the reported figures -----------------------------------------------


def test_guangxi_dossier_includes_what_involves_the_localities_under_it(client, seeded):
    response = dossier_of(client, partner("Guangxi Zhuang Autonomous Region"))

    titles = timeline_titles(response)
    assert any(t.startswith(MOU_TITLE) for t in titles)  # with Bằng Tường
    assert any(t.startswith(HIV_CONFERENCE) for t in titles)  # with Bằng Tường
    assert any(t.startswith("Đoàn đại biểu thành phố Sùng Tả") for t in titles)  # with Sùng Tả
    assert not any("Phó Thủ tướng Lào" in t for t in titles)
    assert response.context["dossier"].totals["delegations"]["total"] == 2


def test_guangxi_dossier_shows_the_reported_figures_about_guangxi(client, seeded):
    response = dossier_of(english(client), partner("Guangxi Zhuang Autonomous Region"))

    figures = [item.title for item in response.context["dossier"].dated + response.context["dossier"].undated]
    assert "International agreements signed: 5" in figures
    assert "Twinned border district pairs: 5" in figures
    assert "Twinned border village pairs: 12" in figures
    assert "Border posts twinned with stations: 11" in figures
    assert response.context["dossier"].totals["figures"] == 4
    # The figures about China as a whole do not belong to Guangxi's dossier.
    assert not any(t.startswith("Outbound delegations") for t in figures)


def test_a_twinning_pair_and_a_project_of_a_locality_reach_the_region_dossier(client, seeded):
    pingxiang = partner("Pingxiang")
    cao_loc = LocalUnit.objects.get(name="Huyện Cao Lộc")
    Partnership.objects.create(
        local_unit=cao_loc,
        partner=pingxiang,
        kind=PartnershipKind.DISTRICT_PAIR,
        established_on=dt.date(2015, 1, 1),
        date_precision=DatePrecision.YEAR,
        **PUBLISHED,
    )
    market = Project.objects.create(
        title="Chợ biên giới Bằng Tường – Cao Lộc", kind=ProjectKind.FDI, committed_amount=5_000_000_000, **PUBLISHED
    )
    ProjectParticipant.objects.create(project=market, partner=pingxiang, role=ParticipantRole.FUNDING)

    response = dossier_of(client, partner("Guangxi Zhuang Autonomous Region"))

    titles = timeline_titles(response)
    assert "Huyện Cao Lộc – Bằng Tường" in titles
    assert "Chợ biên giới Bằng Tường – Cao Lộc" in titles
    totals = response.context["dossier"].totals
    assert totals["partnerships"] == 1
    assert totals["projects"]["value_vnd"] == Decimal("5000000000")
    assert "5.000.000.000 ₫" in page(response)


# Totals --------------------------------------------------------------------------------------


def test_totals_count_each_way_and_sum_the_person_trips(client, db):
    town = Partner.objects.create(**PUBLISHED, name="Thị thử", kind=PartnerKind.COUNTY, country="CN")
    delegation("Ra 1", town, direction=Direction.OUTBOUND, size=10)
    delegation("Ra 2", town, direction=Direction.OUTBOUND)
    delegation("Vào 1", town, direction=Direction.INBOUND, size=7)
    delegation("Trong nước", town, direction=Direction.DOMESTIC, size=3)
    delegation("Hủy", town, direction=Direction.OUTBOUND, size=50, status=DelegationStatus.CANCELLED)

    response = dossier_of(english(client), town)

    totals = response.context["dossier"].totals["delegations"]
    assert (totals["outbound"], totals["inbound"], totals["domestic"]) == (2, 1, 1)
    assert (totals["persons"], totals["persons_out"], totals["persons_in"]) == (20, 10, 7)
    assert totals["without_size"] == 1
    assert totals["cancelled"] == 1
    html = page(response)
    assert "1 delegation has no recorded size" in html
    assert "1 cancelled delegation is on the timeline but not counted." in html
    assert "Hủy" in timeline_titles(response)


def test_agreements_in_force_today_are_counted(client, db):
    town = Partner.objects.create(**PUBLISHED, name="Thị thử", kind=PartnerKind.COUNTY, country="CN")
    today = dt.date.today()
    agreement("Còn hiệu lực", town, signed_on=today - dt.timedelta(days=400), status=AgreementStatus.SIGNED)
    agreement(
        "Hết hạn",
        town,
        signed_on=dt.date(2010, 1, 1),
        expires_on=dt.date(2015, 1, 1),
        status=AgreementStatus.SIGNED,
    )
    agreement("Đang đàm phán", town, status=AgreementStatus.NEGOTIATING)

    response = dossier_of(client, town)

    assert response.context["dossier"].totals["agreements"] == {"total": 3, "in_force": 1}
    in_force = [i for i in response.context["dossier"].dated if i.title == "Còn hiệu lực"][0]
    assert in_force.badges  # marked "in force" on the timeline


def test_the_timeline_is_newest_first(client, db):
    town = Partner.objects.create(**PUBLISHED, name="Thị thử", kind=PartnerKind.COUNTY, country="CN")
    delegation("2019", town, start_date=dt.date(2019, 5, 1))
    agreement("2021", town, signed_on=dt.date(2021, 1, 1))
    delegation("2020", town, start_date=dt.date(2020, 10, 1), date_precision=DatePrecision.MONTH)
    delegation("Không ngày", town)

    response = dossier_of(client, town)

    assert timeline_titles(response) == ["2021", "2020", "2019", "Không ngày"]
    assert re.search(r"(tháng|month) 10/2020", page(response))


# Visibility ----------------------------------------------------------------------------------


def test_an_unpublished_delegation_is_absent_and_uncounted_for_a_visitor(client, seeded):
    delegation("Đoàn nội bộ ZX-417", partner("Pingxiang"), published=False, size=9)
    delegation("Đoàn chờ duyệt ZX-418", partner("Pingxiang"), is_public=False, review_state=ReviewState.SUBMITTED)

    for who in ("Pingxiang", "Guangxi Zhuang Autonomous Region"):
        response = dossier_of(client, partner(who))
        assert "ZX-417" not in page(response)
        assert "ZX-418" not in page(response)
        assert response.context["dossier"].totals["delegations"]["outbound"] == 0
        assert response.context["dossier"].totals["delegations"]["persons"] is None


@pytest.mark.parametrize("persona", ["official", "staff"])
def test_an_unpublished_delegation_is_present_and_counted_for_signed_in_users(client, seeded, persona, request):
    delegation("Đoàn nội bộ ZX-417", partner("Pingxiang"), published=False, size=9)
    client.force_login(request.getfixturevalue(persona))

    response = dossier_of(client, partner("Guangxi Zhuang Autonomous Region"))

    assert "Đoàn nội bộ ZX-417" in page(response)
    totals = response.context["dossier"].totals["delegations"]
    assert (totals["outbound"], totals["persons"]) == (1, 9)


def test_unpublished_agreements_pairs_and_projects_are_hidden_from_a_visitor(client, db):
    town = Partner.objects.create(**PUBLISHED, name="Thị thử", kind=PartnerKind.COUNTY, country="CN")
    unit = LocalUnit.objects.create(**PUBLISHED, name="Xã thử", kind=LocalUnitKind.COMMUNE)
    agreement("Thỏa thuận nội bộ ZX-1", town, published=False)
    Partnership.objects.create(local_unit=unit, partner=town, kind=PartnershipKind.VILLAGE_PAIR)
    hidden = Project.objects.create(title="Dự án nội bộ ZX-3", kind=ProjectKind.NGO, committed_amount=100)
    ProjectParticipant.objects.create(project=hidden, partner=town, role=ParticipantRole.FUNDING)

    response = dossier_of(client, town)

    assert timeline_titles(response) == []
    totals = response.context["dossier"].totals
    assert (totals["agreements"]["total"], totals["partnerships"], totals["projects"]["total"]) == (0, 0, 0)
    assert totals["projects"]["value_vnd"] is None


def test_a_missing_partner_is_404(client, db):
    assert client.get(reverse("reports:dossier", args=[987654])).status_code == 404


def test_past_the_timeline_limit_the_newest_are_listed_all_are_counted_and_the_list_is_linked(
    client, seeded, monkeypatch
):
    monkeypatch.setattr(selectors_dossier, "TIMELINE_LIMIT", 2)
    pingxiang, guangxi = partner("Pingxiang"), partner("Guangxi Zhuang Autonomous Region")
    before = dossier_of(client, guangxi).context["dossier"].totals["delegations"]["total"]
    for day in (1, 2, 3):
        delegation(f"Đoàn ngày {day}", pingxiang, start_date=dt.date(2031, 1, day))

    response = dossier_of(client, guangxi)
    d = response.context["dossier"]

    assert d.totals["delegations"]["total"] == before + 3
    assert [i.title for i in d.dated if i.kind == "delegation"] == ["Đoàn ngày 3", "Đoàn ngày 2"]
    assert "delegation" in d.truncated
    assert f'href="{reverse("delegations:list")}?partner={guangxi.pk}"' in page(response)


# Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("delegations", [3, 30])
def test_the_dossier_costs_the_same_queries_whatever_the_number_of_records(
    client, seeded, django_assert_num_queries, delegations
):
    pingxiang = partner("Pingxiang")
    for i in range(delegations):
        delegation(f"Đoàn {i}", pingxiang, partner("Ningming County"), start_date=dt.date(2020, 1, 1 + i % 28))
    project = Project.objects.create(title="Dự án có đối tác", kind=ProjectKind.ODA, **PUBLISHED)
    ProjectParticipant.objects.create(project=project, partner=pingxiang, role=ParticipantRole.FUNDING)
    guangxi = partner("Guangxi Zhuang Autonomous Region")
    ContentType.objects.get_for_model(Partner)  # the content type is cached once per process

    # 1 the partner; 2 the subtree's totals (the partner tally); 3 agreements in
    # force; 4-5 the delegations with host unit, then their partners; 6-7 the
    # agreements with our signatory, then their partners; 8 the twinning pairs; 9-10
    # the projects, then their participants; 11 the reported figures; 12 the
    # ancestors; 13 the children; 14 the partner's citations; 15 the international conferences
    # (their partners, a prefetch, only when there are some).
    with django_assert_num_queries(15):
        response = dossier_of(client, guangxi)
    assert response.status_code == 200
    assert response.context["dossier"].totals["delegations"]["total"] == delegations + 2


def test_a_partner_with_no_country_row_above_it_names_its_country_in_vietnamese(client, db):
    town = Partner.objects.create(**PUBLISHED, name="Nagasaki", kind=PartnerKind.REGION, country="JP")
    response = client.get(reverse("reports:dossier", args=[town.pk]))
    assert response.context["dossier"].country_name == "Nhật Bản"
    assert "Nhật Bản" in response.content.decode()


# --- Partners go through review (issue 13) ---------------------------------------------------------------------


def test_an_unpublished_partners_dossier_is_404_to_a_visitor_and_open_to_an_official(client, official_client, db):
    draft = Partner.objects.create(name="Đối tác chưa duyệt", kind=PartnerKind.TOWN)

    for url in (draft.get_absolute_url(), reverse("reports:dossier_docx", args=[draft.pk])):
        assert client.get(url).status_code == 404
        assert official_client.get(url).status_code == 200


def test_a_visitor_is_not_shown_an_unpublished_partner_under_or_above_a_published_one(client, db):
    published = {"is_public": True, "review_state": ReviewState.APPROVED}
    country = Partner.objects.create(name="Quốc gia chưa duyệt", kind=PartnerKind.COUNTRY, country="CN")
    region = Partner.objects.create(name="Tỉnh đã công bố", kind=PartnerKind.REGION, parent=country, **published)
    Partner.objects.create(name="Thị trấn chưa duyệt", kind=PartnerKind.TOWN, parent=region)

    page = client.get(region.get_absolute_url()).content.decode()
    assert "Tỉnh đã công bố" in page
    assert "chưa duyệt" not in page
