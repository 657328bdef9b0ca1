"""The run: reference rows first, then delegations, agreements and projects
block by block, with progress lines and a final VACUUM (ANALYZE) on PostgreSQL (ANALYZE on SQLite).

On PostgreSQL, worker processes make the blocks' COPY text while this process
streams the previous block to the server: the two cores stay busy."""

import multiprocessing
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Max

from agreements import agreement_tally, signed_partner_tally
from agreements.models import Agreement
from delegations.models import Delegation, DelegationMember
from offices.models import OfficeProfile
from offices.profile import forget_profile
from offices.provinces import names_match, provinces
from offices.records import home_province
from offices.services import defaults_for
from partners.models import CooperationMechanism, LocalUnit, Partner, Sector
from projects import conversion_sql, iati_lacks_sql, project_tally, transaction_tally
from projects.models import ExchangeRate, Project, ProjectParticipant, Transaction
from register.tallies import run as tally_run
from reports import tally

from . import rows as R
from .names import DEMO_PROVINCE, PROVINCES
from .places import local_unit_rows, partner_rows
from .writers import (
    CopyWriter,
    InsertWriter,
    check_columns,
    check_references,
    copy_text,
    fast_load,
    reset_sequences,
    sqlite_bulk_session,
    tallies_set_aside,
)


def home_name(codes):
    """The name (of names.PROVINCES) of the province whose units get the most records:
    the database's only office's (``start_province``, ``seed_demo``), else the demo's
    (no office yet, or the 34 a previous run made). ``codes``: province_codes()."""
    code = home_province()
    return next((name for name, c in codes.items() if c == code), DEMO_PROVINCE)


def province_codes():
    """Each name of names.PROVINCES -> its code in the 2025 list ("Cao Bằng" -> "04")."""
    listed = provinces().values()
    codes = {}
    for name in PROVINCES:
        found = [p.code for p in listed if names_match(p, name)]
        if len(found) != 1:
            raise RuntimeError(f"{name}: {len(found)} provinces of the 2025 list bear this name")
        codes[name] = found[0]
    return codes


def make_offices(codes):
    """The office of each province that has none yet, with its derived names
    (offices.services.defaults_for), checked and created in one go: every
    generated record belongs to its unit's province (docs/PROVINCES.md, step 7).
    Returns how many were created."""
    have = set(OfficeProfile.objects.values_list("province_code", flat=True))
    missing = [OfficeProfile(**defaults_for(provinces()[code])) for code in codes.values() if code not in have]
    for office in missing:
        office.full_clean()
    OfficeProfile.objects.bulk_create(missing)
    if missing:
        forget_profile()  # bulk_create sends no post_save: the cached "only office" is stale now
    return len(missing)


SECTORS = (
    ("11220", "Giáo dục tiểu học", "Primary education"),
    ("12220", "Y tế cơ bản", "Basic health care"),
    ("14030", "Nước sạch và vệ sinh", "Water supply and sanitation"),
    ("21020", "Giao thông đường bộ", "Road transport"),
    ("31120", "Phát triển nông nghiệp", "Agricultural development"),
    ("33110", "Chính sách thương mại", "Trade policy"),
)

# Each block's outputs, in the order block functions return them: (model, columns).
DELEGATION_TABLES = (
    (Delegation, R.DELEGATION_COLUMNS),
    (DelegationMember, R.MEMBER_COLUMNS),
    (Delegation.partners.through, ("delegation_id", "partner_id")),
)
AGREEMENT_TABLES = (
    (Agreement, R.AGREEMENT_COLUMNS),
    (Agreement.partners.through, ("agreement_id", "partner_id")),
    (Agreement.fields.through, ("agreement_id", "sector_id")),
)
PROJECT_TABLES = (
    (Project, R.PROJECT_COLUMNS),
    (Project.locations.through, ("project_id", "localunit_id")),
    (ProjectParticipant, R.PARTICIPANT_COLUMNS),
    (Transaction, R.TRANSACTION_COLUMNS),
)
# Every table the generator writes, for the final check of references.
LOADED = (
    LocalUnit, Partner, CooperationMechanism.partners.through, CooperationMechanism.local_units.through,
    *(model for tables in (DELEGATION_TABLES, AGREEMENT_TABLES, PROJECT_TABLES) for model, _c in tables),
)  # fmt: skip
KINDS = {
    "delegation": (R.delegation_block, DELEGATION_TABLES),
    "agreement": (R.agreement_block, AGREEMENT_TABLES),
    "project": (R.project_block, PROJECT_TABLES),
}


