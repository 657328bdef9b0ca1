"""Row generators, one block at a time.

A block (``BLOCK`` delegations, or agreements, or projects) draws from its own
random.Random seeded by (seed, table, block number), so a block's rows never
depend on how many blocks ran before it or in which process: the same --seed
gives the same rows. Records carry ids given here; child and link rows get
theirs from the database sequence, in block order."""

import random
from datetime import UTC, date, datetime, timedelta

from common.collation import vietnamese_key
from delegations.stage_fields import stage_for_status

from .names import (
    AGREEMENT_TOPICS,
    CHINESE_FAMILY,
    CHINESE_GIVEN,
    FAMILY,
    FOREIGN_POSITIONS,
    GIVEN,
    LEADER_POSITIONS,
    MIDDLE,
    OUTCOMES,
    POSITIONS,
    PROJECT_OUTPUTS,
    PROJECT_TOPICS,
    PURPOSE_PHRASES,
    TRANSACTION_NOTES,
    folded,
)

BLOCK = 5000
FIRST_DAY = date(1996, 1, 1).toordinal()
DAYS = date(2025, 12, 31).toordinal() - FIRST_DAY + 1
# (review_state, is_public) and weights: public only when approved (the DB constraint).
REVIEW = (("approved", True), ("approved", False), ("submitted", False), ("draft", False))
REVIEW_WEIGHTS = (55, 15, 10, 20)
PRECISIONS, PRECISION_WEIGHTS = ("day", "month", "year"), (85, 10, 5)
DIRECTIONS, DIRECTION_WEIGHTS = ("out", "in", "domestic", ""), (45, 45, 8, 2)
PURPOSES = tuple(PURPOSE_PHRASES)
LEVELS = ("state", "central", "provincial", "department", "district", "commune", "other", "")
FUNDINGS = ("state_budget", "host", "project", "self", "mixed", "")
# đồng per unit, fixed: the generator writes them as a rate on the first of each
# month up to LAST_RATE (rate_rows), and each amount with the đồng value the
# database derives from them (projects/conversion_sql.py): ``converted``.
RATES = {"VND": 1, "USD": 24000, "EUR": 26000, "JPY": 170, "CNY": 3300, "KRW": 18, "AUD": 16000, "GBP": 30000}
CURRENCIES = tuple(RATES)
LAST_RATE = date(2025, 12, 1)


def rate_rows():
    """(currency, date, đồng per unit) on the first of every month of the generated years."""
    months = [date(year, month, 1) for year in range(1996, LAST_RATE.year + 1) for month in range(1, 13)]
    return [(c, day, rate) for c, rate in RATES.items() if c != "VND" for day in months if day <= LAST_RATE]


def converted(amount, currency, on, max_age):
    """(rate_date, vnd_rate, đồng value) as the database derives them from rate_rows():
    the latest monthly rate on or before ``on``, used when at most ``max_age`` days old."""
    if currency == "VND":
        return None, None, amount
    rate_date = min(on.replace(day=1), LAST_RATE)
    vnd = amount * RATES[currency] if (on - rate_date).days <= max_age else None
    return rate_date, RATES[currency], vnd


DELEGATION_COLUMNS = (
    "id", "direction", "title", "purpose", "level", "start_date", "end_date", "date_precision", "host_unit_id",
    "leader_name", "leader_title", "size", "places", "received_by", "mechanism_id", "decision_ref", "funding",
    "status", "outcome", "search_text", "title_sort", "is_public", "review_state", "created_at", "updated_at",
    "province",
    # The working stage (delegations/stage_fields.py), the one the status stands for; a past trip is closed,
    # so no synthetic row asks for a result report or a passport back. No plan line, decision or report papers.
    "stage", "stage_reason", "stage_changed_at", "decision_date", "decision_signer", "decision_file",
    "reception_plan", "reception_plan_file", "returned_on", "report_received_on", "report_file", "report_summary",
    "plan_line_id",
)  # fmt: skip
MEMBER_COLUMNS = ("delegation_id", "name", "position", "organisation", "is_leader", "order")
AGREEMENT_COLUMNS = (
    "id", "title", "code", "kind", "regime", "signing_level", "local_signatory_id", "signed_on", "date_precision",
    "signed_place", "effective_on", "expires_on", "status", "summary", "document", "mofa_opinion_requested_on",
    "mofa_opinion_on", "succeeded_by_id", "search_text", "title_sort", "is_public", "review_state", "created_at",
    "updated_at", "province",
)  # fmt: skip
PROJECT_COLUMNS = (
    "id", "kind", "code", "title", "sector_id", "status", "planned_start", "planned_end", "actual_start",
    "actual_end", "date_precision", "description", "outputs", "committed_amount", "currency", "committed_vnd",
    "rate_date", "vnd_rate", "search_text", "title_sort", "is_public", "review_state", "created_at", "updated_at",
    "province",
)  # fmt: skip
PARTICIPANT_COLUMNS = ("project_id", "partner_id", "local_unit_id", "role")
TRANSACTION_COLUMNS = (
    "project_id", "kind", "date", "date_precision", "amount", "currency", "value_date", "amount_vnd",
    "rate_date", "vnd_rate", "provider_id", "receiver_id", "description",
)  # fmt: skip


