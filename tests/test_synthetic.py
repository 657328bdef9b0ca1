"""generate_synthetic: the proportions the issue asks for, rows that satisfy
every constraint, and the same rows for the same seed."""

import hashlib
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F

from agreements import agreement_tally, signed_partner_tally
from agreements.models import Agreement
from common.collation import vietnamese_key
from delegations.models import Delegation, DelegationMember
from offices.models import OfficeProfile
from operations.synthetic import generate as generate_module
from operations.synthetic.generate import province_codes
from operations.synthetic.names import PROVINCES
from operations.synthetic.writers import set_aside_trigger_names
from partners.models import CooperationMechanism, LocalUnit, Partner, Sector
from projects import conversion_sql, project_tally, transaction_tally
from projects.models import ExchangeRate, Project, ProjectParticipant, Transaction
from register.publishable import ReviewState
from reports import tally
from tests.conftest import make_home_office

N = 200
GENERATED = (
    Transaction,
    ProjectParticipant,
    Project,
    Agreement,
    DelegationMember,
    Delegation,
    CooperationMechanism,
)


WIPED = (
    Delegation.partners.through,
    Agreement.partners.through,
    Agreement.fields.through,
    Project.locations.through,
    CooperationMechanism.partners.through,
    CooperationMechanism.local_units.through,
    *GENERATED,
)


def _wipe():
    """Remove what the module's run wrote, committed outside any test's
    transaction: one DELETE per table, children first, and the offices last
    (the demo's and the 33 others the run made)."""
    for model in WIPED:
        model.objects.all()._raw_delete(model.objects.db)
    Partner.objects.update(parent=None)
    LocalUnit.objects.update(parent=None, successor=None)
    for model in (Partner, LocalUnit, Sector, ExchangeRate, OfficeProfile):  # the generator's monthly rates too
        model.objects.all()._raw_delete(model.objects.db)


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One run of N delegations, seed 1, shared by the module's tests."""
    with django_db_blocker.unblock():
        # The wipe afterwards empties these tables: they must start empty.
        assert not any(model.objects.exists() for model in (*WIPED, Partner, LocalUnit, Sector, ExchangeRate))
        make_home_office()  # whose records they are (offices/records.py)
        out = StringIO()
        call_command("generate_synthetic", delegations=N, seed=1, stdout=out)
        yield out.getvalue()
        _wipe()


def _digest():
    """A hash of every generated row, without the ids the database sequences
    give to members, links, participants and transactions."""
    h = hashlib.sha256()
    for model in (Partner, LocalUnit, CooperationMechanism, Delegation, Agreement, Project):
        for row in model.objects.order_by("pk").values_list():
            h.update(repr(row).encode())
    children = (
        (DelegationMember, ("delegation_id", "order")),
        (ProjectParticipant, ("project_id", "role", "partner_id", "local_unit_id")),
        (Transaction, ("project_id", "date", "kind", "amount", "description")),
        (Delegation.partners.through, ("delegation_id", "partner_id")),
        (Project.locations.through, ("project_id", "localunit_id")),
    )
    for model, order in children:
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        for row in model.objects.order_by(*order).values_list(*fields):
            h.update(repr(row).encode())
    return h.hexdigest()


def _run_and_roll_back(seed):
    with transaction.atomic():
        call_command("generate_synthetic", delegations=30, seed=seed, stdout=StringIO())
        digest = _digest()
        transaction.set_rollback(True)
    return digest


@pytest.mark.django_db
def test_the_generator_makes_the_issues_proportions(generated):
    assert Delegation.objects.count() == N
    assert Agreement.objects.count() == N // 10
    assert Project.objects.count() == N // 5
    assert 4.5 <= DelegationMember.objects.count() / N <= 5.5
    assert 4 <= Transaction.objects.count() / Project.objects.count() <= 6
    assert Partner.objects.count() > 2000
    assert Partner.objects.filter(parent__isnull=False).count() > 1500


@pytest.mark.django_db
def test_local_units_come_from_all_34_provinces(generated):
    provinces = set(LocalUnit.objects.filter(kind="province").values_list("name", flat=True))
    assert provinces == {f"UBND tỉnh {name}" for name in PROVINCES}
    hosts = LocalUnit.objects.filter(delegations__isnull=False).values("pk").distinct().count()
    assert hosts > 100


