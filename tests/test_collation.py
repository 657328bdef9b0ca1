"""Vietnamese alphabetical order (common/collation.py) and the sort-key columns that
carry it (common/sort_keys.py): a record's ``title_sort``, a partner's ``name_sort``,
kept on every save and bulk write, filled by the migrations, written by the
synthetic generator the same way, and read wherever partners come by name."""

import pytest

from agreements.models import Agreement
from common.collation import vietnamese_key
from common.sort_keys import fill_sort_key
from common.title_sort import fill_title_sort
from delegations.models import Delegation
from operations.synthetic.rows import title_key
from partners.models import Partner, PartnerKind
from projects.models import Project, ProjectKind
from reports.selectors_dossier import partner_dossier

# In the order a Vietnamese dictionary gives them.
DICTIONARY_ORDER = [
    "A1",
    "an",
    "ăn",
    "âm",
    "ba",
    "bà",
    "bả",
    "bã",
    "bá",
    "bạ",
    "bác",
    "Dự án phòng chống HIV",
    "Dự án Quỹ toàn cầu",
    "dzô",
    "Đoàn công tác",
    "Hà Nội",
    "Hạ Long",
    "oi",
    "ôi",
    "ơi",
    "Tổng Bí thư",
    "uy",
    "ưu",
    "Zeta",
]


def test_the_key_sorts_words_as_a_vietnamese_dictionary_does():
    shuffled = sorted(DICTIONARY_ORDER, key=lambda text: text[::-1])
    assert sorted(shuffled, key=vietnamese_key) == DICTIONARY_ORDER


def test_case_and_punctuation_do_not_change_the_order():
    assert vietnamese_key("“Dự án QUỸ”") == vietnamese_key("dự án quỹ")
    assert vietnamese_key("Hà Nội - Lạng Sơn") == vietnamese_key("hà nội lạng sơn")
    assert vietnamese_key("") == vietnamese_key(None) == ""


def test_d_with_stroke_comes_after_every_d():
    assert vietnamese_key("Dzung") < vietnamese_key("Đa") < vietnamese_key("E")


@pytest.mark.django_db
def test_saving_a_record_keeps_its_title_sort():
    delegation = Delegation.objects.create(title="Đoàn công tác")
    assert delegation.title_sort == vietnamese_key("Đoàn công tác")

    delegation.title = "Tổng Bí thư"
    delegation.save(update_fields=["title"])
    delegation.refresh_from_db()
    assert delegation.title_sort == vietnamese_key("Tổng Bí thư")


@pytest.mark.django_db
def test_bulk_writes_keep_title_sort_too():
    Project.objects.bulk_create([Project(kind=ProjectKind.ODA, title="Ăn uống")])
    project = Project.objects.get()
    assert project.title_sort == vietnamese_key("Ăn uống")

    project.title = "Ấp chiến lược"
    Project.objects.bulk_update([project], ["title"])
    project.refresh_from_db()
    assert project.title_sort == vietnamese_key("Ấp chiến lược")


@pytest.mark.django_db
def test_the_migration_fill_writes_every_row_in_batches():
    titles = ["Đoàn một", "Bản ghi nhớ", "Thỏa thuận"]
    for title in titles:
        Agreement.objects.create(title=title, kind="mou")
    Agreement.objects.update(title_sort="")

    assert fill_title_sort(Agreement, "default", batch=2) == 3

    assert {a.title: a.title_sort for a in Agreement.objects.all()} == {t: vietnamese_key(t) for t in titles}