FUNDER_KINDS = ("international_org", "bank", "government_body", "ngo", "company")


def block_rng(seed, table, number):
    return random.Random(f"{seed}:{table}:{number}")  # noqa: S311 - synthetic data, reproducible on purpose


class Context:
    """What every block draws from: the reference rows' ids and names, with
    cumulative weights for skewed picks, and the first id of each record table."""

    def __init__(self, seed, partners, units, mechanism_ids, sector_ids, first_ids, rate_max_age=31):
        self.seed = seed
        self.rate_max_age = rate_max_age
        self.partner_ids = [p.id for p in partners]
        self.partner_cum = _cumulative(p.weight for p in partners)
        self.partner_name = {p.id: p.values["name"] for p in partners}
        self.partner_country = {p.id: p.values["country"] for p in partners}
        self.funders = [p.id for p in partners if p.values["kind"] in FUNDER_KINDS]
        self.unit_ids = [u.id for u in units]
        self.unit_cum = _cumulative(u.weight for u in units)
        self.unit_name = {u.id: u.values["name"] for u in units}
        self.province_of = _provinces(units)
        # Unit id -> its province's code ("04"): a record belongs to the province of
        # its host or local unit (offices/records.py, docs/PROVINCES.md step 7).
        self.code_of = {u.id: u.values["province"] for u in units}
        self.mechanism_ids = list(mechanism_ids) or [None]
        self.sector_ids = list(sector_ids) or [None]
        self.first_ids = first_ids
        names = random.Random(f"{seed}:names")  # noqa: S311 - synthetic data, reproducible on purpose
        family = [f for f, _w in FAMILY]
        family_cum = _cumulative(w for _f, w in FAMILY)
        self.vn_names = [
            f"{names.choices(family, cum_weights=family_cum)[0]} {names.choice(MIDDLE)} {names.choice(GIVEN)}"
            for _ in range(20000)
        ]
        self.cn_names = [f"{f} {g}" for f in CHINESE_FAMILY for g in CHINESE_GIVEN]

    def partner(self, rng):
        return rng.choices(self.partner_ids, cum_weights=self.partner_cum)[0]

    def unit(self, rng):
        return rng.choices(self.unit_ids, cum_weights=self.unit_cum)[0]


def _cumulative(weights):
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _provinces(units):
    """Unit id -> the name of its province ("Cao Bằng"), from its top ancestor."""
    by_id = {u.id: u for u in units}
    out = {}
    for u in units:
        top = u
        while top.values["parent_id"] is not None:
            top = by_id[top.values["parent_id"]]
        out[u.id] = top.values["name"].split("tỉnh ", 1)[-1].split("Tỉnh ủy ", 1)[-1]
    return out


def random_day(rng):
    """A day in 1996-2025, more of them in recent years (the register grows)."""
    return date.fromordinal(FIRST_DAY + int((rng.random() ** 0.7) * DAYS))


def with_precision(day, precision):
    if precision == "year":
        return day.replace(month=1, day=1)
    if precision == "month":
        return day.replace(day=1)
    return day


def stamp(day):
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


def blob(*pairs):
    """search_blob() of the texts whose folded forms are given: (text, folded) pairs."""
    return "\n".join(f for t, f in pairs if t)


_KEYS = {}


