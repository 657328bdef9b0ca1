"""The articles' data: it loads into an empty database, matches its
declarations, cites its articles word for word, and holds the figures the
articles state."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from agreements.models import Agreement, Partnership
from common.partial_dates import DatePrecision
from delegations.models import Delegation, Direction
from partners.models import CooperationMechanism, LocalUnit, Partner
from projects.models import Project, Transaction, TransactionKind
from register.publishable import ReviewState
from sources.models import Citation, Indicator, Qualifier, ReportedFigure, Source

FIXTURES = sorted(str(p) for p in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
CITED_MODELS = [Partner, LocalUnit, CooperationMechanism, Delegation, Agreement, Partnership, Project]


@pytest.fixture
def seeded(db):
    call_command("loaddata", *FIXTURES, verbosity=0)


def figure(indicator, start, end, partner=None, scope="UBND tỉnh Lạng Sơn"):
    return ReportedFigure.objects.get(
        indicator=indicator,
        period_start=start,
        period_end=end,
        scope__name=scope,
        partner__name_en=partner,
    )


def test_json_fixtures_are_what_the_declarations_build():
    call_command("build_fixtures", "--check")


def test_fixtures_load_twice_without_duplicating_rows(seeded):
    counts = {m: m.objects.count() for m in (Delegation, Partner, ReportedFigure, Citation)}
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert {m: m.objects.count() for m in counts} == counts


@pytest.mark.parametrize(
    ("indicator", "value"),
    [
        (Indicator.OUTBOUND_DELEGATIONS, 62),
        (Indicator.OUTBOUND_PERSONS, 510),
        (Indicator.INBOUND_DELEGATIONS, 165),
        (Indicator.INBOUND_PERSONS, 883),
    ],
)
def test_the_2021_to_q1_2024_figures_are_reported_exactly(seeded, indicator, value):
    found = figure(indicator, dt.date(2021, 1, 1), dt.date(2024, 3, 31))
    assert found.value == value
    assert found.qualifier == Qualifier.EXACT
    assert found.source.url.endswith("doan-cong-tac-bo-ngoai-giao-lam-viec-tai-tinh-lang-son-5004540.html")
    assert found.excerpt in found.source.body


def test_the_world_bank_hiv_aid_to_cao_loc_is_two_yearly_transactions(seeded):
    project = Project.objects.get(participants__partner__name_en="World Bank")
    rows = list(Transaction.objects.filter(project=project).order_by("date"))
    assert [(t.date, t.amount, t.currency, t.amount_vnd) for t in rows] == [
        (dt.date(2010, 1, 1), Decimal("84248000"), "VND", Decimal("84248000")),
        (dt.date(2011, 1, 1), Decimal("222506000"), "VND", Decimal("222506000")),
    ]
    assert {t.date_precision for t in rows} == {DatePrecision.YEAR}
    assert {t.kind for t in rows} == {TransactionKind.IN_KIND}
    assert project.locations.get().name == "Huyện Cao Lộc"


def test_fdi_at_the_end_of_2012_is_28_projects_and_224_5_million_usd(seeded):
    end_2012 = dt.date(2012, 12, 31)
    assert figure(Indicator.FDI_PROJECTS, None, end_2012).value == 28
    capital = figure(Indicator.FDI_CAPITAL, None, end_2012)
    assert (capital.value, capital.unit) == (Decimal("224500000"), "USD")


@pytest.mark.parametrize(
    ("indicator", "value", "qualifier", "unit"),
    [
        (Indicator.INBOUND_DELEGATIONS, 400, Qualifier.ABOUT, "count"),
        (Indicator.INBOUND_PERSONS, 2800, Qualifier.ABOUT, "persons"),
        (Indicator.OUTBOUND_DELEGATIONS, 740, Qualifier.EXACT, "count"),
        (Indicator.OUTBOUND_PERSONS, 4700, Qualifier.OVER, "persons"),
        (Indicator.ODA_PROJECTS, 22, Qualifier.EXACT, "count"),
        (Indicator.ODA_CAPITAL, 700_000_000_000, Qualifier.OVER, "VND"),
        (Indicator.NGO_PROJECTS, 55, Qualifier.EXACT, "count"),
        (Indicator.NGO_COMMITTED, 4_700_000, Qualifier.ABOUT, "USD"),
        (Indicator.NGO_PROJECTS_ACTIVE, 22, Qualifier.EXACT, "count"),
        (Indicator.NGO_ORGANISATIONS, 12, Qualifier.EXACT, "count"),
        (Indicator.NGO_COMMITTED_ACTIVE, 3_300_000, Qualifier.ABOUT, "USD"),
        (Indicator.TWINNING_DISTRICT_PAIRS, 5, Qualifier.EXACT, "count"),
        (Indicator.TWINNING_VILLAGE_PAIRS, 12, Qualifier.EXACT, "count"),
        (Indicator.TWINNING_BORDER_POSTS, 11, Qualifier.EXACT, "count"),
        (Indicator.KEY_TASKS, 9, Qualifier.EXACT, "count"),
    ],
)
def test_every_provincial_aggregate_of_the_articles_is_a_reported_figure(seeded, indicator, value, qualifier, unit):
    assert ReportedFigure.objects.filter(indicator=indicator, value=value, qualifier=qualifier, unit=unit).exists()


def test_agreements_since_2008_are_seven_of_which_five_with_guangxi(seeded):
    since_2008 = ReportedFigure.objects.filter(indicator=Indicator.AGREEMENTS_SIGNED, period_start=dt.date(2008, 1, 1))
    by_partner = {f.partner.name_en if f.partner else None: f.value for f in since_2008.select_related("partner")}
    assert by_partner == {
        None: 7,
        "Guangxi Zhuang Autonomous Region": 5,
        "Asian Development Bank": 1,
        "VECO (Vredeseilanden Country Office)": 1,
    }


def test_cao_loc_figures_are_scoped_to_the_district(seeded):
    cao_loc = ReportedFigure.objects.filter(scope__name="Huyện Cao Lộc")
    assert cao_loc.get(indicator=Indicator.NGO_AID_VALUE).value == Decimal("134525000")
    assert cao_loc.get(indicator=Indicator.AID_VALUE, partner__name_en="The Global Fund").qualifier == Qualifier.OVER
    assert cao_loc.get(indicator=Indicator.AID_GIFTS).value == 241
    assert cao_loc.get(indicator=Indicator.SPONSORED_PUPILS).value == 20
    assert cao_loc.get(indicator=Indicator.OUTBOUND_PERSONS).qualifier == Qualifier.OVER
    assert cao_loc.filter(indicator=Indicator.OUTBOUND_DELEGATIONS, qualifier=Qualifier.ABOUT, value=20).exists()


def test_a_month_only_date_is_stored_with_month_precision(seeded):
    visit = Delegation.objects.get(partners__name_en="Laos")
    assert (visit.start_date, visit.date_precision) == (dt.date(2011, 10, 1), DatePrecision.MONTH)
    assert visit.direction == Direction.INBOUND


def test_the_foreign_ministers_visit_of_3_april_2024_is_recorded(seeded):
    visit = Delegation.objects.get(leader_name="Bùi Thanh Sơn")
    assert visit.start_date == dt.date(2024, 4, 3)
    assert visit.direction == Direction.DOMESTIC
    assert "Nguyễn Quốc Đoàn" in visit.received_by
    assert visit.size is None  # the article does not say how many came


def test_pingxiang_sits_under_chongzuo_under_guangxi_under_china(seeded):
    pingxiang = Partner.objects.get(name="Bằng Tường")
    assert (pingxiang.name_en, pingxiang.name_native) == ("Pingxiang", "凭祥市")
    assert [p.name_en for p in pingxiang.ancestors()] == ["China", "Guangxi Zhuang Autonomous Region", "Chongzuo"]
    guangxi = Partner.objects.get(name_en="Guangxi Zhuang Autonomous Region")
    assert {"Bằng Tường", "Ninh Minh", "Sùng Tả"} <= set(
        Partner.objects.subtree_of(guangxi).values_list("name", flat=True)
    )


def test_cao_loc_was_abolished_on_1_july_2025_and_succeeded_by_the_province(seeded):
    cao_loc = LocalUnit.objects.get(name="Huyện Cao Lộc")
    assert cao_loc.valid_to == dt.date(2025, 6, 30)
    assert cao_loc.successor.name == "UBND tỉnh Lạng Sơn"


@pytest.mark.parametrize("model", CITED_MODELS, ids=lambda m: m.__name__)
def test_every_seeded_record_cites_its_article(seeded, model):
    content_type = ContentType.objects.get_for_model(model)
    cited = set(Citation.objects.filter(content_type=content_type).values_list("object_id", flat=True))
    assert set(model.objects.values_list("pk", flat=True)) <= cited


def test_every_excerpt_is_a_verbatim_quote_of_its_source(seeded):
    for citation in Citation.objects.select_related("source"):
        assert citation.excerpt in citation.source.body or not citation.source.body, citation.pk
        assert citation.content_object is not None, citation.pk
    for reported in ReportedFigure.objects.select_related("source"):
        assert reported.excerpt in reported.source.body, reported.pk


def test_sources_keep_the_articles_text_byline_and_dates(seeded):
    articles = Source.objects.filter(kind="article")
    assert articles.count() == 5
    assert set(articles.values_list("author", flat=True)) >= {"Đức Anh", "Mai Văn Hoa", "Trịnh Tuyết Mai"}
    assert articles.get(published_on=dt.date(2022, 1, 28)).title.startswith("Huyện Cao Lộc thực hiện tốt")
    assert Source.objects.get(reference="26-CT/TU").published_on == dt.date(2008, 3, 17)


@pytest.mark.parametrize("model", [Delegation, Agreement, Project], ids=lambda m: m.__name__)
def test_seeded_records_are_approved_and_public(seeded, model):
    assert model.objects.count() > 0
    assert not model.objects.exclude(is_public=True, review_state=ReviewState.APPROVED).exists()


def test_every_seeded_row_passes_model_validation(seeded):
    for model in apps.get_models():
        if model._meta.app_label not in {"partners", "sources", "delegations", "agreements", "projects"}:
            continue
        if model.__name__.startswith("Historical"):
            continue  # the audit trail's own rows: written by django-simple-history, never by a form
        for obj in model.objects.all():
            obj.full_clean()


def test_stored_search_text_and_paths_match_what_save_computes(seeded):
    for model in (Partner, LocalUnit, CooperationMechanism, Source, Delegation, Agreement, Project):
        for obj in model.objects.all():
            assert obj.search_text == obj.build_search_text(), (model.__name__, obj.pk)
    for partner in Partner.objects.select_related("parent"):
        expected = (partner.parent.path if partner.parent else "/") + f"{partner.pk}/"
        assert partner.path == expected


def test_the_loaded_records_carry_their_vietnamese_sort_keys(seeded):
    """loaddata bypasses save(): the fixtures hold the keys, so the lists sort the
    articles' records in Vietnamese order from the first start."""
    from common.collation import vietnamese_key

    for model in (Partner, Delegation, Agreement, Project):
        for column, source in model.SORT_KEYS.items():
            rows = list(model.objects.values_list(column, source))
            assert rows and all(key == vietnamese_key(value) for key, value in rows), model
