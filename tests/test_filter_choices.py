"""The list filters' drop-downs at national scale: past a few hundred partners or
local units they offer the upper levels of the hierarchy (and the chosen one),
while any partner or unit still filters the list."""

import datetime as dt
import re

import pytest

from delegations.models import Delegation, Direction
from partners import filter_fields
from partners.models import LocalUnit, LocalUnitKind, Partner, PartnerKind
from register.publishable import ReviewState
from tests.conftest import PUBLISHED

LIST = "/delegations/"


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(filter_fields, "SHALLOW_LIMIT", 3)


@pytest.fixture
def tree(db):
    """China > Guangxi > Chongzuo > Pingxiang, and Laos; a province with three departments."""
    china = Partner.objects.create(**PUBLISHED, name="Trung Quốc", kind=PartnerKind.COUNTRY, country="CN")
    laos = Partner.objects.create(**PUBLISHED, name="Lào", kind=PartnerKind.COUNTRY, country="LA")
    guangxi = Partner.objects.create(**PUBLISHED, name="Quảng Tây", kind=PartnerKind.REGION, country="CN", parent=china)
    chongzuo = Partner.objects.create(
        **PUBLISHED, name="Sùng Tả", kind=PartnerKind.PREFECTURE_CITY, country="CN", parent=guangxi
    )
    pingxiang = Partner.objects.create(
        **PUBLISHED, name="Bằng Tường", kind=PartnerKind.COUNTY, country="CN", parent=chongzuo
    )
    province = LocalUnit.objects.create(**PUBLISHED, name="UBND tỉnh Lạng Sơn", kind=LocalUnitKind.PROVINCE)
    units = [
        LocalUnit.objects.create(**PUBLISHED, name=name, kind=LocalUnitKind.DEPARTMENT, parent=province)
        for name in ("Sở Ngoại vụ", "Sở Công Thương", "Sở Du lịch")
    ]
    border = Delegation.objects.create(
        title="Đoàn Bằng Tường",
        direction=Direction.INBOUND,
        start_date=dt.date(2024, 3, 1),
        host_unit=units[0],
        is_public=True,
        review_state=ReviewState.APPROVED,
    )
    border.partners.set([pingxiang])
    return {"china": china, "laos": laos, "guangxi": guangxi, "pingxiang": pingxiang, "units": units}


def options(response, name):
    html = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option value=\"[^\"]*\"[^>]*>([^<]*)</option>", select)


def test_a_short_tree_is_offered_whole(client, tree):
    response = client.get(LIST)

    assert options(response, "partner") == [
        "Tất cả",
        "Trung Quốc",
        "— Quảng Tây",
        "— — Sùng Tả",
        "— — — Bằng Tường",
        "Lào",
    ]
    assert options(response, "host_unit") == [
        "Tất cả",
        "Sở Công Thương",
        "Sở Du lịch",
        "Sở Ngoại vụ",
        "UBND tỉnh Lạng Sơn",
    ]


def test_a_long_tree_offers_its_upper_levels(client, tree, small_limit):
    response = client.get(LIST)

    assert options(response, "partner") == ["Tất cả", "Trung Quốc", "— Quảng Tây", "Lào"]
    assert options(response, "host_unit") == ["Tất cả", "UBND tỉnh Lạng Sơn"]


def test_a_deep_partner_still_filters_and_stays_selected(client, tree, small_limit):
    response = client.get(LIST, {"partner": tree["pingxiang"].pk, "host_unit": tree["units"][0].pk})

    assert "Đoàn Bằng Tường" in response.content.decode()
    assert "— — — Bằng Tường" in options(response, "partner")
    assert f'<option value="{tree["pingxiang"].pk}" selected>' in response.content.decode()
    assert "Sở Ngoại vụ" in options(response, "host_unit")


def test_the_list_pays_one_query_per_drop_down(client, tree, small_limit, django_assert_num_queries):
    client.get(LIST)
    # 1 country choices, 2 COUNT up to the cap, 3 the rows, 4 their partners,
    # 5 the partners' (pk, name, path), 6 the units' (pk, name, parent)
    with django_assert_num_queries(6):
        client.get(LIST)