def title_key(*pieces):
    """vietnamese_key() of the pieces joined by spaces, each piece's key computed
    once: the key of a text is its syllables' keys, so the pieces' keys join."""
    keys = []
    for piece in pieces:
        key = _KEYS.get(piece)
        if key is None:
            key = _KEYS[piece] = vietnamese_key(piece)
        if key:
            keys.append(key)
    return " ".join(keys)


def delegation_block(ctx, number, count):
    """``count`` delegations from block ``number``: (delegations, members, partner links)."""
    rng = block_rng(ctx.seed, "delegation", number)
    first = ctx.first_ids["delegation"] + number * BLOCK
    delegations, members, links = [], [], []
    review = rng.choices(REVIEW, weights=REVIEW_WEIGHTS, k=count)
    precision = rng.choices(PRECISIONS, weights=PRECISION_WEIGHTS, k=count)
    direction = rng.choices(DIRECTIONS, weights=DIRECTION_WEIGHTS, k=count)
    vn, cn = ctx.vn_names, ctx.cn_names
    for i in range(count):
        pk = first + i
        way = direction[i]
        host = ctx.unit(rng)
        host_name, province = ctx.unit_name[host], ctx.province_of[host]
        n_partners = 0 if way == "domestic" else 1 if rng.random() < 0.75 else 2
        partners = []
        while len(partners) < n_partners:
            p = ctx.partner(rng)
            if p not in partners:
                partners.append(p)
        links.extend((pk, p) for p in partners)
        purpose = rng.choice(PURPOSES)
        phrase = PURPOSE_PHRASES[purpose]
        other = ctx.partner_name[partners[0]] if partners else "Bộ Ngoại giao"
        if way == "in":
            title = f"Đoàn {other} {phrase} tại tỉnh {province}"
            places, received = f"tỉnh {province}", f"Lãnh đạo {host_name}"
        else:
            title = f"Đoàn {host_name} {phrase} tại {other}"
            places, received = other, f"Lãnh đạo {other}"
        foreign = way == "in" and ctx.partner_country.get(partners[0]) == "CN"
        # The members are those known by name, 1 to 9 (mean 5); the size is what a
        # source would state: often the same, else more than the names known, and for
        # about one in seven not stated at all (the reports then count it as unknown).
        named = rng.randint(1, 9)
        size = named if rng.random() < 0.6 else named + rng.randint(1, 20)
        if rng.random() < 0.15:
            size = None
        leader = rng.choice(cn) if foreign else rng.choice(vn)
        leader_title = rng.choice(FOREIGN_POSITIONS if way == "in" else LEADER_POSITIONS)
        organisation = other if way == "in" else host_name
        members.append((pk, leader, leader_title, organisation, True, 0))
        for order in range(1, named):
            members.append((pk, rng.choice(cn if foreign else vn), rng.choice(POSITIONS), organisation, False, order))
        day = with_precision(random_day(rng), precision[i])
        end = day + timedelta(days=rng.randint(0, 6)) if precision[i] == "day" else None
        decision = f"{rng.randint(1, 3000)}/QĐ-UBND" if rng.random() < 0.6 else ""
        outcome = rng.choice(OUTCOMES) if rng.random() < 0.5 else ""
        state, public = review[i]
        search = blob(
            (title, f"doan {folded(other)} {folded(phrase)} tai tinh {folded(province)}" if way == "in"
             else f"doan {folded(host_name)} {folded(phrase)} tai {folded(other)}"),
            (leader, folded(leader)), (leader_title, folded(leader_title)), (places, folded(places)),
            (received, folded(received)), (decision, decision.replace("QĐ-UBND", "qd-ubnd")),
            (outcome, folded(outcome)),
        )  # fmt: skip
        created = stamp(day)
        status = "completed" if day.year < 2025 else rng.choice(("planned", "approved", "completed"))
        delegations.append((
            pk, way, title, purpose, rng.choice(LEVELS), day, end, precision[i], host, leader, leader_title, size,
            places, received, rng.choice(ctx.mechanism_ids) if rng.random() < 0.1 else None, decision,
            rng.choice(FUNDINGS), status, outcome, search,
            title_key("Đoàn", other, phrase, "tại tỉnh", province) if way == "in"
            else title_key("Đoàn", host_name, phrase, "tại", other),
            public, state, created, created, ctx.code_of[host],
            stage_for_status(status, way).value, "", None, None, "", "", "", "", None, None, "", "", None,
        ))  # fmt: skip
    return delegations, members, links