@pytest.mark.django_db
def test_the_records_spread_over_the_provinces_each_its_units_and_most_in_the_home_one(generated):
    assert OfficeProfile.objects.count() == 34
    for model in (Delegation, Agreement, Project, CooperationMechanism, LocalUnit):
        assert not model.objects.filter(province=None).exists(), model
    # N delegations: enough for the weights to show (the few agreements and projects are left to chance).
    by_province = Counter(Delegation.objects.values_list("province", flat=True))
    assert len(by_province) > 20
    [(heaviest, _n)] = by_province.most_common(1)
    assert heaviest == make_home_office().province_code, by_province.most_common(3)
    # Every record is its unit's province's: a delegation its host's, the others their local unit's.
    assert not Delegation.objects.exclude(province=F("host_unit__province")).exists()
    assert not Agreement.objects.exclude(province=F("local_signatory__province")).exists()
    lead = ProjectParticipant.objects.filter(role=2)
    assert not lead.exclude(project__province=F("local_unit__province")).exists()
    assert not CooperationMechanism.objects.exclude(province=F("local_units__province")).exists()
    units = LocalUnit.objects.filter(kind="province")
    assert {u.name.removeprefix("UBND tỉnh "): u.province_id for u in units} == province_codes()


@pytest.mark.django_db
def test_every_sampled_record_passes_full_clean_and_carries_its_own_search_text(generated):
    for model in (Delegation, Agreement, Project, Partner, LocalUnit, CooperationMechanism):
        for record in model.objects.order_by("pk")[::7][:40]:
            record.full_clean()
            assert record.search_text == record.build_search_text(), (model, record.pk)
    for model in (DelegationMember, Transaction, ProjectParticipant):
        for row in model.objects.order_by("pk")[::11][:40]:
            row.full_clean()


@pytest.mark.django_db
def test_every_generated_sort_key_is_the_vietnamese_key_of_its_source(generated):
    for model in (Delegation, Agreement, Project, Partner):
        for column, source in model.SORT_KEYS.items():
            rows = model.objects.values_list(source, column)
            assert all(key == vietnamese_key(text) for text, key in rows), (model, column)


@pytest.mark.django_db
def test_a_delegation_names_no_more_members_than_its_size_with_one_leader(generated):
    rows = list(Delegation.objects.annotate(n=Count("members")).values_list("size", "n"))
    assert all(size is None or n <= size for size, n in rows)
    # Sizes as a source states them: some unknown, some larger than the names known.
    assert any(size is None for size, _n in rows) and any(size is not None and n < size for size, n in rows)
    assert DelegationMember.objects.filter(is_leader=True).count() == N


@pytest.mark.django_db
def test_only_approved_records_are_public_and_every_state_occurs(generated):
    for model in (Delegation, Agreement, Project):
        assert not model.objects.filter(is_public=True).exclude(review_state=ReviewState.APPROVED).exists()
    states = Counter(Delegation.objects.values_list("review_state", "is_public"))
    assert set(states) == {("approved", True), ("approved", False), ("submitted", False), ("draft", False)}


@pytest.mark.django_db
def test_dates_span_thirty_years_mostly_to_the_day(generated):
    days = list(Delegation.objects.values_list("start_date", "date_precision"))
    assert all(date(1996, 1, 1) <= d <= date(2025, 12, 31) for d, _p in days)
    assert min(d for d, _p in days).year < 2006 and max(d for d, _p in days).year > 2018
    assert sum(p == "day" for _d, p in days) > 0.7 * len(days)


@pytest.mark.django_db
def test_partner_paths_follow_the_hierarchy(generated):
    by_id = {p.pk: p for p in Partner.objects.all()}
    for partner in by_id.values():
        parent_path = by_id[partner.parent_id].path if partner.parent_id else "/"
        assert partner.path == f"{parent_path}{partner.pk}/"


@pytest.mark.django_db
def test_one_partner_has_very_many_records(generated):
    guangxi = Partner.objects.get(name="Khu tự trị dân tộc Choang Quảng Tây")
    assert Delegation.objects.involving(guangxi).count() > N // 20


@pytest.mark.django_db
def test_names_carry_vietnamese_diacritics_and_search_finds_them_without(generated):
    member = DelegationMember.objects.filter(name__startswith="Nguyễn").first()
    assert member is not None
    leader = Delegation.objects.exclude(leader_name="").first()
    assert any(ord(ch) > 127 for ch in leader.title)
    found = Delegation.objects.search(leader.leader_name.replace("ễ", "e").lower())
    assert leader in found


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows_and_another_seed_others(generated):
    first, again, other = _run_and_roll_back(7), _run_and_roll_back(7), _run_and_roll_back(8)
    assert first == again
    assert first != other