@dataclass
class Plan:
    delegations: int

    @property
    def agreements(self):
        return self.delegations // 10

    @property
    def projects(self):
        return self.delegations // 5

    @property
    def mechanisms(self):
        return max(5, min(500, self.delegations // 2000))

    def lines(self):
        n = self.delegations
        return [
            f"delegations      {n:>12,}",
            f"members         ~{5 * n:>12,}  (1 to 9 each, mean 5, no more than the size)",
            f"agreements       {self.agreements:>12,}",
            f"projects         {self.projects:>12,}",
            f"transactions    ~{5 * self.projects:>12,}  (1 to 9 per project, mean 5)",
            f"mechanisms       {self.mechanisms:>12,}",
            "partners and local units: a fixed hierarchy of a few thousand rows",
        ]


_CTX = None  # the Context, inherited by forked workers


def _make_block(task):
    kind, number, count = task
    block_fn, _tables = KINDS[kind]
    return [copy_text(part) for part in block_fn(_CTX, number, count)]


class Generator:
    def __init__(self, plan, seed, out, jobs=1):
        self.plan, self.seed, self.out, self.jobs = plan, seed, out, jobs
        self.copy = connection.vendor == "postgresql"
        self.writer = CopyWriter() if self.copy else InsertWriter()
        self.totals = {}
        self.started = time.monotonic()

    def say(self, text):
        self.out(f"[{time.monotonic() - self.started:7.1f}s] {text}")

    def run(self):
        for _kind, (_fn, tables) in KINDS.items():
            for model, columns in tables:
                check_columns(model, columns)
        first = {
            name: (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
            for name, model in (("partner", Partner), ("unit", LocalUnit), ("mechanism", CooperationMechanism),
                                ("delegation", Delegation), ("agreement", Agreement), ("project", Project))
        }  # fmt: skip
        sector_ids = self.sectors()
        fast = False
        if connection.vendor == "sqlite":
            # The tally triggers, row by row, slow down as the tallies fill: set aside
            # for the load and recounted once at the end (writers.tallies_set_aside).
            with sqlite_bulk_session(), tallies_set_aside(self.recount_tallies):
                self.load(first, sector_ids)
        else:
            fast = self.copy and fast_load(True)
            try:
                self.load(first, sector_ids)
            finally:
                if fast:
                    fast_load(False)
        reset_sequences([LocalUnit, Partner, CooperationMechanism, Delegation, Agreement, Project])
        if fast:
            # The fast load skipped the triggers that keep the tallies exact: recount them from the rows now.
            self.recount_tallies()
            # The đồng values the rows carry are the derivation's (rows.converted); should a
            # rate have been there before with another value, the database's derivation wins.
            # (SQLite kept the derivation's triggers on: nothing to redo there.)
            tally_run(lambda vendor: conversion_sql.rederive_statements(vendor, settings.EXCHANGE_RATE_MAX_AGE_DAYS))
        if self.copy:
            self.say("checking every foreign key of the loaded tables")
            problems = check_references(LOADED)
            if problems:
                raise RuntimeError("dangling references: " + "; ".join(problems))
            # VACUUM sets the visibility map, without which PostgreSQL's index-only
            # scans (the lists' capped counts, the tallies) still read every row
            # from the table. It cannot run inside a transaction (the tests').
            statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            self.say(statement)
            with connection.cursor() as cursor:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            # The statistics SQLite's planner needs to walk a list's index rather than
            # take a direction's every row (common/sqlite_backend/base.py).
            self.say("ANALYZE")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.say("done: " + ", ".join(f"{k} {v:,}" for k, v in self.totals.items()))
        return self.totals

    def recount_tallies(self):
        """Recount every trigger-kept tally the generated rows feed, from the rows:
        after a load that skipped their triggers (PostgreSQL's fast load, SQLite's
        tallies set aside). Each is a few set-based statements."""
        self.say("recounting the tallies")
        started = time.monotonic()
        tally.rebuild()  # reports/tally.py: the delegation and the partner tallies
        transaction_tally.rebuild()  # projects/transaction_tally.py
        project_tally.rebuild()  # projects/project_tally.py
        agreement_tally.rebuild()  # agreements/agreement_tally.py
        signed_partner_tally.rebuild()  # agreements/signed_partner_tally.py
        iati_lacks_sql.rebuild()  # projects/iati_lacks_sql.py: what each project lacks for the IATI file
        self.say(f"tallies recounted in {time.monotonic() - started:.1f}s")

    def load(self, first, sector_ids):
        global _CTX
        codes = province_codes()
        home = home_name(codes)  # read before the offices are made: then there are 34
        created = make_offices(codes)
        units = local_unit_rows(first["unit"], home=home, codes=codes)
        self.write_nodes(LocalUnit, units)
        partners = partner_rows(first["partner"])
        self.write_nodes(Partner, partners)
        self.say(
            f"{created} office profiles made, {len(units):,} local units in 34 provinces "
            f"(most records in {home}), {len(partners):,} partners"
        )
        # The rates first: the amounts are derived from them as they arrive (or checked after a fast load).
        ExchangeRate.objects.bulk_create(
            [ExchangeRate(currency=c, date=day, vnd_per_unit=rate) for c, day, rate in R.rate_rows()],
            ignore_conflicts=True,
        )
        _CTX = R.Context(
            self.seed,
            partners,
            units,
            [],
            sector_ids,
            first,
            rate_max_age=settings.EXCHANGE_RATE_MAX_AGE_DAYS,
        )
        mechanism_ids = self.mechanisms(first["mechanism"])
        _CTX.mechanism_ids = mechanism_ids
        self.blocks("delegation", self.plan.delegations)
        self.blocks("agreement", self.plan.agreements)
        self.blocks("project", self.plan.projects)

    def sectors(self):
        ids = list(Sector.objects.order_by("pk").values_list("pk", flat=True))
        if not ids:
            Sector.objects.bulk_create(Sector(code=c, name=n, name_en=e) for c, n, e in SECTORS)
            ids = list(Sector.objects.order_by("pk").values_list("pk", flat=True))
        return ids

    def write_nodes(self, model, nodes):
        columns = tuple(nodes[0].values)
        check_columns(model, columns)
        self.writer.write(model, columns, [tuple(n.values.values()) for n in nodes])
        self.totals[model._meta.db_table] = len(nodes)

    def mechanisms(self, first_id):
        rng = R.block_rng(self.seed, "mechanism", 0)
        rows, partner_links, unit_links = [], [], []
        for i in range(self.plan.mechanisms):
            pk = first_id + i
            partner, unit = _CTX.partner(rng), _CTX.unit(rng)
            pname, uname = _CTX.partner_name[partner], _CTX.unit_name[unit]
            name = f"Cơ chế hội đàm định kỳ giữa {uname} và {pname}"
            day = R.random_day(rng)
            folded_name = f"co che hoi dam dinh ky giua {R.folded(uname)} va {R.folded(pname)}"
            # Reference data, reviewed and published like the seeded rows (issue 13).
            rows.append(
                (pk, name, "", "", day, "day", rng.random() < 0.8, folded_name, True, "approved", _CTX.code_of[unit])
            )
            partner_links.append((pk, partner))
            unit_links.append((pk, unit))
        cols = (
            "id",
            "name",
            "name_en",
            "description",
            "established_on",
            "established_precision",
            "is_active",
            "search_text",
            "is_public",
            "review_state",
            "province",
        )
        check_columns(CooperationMechanism, cols)
        self.writer.write(CooperationMechanism, cols, rows)
        self.writer.write(
            CooperationMechanism.partners.through, ("cooperationmechanism_id", "partner_id"), partner_links
        )
        self.writer.write(
            CooperationMechanism.local_units.through, ("cooperationmechanism_id", "localunit_id"), unit_links
        )
        self.totals["mechanisms"] = len(rows)
        return [r[0] for r in rows]

    def blocks(self, kind, total):
        block_fn, tables = KINDS[kind]
        tasks = [(kind, b, min(R.BLOCK, total - b * R.BLOCK)) for b in range((total + R.BLOCK - 1) // R.BLOCK)]
        counts = [0] * len(tables)
        started, done = time.monotonic(), 0
        block_started = started
        if self.copy and self.jobs > 0:
            pool = multiprocessing.get_context("fork").Pool(self.jobs)
            results = pool.imap(_make_block, tasks)
        else:
            pool, results = None, (block_fn(_CTX, number, count) for _kind, number, count in tasks)
        try:
            for (_kind, _number, count), parts in zip(tasks, results, strict=True):
                for i, ((model, columns), part) in enumerate(zip(tables, parts, strict=True)):
                    if isinstance(part, str):
                        self.writer.send(model, columns, part)
                        counts[i] += part.count("\n")
                    else:
                        self.writer.write(model, columns, part)
                        counts[i] += len(part)
                done += count
                now = time.monotonic()
                elapsed, block = now - started, now - block_started
                block_started = now
                # A line per block with its own time: a rate that falls as the tables
                # grow shows at once (issue 20), not averaged away.
                rate = sum(counts) / elapsed if elapsed else 0
                detail = ", ".join(f"{m._meta.db_table} {c:,}" for (m, _cols), c in zip(tables, counts, strict=True))
                self.say(f"{kind}s {done:,}/{total:,} ({detail}) {rate:,.0f} rows/s, this block {block:.1f}s")
        finally:
            if pool is not None:
                pool.close()
                pool.join()
        for (model, _cols), c in zip(tables, counts, strict=True):
            self.totals[model._meta.db_table] = self.totals.get(model._meta.db_table, 0) + c