AGREEMENT_KINDS = ("agreement", "mou", "letter_of_intent", "minutes", "programme", "twinning", "oda_loan", "ngo_aid")
AGREEMENT_WORDS = {
    "agreement": "Thỏa thuận", "mou": "Bản ghi nhớ", "letter_of_intent": "Ý định thư", "minutes": "Biên bản hội đàm",
    "programme": "Chương trình hợp tác", "twinning": "Thỏa thuận kết nghĩa", "oda_loan": "Hiệp định vay",
    "ngo_aid": "Thỏa thuận viện trợ",
}  # fmt: skip
REGIME_OF = {"oda_loan": "oda", "ngo_aid": "ngo_aid"}
SIGNING_LEVELS = (
    "provincial_council",
    "provincial_committee",
    "department",
    "district",
    "border_commune",
    "border_post",
)


def agreement_block(ctx, number, count):
    """``count`` agreements: (agreements, partner links, sector links)."""
    rng = block_rng(ctx.seed, "agreement", number)
    first = ctx.first_ids["agreement"] + number * BLOCK
    agreements, partner_links, field_links = [], [], []
    for i in range(count):
        pk = first + i
        kind = rng.choice(AGREEMENT_KINDS)
        unit, partner = ctx.unit(rng), ctx.partner(rng)
        partners = [partner]
        if rng.random() < 0.2:
            extra = ctx.partner(rng)
            if extra != partner:
                partners.append(extra)
        partner_links.extend((pk, p) for p in partners)
        for sector in {rng.choice(ctx.sector_ids) for _ in range(rng.randint(0, 2))}:
            if sector is not None:
                field_links.append((pk, sector))
        topic = rng.choice(AGREEMENT_TOPICS)
        word, unit_name, partner_name = AGREEMENT_WORDS[kind], ctx.unit_name[unit], ctx.partner_name[partner]
        title = f"{word} về {topic} giữa {unit_name} và {partner_name}"
        title_f = f"{folded(word)} ve {folded(topic)} giua {folded(unit_name)} va {folded(partner_name)}"
        precision = rng.choices(PRECISIONS, weights=PRECISION_WEIGHTS)[0]
        signed = with_precision(random_day(rng), precision)
        code = f"{pk}/{signed.year}/TTQT-TH"
        place = ctx.province_of[unit] if rng.random() < 0.5 else partner_name
        effective = signed + timedelta(days=rng.choice((0, 0, 30))) if rng.random() < 0.7 else None
        expires = signed + timedelta(days=365 * rng.randint(1, 10) + 30) if rng.random() < 0.6 else None
        today = date(2026, 1, 1)
        status = "expired" if expires and expires < today else rng.choice(("signed", "in_force", "in_force"))
        asked = signed - timedelta(days=rng.randint(20, 90)) if rng.random() < 0.3 else None
        answered = asked + timedelta(days=rng.randint(5, 15)) if asked else None
        summary = f"Hai bên thống nhất {topic}." if rng.random() < 0.7 else ""
        state, public = rng.choices(REVIEW, weights=REVIEW_WEIGHTS)[0]
        search = blob(
            (title, title_f), (code, code.lower()), (place, folded(place)),
            (summary, f"hai ben thong nhat {folded(topic)}." if summary else ""),
        )  # fmt: skip
        created = stamp(signed)
        agreements.append((
            pk, title, code, kind, REGIME_OF.get(kind, "law_70_2020"), rng.choice(SIGNING_LEVELS), unit, signed,
            precision, place, effective, expires, status, summary, "", asked, answered, None, search,
            title_key(word, "về", topic, "giữa", unit_name, "và", partner_name), public, state, created, created,
            ctx.code_of[unit],
        ))  # fmt: skip
    return agreements, partner_links, field_links


PROJECT_KINDS, PROJECT_KIND_WEIGHTS = ("oda", "loan", "fdi", "ngo", "non_project"), (30, 10, 25, 30, 5)
PROJECT_WORDS = {"oda": "Dự án ODA", "loan": "Dự án vay ưu đãi", "fdi": "Dự án FDI", "ngo": "Dự án phi chính phủ",
                 "non_project": "Khoản viện trợ phi dự án"}  # fmt: skip
