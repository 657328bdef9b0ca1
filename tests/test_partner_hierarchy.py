"""Partners form a tree (Pingxiang -> Chongzuo -> Guangxi -> China) kept in a
stored path, so a subtree and the ancestors each cost one query."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from partners.models import Partner, PartnerKind


@pytest.fixture(autouse=True)
def _english_messages():
    # These tests read the English source messages; the Vietnamese ones are checked in test_translation.
    with translation.override("en"):
        yield


def partner(name, kind, parent=None):
    return Partner.objects.create(name=name, kind=kind, country="CN", parent=parent)


@pytest.fixture
def tree(db):
    china = partner("Trung Quốc", PartnerKind.COUNTRY)
    guangxi = partner("Quảng Tây", PartnerKind.REGION, china)
    chongzuo = partner("Sùng Tả", PartnerKind.PREFECTURE_CITY, guangxi)
    pingxiang = partner("Bằng Tường", PartnerKind.COUNTY, chongzuo)
    ningming = partner("Ninh Minh", PartnerKind.COUNTY, chongzuo)
    yunnan = partner("Vân Nam", PartnerKind.REGION, china)
    laos = Partner.objects.create(name="Lào", kind=PartnerKind.COUNTRY, country="LA")
    return {
        "china": china,
        "guangxi": guangxi,
        "chongzuo": chongzuo,
        "pingxiang": pingxiang,
        "ningming": ningming,
        "yunnan": yunnan,
        "laos": laos,
    }


def fresh(p):
    return Partner.objects.get(pk=p.pk)


def test_path_is_the_chain_of_ids_from_the_root(tree):
    china, guangxi, chongzuo, pingxiang = tree["china"], tree["guangxi"], tree["chongzuo"], tree["pingxiang"]
    assert fresh(pingxiang).path == f"/{china.pk}/{guangxi.pk}/{chongzuo.pk}/{pingxiang.pk}/"
    assert fresh(china).path == f"/{china.pk}/"


def test_subtree_of_guangxi_holds_its_localities_and_nothing_else(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = {p.name for p in Partner.objects.subtree_of(tree["guangxi"])}
    assert names == {"Quảng Tây", "Sùng Tả", "Bằng Tường", "Ninh Minh"}


def test_subtree_does_not_take_a_partner_whose_id_merely_starts_the_same(tree):
    # "/1/" must not match "/12/": the trailing slash is part of the prefix.
    siblings = [partner(f"Huyện {i}", PartnerKind.COUNTY, tree["yunnan"]) for i in range(12)]
    subtree = set(Partner.objects.subtree_of(siblings[1]))
    assert subtree == {siblings[1]}


def test_ancestors_of_pingxiang_are_china_guangxi_chongzuo_in_one_query(tree, django_assert_num_queries):
    pingxiang = fresh(tree["pingxiang"])
    with django_assert_num_queries(1):
        ancestors = pingxiang.ancestors()
    assert ancestors == [tree["china"], tree["guangxi"], tree["chongzuo"]]


def test_a_root_has_no_ancestors_and_costs_no_query(tree):
    china = fresh(tree["china"])
    with CaptureQueriesContext(connection) as queries:
        assert china.ancestors() == []
    assert len(queries) == 0


def test_moving_chongzuo_moves_pingxiang_with_it(tree):
    china, yunnan, chongzuo = tree["china"], tree["yunnan"], fresh(tree["chongzuo"])
    chongzuo.parent = yunnan
    chongzuo.save()

    pingxiang = fresh(tree["pingxiang"])
    assert pingxiang.path == f"/{china.pk}/{yunnan.pk}/{chongzuo.pk}/{pingxiang.pk}/"
    assert pingxiang.ancestors() == [china, yunnan, chongzuo]
    assert set(Partner.objects.subtree_of(fresh(tree["guangxi"]))) == {tree["guangxi"]}
    assert {p.name for p in Partner.objects.subtree_of(fresh(yunnan))} == {
        "Vân Nam",
        "Sùng Tả",
        "Bằng Tường",
        "Ninh Minh",
    }


def test_detaching_chongzuo_makes_it_a_root_with_its_localities(tree):
    chongzuo = fresh(tree["chongzuo"])
    chongzuo.parent = None
    chongzuo.save()

    assert fresh(tree["pingxiang"]).path == f"/{chongzuo.pk}/{tree['pingxiang'].pk}/"
    assert fresh(tree["pingxiang"]).ancestors() == [chongzuo]


def test_partner_cannot_belong_to_one_of_its_own_localities(tree):
    guangxi = fresh(tree["guangxi"])
    guangxi.parent = fresh(tree["pingxiang"])
    with pytest.raises(ValidationError) as caught:
        guangxi.full_clean()
    assert "parent" in caught.value.message_dict
    assert "cannot belong to itself or to one of its own parts" in caught.value.message_dict["parent"][0]


def test_partner_cannot_belong_to_itself(tree):
    guangxi = fresh(tree["guangxi"])
    guangxi.parent = guangxi
    with pytest.raises(ValidationError) as caught:
        guangxi.full_clean()
    assert "parent" in caught.value.message_dict


def test_moving_under_an_unrelated_partner_passes_validation(tree):
    chongzuo = fresh(tree["chongzuo"])
    chongzuo.parent = tree["yunnan"]
    chongzuo.full_clean()