@pytest.mark.django_db
def test_a_large_table_has_its_indexes_rebuilt_after_the_fill(monkeypatch):
    """Past REINDEX_FROM rows, PostgreSQL rebuilds the table's indexes (each held an
    entry for every row's old version); SQLite, whose indexes do not bloat so, does not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from common import sort_keys

    for title in ("Đoàn một", "Bản ghi nhớ"):
        Agreement.objects.create(title=title, kind="mou")
    monkeypatch.setattr(sort_keys, "REINDEX_FROM", 2)
    with CaptureQueriesContext(connection) as queries:
        fill_title_sort(Agreement, "default")
    reindexed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("REINDEX")]
    assert reindexed == (['REINDEX TABLE "agreements_agreement"'] if connection.vendor == "postgresql" else [])
    monkeypatch.setattr(sort_keys, "REINDEX_FROM", 3)
    with CaptureQueriesContext(connection) as queries:
        fill_title_sort(Agreement, "default")
    assert not any(q["sql"].startswith("REINDEX") for q in queries.captured_queries)


def test_the_generator_joins_the_keys_of_a_titles_pieces():
    pieces = ("Dự án ODA", "Nâng cấp đường giao thông nông thôn", "tại tỉnh", "Lạng Sơn")
    assert title_key(*pieces) == vietnamese_key(f"{pieces[0]}: {' '.join(pieces[1:])}")
    assert title_key("Đoàn", "", "tại", "Bằng Tường") == vietnamese_key("Đoàn tại Bằng Tường")


# Partners by name -------------------------------------------------------------------------

# By code point: Anh, Dương, Zambia, Ấn Độ, Đức (Â and Đ come after Z).
PARTNER_NAMES = ["anh", "Ấn Độ", "Dương", "Đức", "Zambia"]


def partners_named(*names, **fields):
    return [Partner.objects.create(name=name, kind=fields.pop("kind", PartnerKind.COUNTRY), **fields) for name in names]


@pytest.mark.django_db
def test_saving_a_partner_keeps_its_name_sort():
    partner = Partner.objects.create(name="Đức", kind=PartnerKind.COUNTRY)
    assert partner.name_sort == vietnamese_key("Đức")

    partner.name = "Ấn Độ"
    partner.save(update_fields=["name"])
    partner.refresh_from_db()
    assert partner.name_sort == vietnamese_key("Ấn Độ")


@pytest.mark.django_db
def test_bulk_writes_keep_name_sort_too():
    Partner.objects.bulk_create([Partner(name="Ăn Khê", kind=PartnerKind.TOWN)])
    partner = Partner.objects.get()
    assert partner.name_sort == vietnamese_key("Ăn Khê")

    partner.name = "Đồng Đăng"
    Partner.objects.bulk_update([partner], ["name"])
    partner.refresh_from_db()
    assert partner.name_sort == vietnamese_key("Đồng Đăng")


@pytest.mark.django_db
def test_the_migration_fill_writes_every_partners_name_sort():
    partners_named(*PARTNER_NAMES)
    Partner.objects.update(name_sort="")

    assert fill_sort_key(Partner, "default", "name_sort", "name", batch=2) == len(PARTNER_NAMES)

    assert {p.name: p.name_sort for p in Partner.objects.all()} == {n: vietnamese_key(n) for n in PARTNER_NAMES}


@pytest.mark.django_db
def test_partners_come_in_vietnamese_order_by_default():
    partners_named(*reversed(PARTNER_NAMES))

    assert [p.name for p in Partner.objects.all()] == PARTNER_NAMES


@pytest.mark.django_db
def test_the_dossier_lists_a_partners_children_in_vietnamese_order(official):
    (country,) = partners_named("Trung Quốc", country="CN")
    partners_named(*reversed(PARTNER_NAMES), kind=PartnerKind.REGION, country="CN", parent=country)

    dossier = partner_dossier(country, official)

    assert [child.name for child in dossier.children] == PARTNER_NAMES


@pytest.mark.django_db
def test_the_admin_lists_and_suggests_partners_in_vietnamese_order(staff_client):
    partners_named(*reversed(PARTNER_NAMES))

    listed = staff_client.get("/admin/partners/partner/").context["cl"].result_list
    assert [p.name for p in listed] == PARTNER_NAMES
    # Column 1: since partners are reviewed (issue 13) the list has the review actions' checkbox first.
    by_header = staff_client.get("/admin/partners/partner/", {"o": "-1"}).context["cl"].result_list
    assert [p.name for p in by_header] == PARTNER_NAMES[::-1]
    suggested = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "delegations", "model_name": "delegation", "field_name": "partners", "term": ""},
    ).json()["results"]
    assert [row["text"] for row in suggested] == PARTNER_NAMES