TRANSACTION_KINDS, TRANSACTION_WEIGHTS = ("commitment", "disbursement", "expenditure", "in_kind"), (15, 55, 20, 10)


def project_block(ctx, number, count):
    """``count`` projects: (projects, location links, participants, transactions)."""
    rng = block_rng(ctx.seed, "project", number)
    first = ctx.first_ids["project"] + number * BLOCK
    projects, locations, participants, transactions = [], [], [], []
    for i in range(count):
        pk = first + i
        kind = rng.choices(PROJECT_KINDS, weights=PROJECT_KIND_WEIGHTS)[0]
        unit = ctx.unit(rng)
        places = {unit, ctx.unit(rng)} if rng.random() < 0.3 else {unit}
        locations.extend((pk, u) for u in sorted(places))
        funder = rng.choice(ctx.funders) if rng.random() < 0.6 else ctx.partner(rng)
        participants.append((pk, funder, None, 1))
        participants.append((pk, None, unit, 2))
        if rng.random() < 0.5:
            participants.append((pk, None, ctx.unit(rng), 4))
        topic, word, province = rng.choice(PROJECT_TOPICS), PROJECT_WORDS[kind], ctx.province_of[unit]
        title = f"{word}: {topic} tại tỉnh {province}"
        code = f"DA-TH-{pk}"
        precision = rng.choices(PRECISIONS, weights=PRECISION_WEIGHTS)[0]
        start = with_precision(random_day(rng), precision)
        planned_end = start + timedelta(days=365 * rng.randint(1, 6))
        actual_start = start + timedelta(days=rng.randint(0, 120)) if rng.random() < 0.7 else None
        ended = actual_start is not None and planned_end < date(2025, 1, 1) and rng.random() < 0.8
        actual_end = planned_end + timedelta(days=rng.randint(0, 200)) if ended else None
        status = 4 if actual_end else 2 if actual_start else rng.choice((1, None))
        # Every date of the project to its precision, as a form or an import stores it.
        planned_end, actual_start, actual_end = (
            with_precision(day, precision) if day else None for day in (planned_end, actual_start, actual_end)
        )
        currency = "VND" if kind == "fdi" and rng.random() < 0.3 else rng.choice(CURRENCIES)
        amount = rng.randint(50, 50000) * (1000 if currency in ("VND", "KRW", "JPY") else 100)
        description = f"{topic} cho người dân tỉnh {province}." if rng.random() < 0.6 else ""
        outputs = rng.choice(PROJECT_OUTPUTS)
        state, public = rng.choices(REVIEW, weights=REVIEW_WEIGHTS)[0]
        search = blob(
            (title, f"{folded(word)}: {folded(topic)} tai tinh {folded(province)}"), (code, code.lower()),
            (description, f"{folded(topic)} cho nguoi dan tinh {folded(province)}." if description else ""),
            (outputs, folded(outputs)),
        )  # fmt: skip
        created = stamp(start)
        rate_date, vnd_rate, committed_vnd = converted(amount, currency, actual_start or start, ctx.rate_max_age)
        projects.append((
            pk, kind, code, title, rng.choice(ctx.sector_ids), status, start, planned_end, actual_start, actual_end,
            precision, description, outputs, amount, currency, committed_vnd, rate_date, vnd_rate, search,
            title_key(word, topic, "tại tỉnh", province), public, state, created, created, ctx.code_of[unit],
        ))  # fmt: skip
        share = max(1, amount // 8)
        for _ in range(rng.randint(1, 9)):
            tkind = rng.choices(TRANSACTION_KINDS, weights=TRANSACTION_WEIGHTS)[0]
            day = start + timedelta(days=rng.randint(0, 2000))
            value = rng.randint(1, share)
            note = f"{rng.choice(TRANSACTION_NOTES)} {rng.randint(1, 12)}"
            rate_date, vnd_rate, vnd = converted(value, currency, day, ctx.rate_max_age)
            transactions.append(
                (pk, tkind, day, "day", value, currency, None, vnd, rate_date, vnd_rate, funder, unit, note)
            )
    return projects, locations, participants, transactions