@pytest.mark.django_db
def test_a_dry_run_prints_the_plan_and_writes_nothing(generated):
    before = Delegation.objects.count(), Partner.objects.count()
    out = StringIO()
    call_command("generate_synthetic", delegations=1000, dry_run=True, stdout=out)
    assert ["agreements", "100"] in [line.split() for line in out.getvalue().splitlines()]
    assert "Dry run: nothing written." in out.getvalue()
    assert (Delegation.objects.count(), Partner.objects.count()) == before


@pytest.mark.django_db
def test_records_saved_after_a_run_get_ids_past_the_generated_ones(generated):
    last = Delegation.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert Delegation.objects.create(title="Đoàn nhập tay").pk > last
    partner = Partner.objects.create(name="Đối tác mới", kind="other")
    assert partner.pk > Partner.objects.exclude(pk=partner.pk).order_by("-pk").first().pk


@pytest.mark.django_db
def test_the_generated_dong_values_are_the_ones_its_rates_give(generated, settings):
    # Whether loaded with the triggers (SQLite) or by COPY with them off (PostgreSQL),
    # nothing differs from the derivation (projects/conversion_sql.py).
    with connection.cursor() as cursor:
        for sql in conversion_sql.rederive_statements(connection.vendor, settings.EXCHANGE_RATE_MAX_AGE_DAYS):
            cursor.execute(sql)
            assert cursor.rowcount == 0, sql
    foreign = Transaction.objects.exclude(currency="VND")
    assert foreign.filter(amount_vnd__isnull=False, rate_date__isnull=False).exists()


@pytest.mark.django_db
def test_the_search_index_is_rebuilt_and_its_triggers_are_back_after_a_sqlite_load(generated):
    """The generator sets SQLite's search triggers aside with the tallies' and rebuilds
    the index at the end (operations/synthetic/writers.py): FTS5's own check finds it
    in step with every table, and a record saved afterwards is indexed by its trigger."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's search index (register/search_sql.py)")
    from register import search_sql

    with connection.cursor() as cursor:
        for table in search_sql.TABLES:
            fts = search_sql.fts_table(table)
            cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")  # noqa: S608
        names = [name for table in search_sql.TABLES for name in search_sql.trigger_names(table)]
        cursor.execute(
            f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({', '.join(['%s'] * len(names))})",  # noqa: S608
            names,
        )
        assert cursor.fetchone() == (len(names),)
    last = Delegation.objects.order_by("-pk").first()
    word = max(last.search_text.split(), key=len)
    assert len(word) >= 3 and last in Delegation.objects.search(word)


TALLIES = (tally, transaction_tally, project_tally, agreement_tally, signed_partner_tally)


@pytest.mark.django_db
def test_after_a_run_every_tally_equals_a_recount_from_scratch(generated):
    # SQLite loads with the tally triggers set aside and recounts at the end,
    # PostgreSQL with them skipped (fast load) or running: either way the tallies
    # hold what the triggers, row by row, would have left.
    for module in TALLIES:
        assert module.differences() == [], module.__name__


def _triggers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite load sets its tally triggers aside")
@pytest.mark.django_db
def test_a_run_on_sqlite_puts_every_trigger_back_as_it_was(generated):
    before = _triggers()
    assert {name for name, _t, _sql in before} >= set(set_aside_trigger_names())
    with transaction.atomic():
        call_command("generate_synthetic", delegations=30, seed=3, stdout=StringIO())
        assert _triggers() == before
        for module in TALLIES:
            assert module.differences() == [], module.__name__
        transaction.set_rollback(True)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite load sets its tally triggers aside")
@pytest.mark.django_db
def test_a_run_that_fails_on_sqlite_leaves_the_triggers_and_writes_nothing(generated, monkeypatch):
    before, delegations = _triggers(), Delegation.objects.count()

    def fail(self, kind, total):
        assert not {name for name, _t, _sql in _triggers()} & set(set_aside_trigger_names())  # set aside meanwhile
        raise RuntimeError("stopped mid-load")

    monkeypatch.setattr(generate_module.Generator, "blocks", fail)
    with pytest.raises(RuntimeError, match="stopped mid-load"):
        call_command("generate_synthetic", delegations=30, seed=4, stdout=StringIO())
    assert _triggers() == before
    assert Delegation.objects.count() == delegations
