"""Agreements: "thành phố X đã ký kết Biên bản ghi nhớ ... với thị Y", "đã ký 05 thỏa thuận quốc tế
gồm: Biên bản Hội đàm giữa A, B và C; Bản ghi nhớ ...", "ông A, Phó Giám đốc Sở Ngoại vụ tỉnh X
và bà B, Trưởng đại diện tổ chức Y ký biên bản ghi nhớ ...".

The kind follows the names of Article 6 of the Law on International Agreements 2020 as the
register keeps them (agreements.models.AgreementKind): "bản ghi nhớ" mou, "biên bản hội đàm /
trao đổi / ký kết" minutes, "thỏa thuận" (framework or not) and "hiệp định" agreement, "ý định
thư" letter of intent, "chương trình / kế hoạch hợp tác" programme. The parties are the signatories
as written: after "giữa" or "với", else the units in the signing persons' titles.
"""

from __future__ import annotations

import re

from reading.agreement_parties import LEADING, split_parties
from reading.dates import DAY, YEAR
from reading.letters import UP, starts_upper
from reading.proposals import AgreementProposal, Span
from reading.sides import COUNTRIES

_KIND = re.compile(
    r"(?P<mou>[Bb]iên\s+bản\s+ghi\s+nhớ|[Bb]ản\s+ghi\s+nhớ)"
    r"|(?P<framework>[Tt]h(?:ỏa|oả)\s+thuận\s+khung)"
    r"|(?P<minutes>[Bb]iên\s+bản(?!\s+th(?:ỏa|oả)\s+thuận)(?:\s+(?:[Hh]ội\s+đàm|trao\s+đổi|ký\s+kết|làm\s+việc))?)"
    r"|(?P<agreement>[Tt]h(?:ỏa|oả)\s+thuận|[Hh]iệp\s+định)"
    r"|(?P<letter_of_intent>[Ýý]\s+định\s+thư)"
    r"|(?P<programme>[Cc]hương\s+trình\s+hợp\s+tác|[Kk]ế\s+hoạch\s+hợp\s+tác)"
    r"|(?P<other>[Tt]hông\s+cáo\s+chung|[Tt]uyên\s+bố\s+chung)"
)
KINDS = {"mou": "mou", "framework": "agreement", "minutes": "minutes", "agreement": "agreement"}
_SIGN = re.compile(r"\b(?:ký(?:\s+kết)?|trao(?!\s+đổi)|thông\s+qua)\b")
# "đã ký kết bản thỏa thuận hợp tác": a title may start in lower case after the verb and "bản".
# "lễ ký kết trực tuyến thỏa thuận …": how it was signed may stand between the verb and the title.
_VERB_BEFORE = re.compile(
    r"(?:ký(?:\s+kết)?|trao|thông\s+qua|và\s+triển\s+khai)(?:\s+(?:trực\s+tuyến|trực\s+tiếp))?\s*"
    r"(?:[Bb]iên\s+bản\s+|[Bb]ản\s+)?[“\"]?\s*$"
)
# Where a title ends: "ký kết Bản ghi nhớ ngày 27/11/2025" (the date is the signing's), "… với", "… giữa".
_TITLE_STOP = re.compile(
    r"\s+(?:với|giữa)\s|\s+(?:đã\s+)?được\s+(?:\S+\s+){0,3}?ký\b|\s+vào\s+(?:ngày|năm|tháng)\s|\s+ngày\s+\d{1,2}[/.]|[;.:](?:\s|$)|\s+và\s+[“\"]|\s*\(|,\s+(?:làm\s+cơ\s+sở|nhằm|đánh\s+dấu|góp\s+phần|mở\s+ra)\b"
    r"|\s+và\s+(?=[Bb]iên\s+bản|[Bb]ản\s+ghi\s+nhớ|[Tt]h(?:ỏa|oả)\s+thuận|[Hh]iệp\s+định|[Tt]hông\s+cáo|[Tt]uyên\s+bố)|$"
)
_POSITION = re.compile(
    r"^(?:(?:Phó|Quyền)\s+)?(?:Chủ\s+tịch|Thị\s+trưởng|Châu\s+trưởng|Huyện\s+trưởng|Tỉnh\s+trưởng|Giám\s+đốc|"
    r"Trưởng\s+đại\s+diện|Bí\s+thư|Trưởng\s+ban|Chủ\s+nhiệm|Đại\s+sứ|Bộ\s+trưởng|Thứ\s+trưởng)\s+",
)
# A subject that names bodies, not people: "tỉnh Lai Châu và Luông Pha Bang đã ký kết …".
_BODY_FIRST = re.compile(
    r"(?:tỉnh|thành\s+phố|huyện|thị\s+xã|xã|châu|thị|Sở|UBND|Ủy\s+ban|Uỷ\s+ban|Tỉnh\s+ủy|Ban|Bộ)\s", re.IGNORECASE
)
LEADING_TIME = re.compile(r"^(?:(?:[Tt]ừ|[Vv]ào|[Tt]rong)\s+)?(?:[Nn]gày|[Nn]ăm|[Tt]háng)\s+[\d/.]+\s+")


_ANNIVERSARY_BEFORE = re.compile(r"\d+\s+năm\s+(?:[Nn]gày\s+)?[Kk]ý(?:\s+kết)?\s*$")
# "biên bản hợp tác đã ký kết năm 2019", "kết quả hợp tác đã ký kết tại bản ghi nhớ năm 2014": a title in lower case
# told as signed (after it, or just before it) is one, though no verb of signing stands right before it.
_SIGNED_AFTER = re.compile(
    r"(?:\s+(?:hợp\s+tác|ghi\s+nhớ))?\s+(?:đã\s+)?(?:được\s+)?ký(?:\s+kết)?\s+(?:vào\s+)?(?:năm|tháng|ngày)\s+\d"
    r"|\s+(?:năm|tháng)\s+[\d/]*(?:19|20)\d{2}\b"
)


def _title_end(text: str, at: int, limit: int) -> int:
    quote = text.find("“", at, limit)
    stop = _TITLE_STOP.search(text, at, limit)
    end = stop.start() if stop else limit
    if 0 <= quote < end:
        close = text.find("”", quote, limit)
        if close > 0:
            after = _TITLE_STOP.search(text, close + 1, limit)
            end = after.start() if after else limit
    return end


def _org_of(part: str, people, home: str) -> str:
    """The unit a signing person speaks for, from the title written beside the name."""
    for person in sorted(people, key=lambda p: -len(p.name)):
        part = part.replace(person.name, "")
    part = re.sub(r"(?<![\wÀ-ỹ])(?:đồng\s+chí|[Ôô]ng|[Bb]à)(?![\wÀ-ỹ])\s*,?", "", part)
    part = re.split(r"\s+thuộc\s+", part)[0]
    pieces = [p.strip() for p in part.split(",") if p.strip()]
    if not pieces:
        return ""
    org = pieces[-1] if len(pieces) > 1 and _POSITION.match(pieces[-1]) else pieces[0]
    if len(pieces) > 1 and not _POSITION.match(pieces[-1]) and _POSITION.match(pieces[0]):
        org = pieces[0]
    org = _POSITION.sub("", org).strip()
    if re.search(r"\btỉnh$", org) and home:
        org = f"{org} {home}"
    return org


def find_agreements(ctx) -> list[AgreementProposal]:
    text = ctx.text
    found: list[AgreementProposal] = []
    seen = set()
    for sentence in ctx.sentences:
        body = text[sentence.start : sentence.end]
        if not _SIGN.search(body):
            continue
        listing = re.search(r"gồm\s*:", body) if re.search(r"\bký\b", body) else None
        clauses = _clauses(text, sentence, listing)
        subject = ""
        for clause_start, clause_end in clauses:
            clause = text[clause_start:clause_end]
            verb = _first_verb(clause)
            if verb and not listing:
                subject = _subject(clause[: verb.start()]) or subject
            titles = []
            cursor = clause_start
            for m in _KIND.finditer(text, clause_start, clause_end):
                if m.start() < cursor:
                    continue
                before = text[max(clause_start, m.start() - 30) : m.start()]
                if re.search(r"\d\s*$|(?:các|những|số|văn\s+bản)\s*$", before):
                    continue
                if _ANNIVERSARY_BEFORE.search(before):
                    continue  # "45 năm Ký kết Hiệp định Hữu nghị …": an anniversary of a signing, not one
                recalled = None
                if not (m.group(0)[0].isupper() or _VERB_BEFORE.search(before)):
                    recalled = _SIGNED_AFTER.match(text, m.end(), clause_end)
                    if recalled is None:
                        continue
                if _NOMINAL_SIGNING.search(before):
                    continue
                end = _title_end(text, m.end(), clause_end)
                if recalled is not None:
                    # the title ends where its signing is told: "biên bản hợp tác | đã ký kết năm 2019"
                    end = min(
                        end,
                        recalled.start()
                        + len(re.match(r"(?:\s+(?:hợp\s+tác|ghi\s+nhớ))?", recalled.group(0)).group(0)),
                    )
                titles.append((m, end, recalled is not None))
                cursor = end
            for m, end, recalled in titles:
                kind = KINDS.get(m.lastgroup, m.lastgroup)
                title = text[m.start() : end].strip(' ,“”"')
                rest = text[end:clause_end]
                own = _last_verb(text[clause_start : m.start()])
                if own is not None and not listing and own.start() > (verb.start() if verb else -1):
                    # "Tại lễ ký kết, …: Năm 2015, tỉnh A và tỉnh B ký bản ghi nhớ": the subject of the
                    # verb right before the title.
                    subject = _subject(text[clause_start : clause_start + own.start()]) or subject
                told_by = subject
                if recalled and not (starts_upper(subject) or _BODY_FIRST.match(subject) or _PAIR_WORD.match(subject)):
                    # "Tập trung thực hiện, triển khai nội dung biên bản hợp tác đã ký kết năm 2019": recalled with
                    # no signatory of its own, the agreement is the pair's the article is about.
                    told_by = "hai bên"
                parties = _parties(
                    ctx, rest, _pair_named(ctx, told_by, sentence.start), text[sentence.start : m.start()]
                )
                signed, precision = _signed(ctx, sentence, clause_start, clause_end, listing, (m.start(), end))
                if (kind, title) in seen:
                    earlier = next(f for f in found if (f.kind, f.title) == (kind, title))
                    if earlier.signed is None and (signed is not None or len(parties) > len(earlier.parties)):
                        # The headline or the lead names the agreement the body dates, or whose signatories
                        # it names one by one ("giữa tỉnh A và tỉnh B"): keep the body's.
                        found.remove(earlier)
                    else:
                        continue
                seen.add((kind, title))
                span = Span(sentence.start, sentence.end)
                found.append(
                    AgreementProposal(
                        title=title,
                        kind=kind,
                        signed=signed,
                        signed_precision=precision if signed else None,
                        parties=[ctx.partner_mention(p, span) for p in parties],
                        online=bool(re.search(r"trực\s+tuyến", body)),
                        place=_place(body),
                        excerpt=span.of(text),
                        span=span,
                    )
                )
    return _without_bare_mentions(found)


_SIGN_VERB = re.compile(r"(?:đã\s+)?(?:chính\s+thức\s+)?(?:ký(?:\s+kết)?|trao(?!\s+đổi))\b")
# Where the subject's own predicate starts: "tỉnh A và tỉnh B (Nhật Bản) đã tổ chức chương trình hội đàm và ký".
_PREDICATE = re.compile(
    r"\s+(?:đã|sẽ|cùng|tổ\s+chức|tiến\s+hành|hội\s+đàm|có\s+buổi|chính\s+thức)(?:\s|$).*$", re.DOTALL
)
# Not a party: the ceremony ("Dự Lễ ký kết", "Tại lễ ký kết").
_CEREMONY = re.compile(r"^(?:(?:[Dd]ự|[Tt]ại)\s+)?(?:[Ll]ễ|buổi)$")
# "hai tỉnh", "2 bên": the pair the text has just named.
_PAIR_WORD = re.compile(r"^(?:hai|2)\s+(?:tỉnh|bên|địa\s+phương|thành\s+phố|huyện)$", re.IGNORECASE)
_PAIR = re.compile(
    r"((?:[Tt]ỉnh|[Tt]hành\s+phố|[Hh]uyện|[Cc]hâu)\s+[A-ZÀ-Ỹ][^\s,.;()]*(?:\s+[A-ZÀ-Ỹ][^\s,.;()]*)*)\s*(?:\([^)]*\)\s*)?"
    r"và\s+((?:tỉnh|thành\s+phố|huyện|châu)\s+[A-ZÀ-Ỹ][^\s,.;()]*(?:\s+[A-ZÀ-Ỹ][^\s,.;()]*)*)"
)


# "Chủ tịch … cho rằng việc ký kết bản ghi nhớ … là cơ hội": the signing as a noun, spoken of, is the
# agreement the article tells already, not another.
_NOMINAL_SIGNING = re.compile(r"\bviệc\s+(?:đã\s+)?ký(?:\s+kết)?\s+$")
# "Ký kết hợp tác TP.HCM - Sơn Đông (Trung Quốc)": a headline names the pair with a dash.
_DASHED_PAIR = re.compile(rf"((?<!\w)[{UP}][\w.]*(?:\s+[{UP}][\w.]*)*)\s+[-–]\s+([{UP}][\w.]*(?:\s+[{UP}][\w.]*)*)")


# "TP.HCM và Sơn Đông": two proper names joined, two signatories.
_NAMES_PAIR = re.compile(rf"[{UP}][\w.]*(?:\s+[{UP}][\w.]*)*\s+và\s+[{UP}][\w.]*(?:\s+[{UP}][\w.]*)*")


_COUNTRY_ONLY = re.compile(r"(?:nước\s+|Vương\s+quốc\s+)?(?:" + "|".join(re.escape(c) for c in COUNTRIES) + r")")


def _first_verb(clause):
    return _SIGN_VERB.search(clause)


def _last_verb(before_title):
    found = list(_SIGN_VERB.finditer(before_title))
    return found[-1] if found else None


def _subject(before_verb: str) -> str:
    # "… Bản ghi nhớ đã được 2 bên ký kết": the agent of a passive signing is who signed.
    agent = _PASSIVE_AGENT.search(before_verb)
    if agent:
        return agent.group(1)
    said = re.split(r",\s+|:\s+", before_verb.strip())
    said = [LEADING_TIME.sub("", s) for s in said]  # "năm 2022 tỉnh A và B đã ký kết"
    said = [_PREDICATE.sub("", s).strip(" ,") for s in said]
    # "sáng nay 22/8, tại hội trường Tỉnh ủy X, 2 tỉnh đã ký kết": the place is not a signatory; "2 tỉnh" is
    # (the pair named before), though it holds a digit as dates do.
    said = [s for s in said if _PAIR_WORD.match(s) or not (re.search(r"\d", s) or re.match(r"[Tt]ại\s", s))]
    # "… và chính quyền thành phố Nasushiobara, Nhật Bản tổ chức Lễ ký kết": a country set after a comma says
    # where the name before it is; it is not a signatory of its own.
    while len(said) > 1 and _COUNTRY_ONLY.fullmatch(said[-1]):
        said.pop()
    while len(said) > 1 and re.search(r"\svà$|^và$", said[-1]):
        said.pop()  # "… tổ chức Hội nghị gặp gỡ, trao đổi và ký kết": a predicate, not a subject
    subject = said[-1] if said else ""
    return "" if _CEREMONY.match(subject) else subject


_PASSIVE_AGENT = re.compile(r"\s(?:đã\s+)?được\s+((?:hai|2)\s+(?:tỉnh|bên|địa\s+phương|thành\s+phố|huyện))\s*$")
# "giữa 2 tỉnh Cà Mau và Khăm Muộn": a pair counted, its names after the one noun they share.
_PAIR_COUNTED = re.compile(
    r"(?:hai|2)\s+(tỉnh|thành\s+phố|huyện)\s+([A-ZÀ-Ỹ][^\s,.;()]*(?:\s+[A-ZÀ-Ỹ][^\s,.;()]*)*)\s+và\s+"
    r"([A-ZÀ-Ỹ][^\s,.;()]*(?:\s+[A-ZÀ-Ỹ][^\s,.;()]*)*)"
)


_BETWEEN_PAIR = re.compile(
    rf"giữa\s+(?:(?:tỉnh|thành\s+phố)\s+)?([{UP}][\w.]*(?:\s+[{UP}][\w.]*)*)\s+(?:và|với)\s+"
    rf"(?:(?:tỉnh|thành\s+phố)\s+)?([{UP}][\w.]*(?:\s+[{UP}][\w.]*)*)"
)


def _pair_named(ctx, subject: str, before: int) -> str:
    """ "hai tỉnh ký kết …": the two provinces the text named together last ("Tỉnh A và tỉnh B (Lào)")."""
    # "lãnh đạo hai tỉnh ký kết …": the leaders sign for the pair.
    if not _PAIR_WORD.match(re.sub(r"^(?:[Ll]ãnh\s+đạo|[Đđ]ại\s+diện)\s+", "", subject or "")):
        return subject
    pairs = list(_PAIR.finditer(ctx.text, 0, before))
    if not pairs and ctx.sentences:
        pairs = list(_DASHED_PAIR.finditer(ctx.text, ctx.sentences[0].start, ctx.sentences[0].end))
    if not pairs and ctx.sentences:
        # "Tăng cường hợp tác giữa Kon Tum và Sê Kông (Lào)": the pair the headline names after "giữa".
        pairs = list(_BETWEEN_PAIR.finditer(ctx.text, ctx.sentences[0].start, ctx.sentences[0].end))
    if pairs:
        return f"{pairs[-1].group(1)} và {pairs[-1].group(2)}"
    # Named nowhere before: the pair the article names elsewhere, counted ("giữa 2 tỉnh A và B").
    counted = _PAIR_COUNTED.search(ctx.text)
    return f"{counted.group(1)} {counted.group(2)} và {counted.group(1)} {counted.group(3)}" if counted else subject


def _without_bare_mentions(found):
    """A caption's "… và ký kết Bản ghi nhớ" is the agreement its sentence names in full ("Bản ghi
    nhớ về cơ chế hợp tác …"): the bare mention is not a second agreement."""
    kept = []
    for item in found:
        bare = _KIND.fullmatch(re.sub(r"\s+hợp\s+tác$", "", item.title)) is not None
        # … unless the two are dated apart: signed on different dates, they are two agreements.
        fuller = any(
            o is not item
            and o.kind == item.kind
            and len(o.title) > len(item.title)
            and not (o.signed and item.signed and o.signed != item.signed)
            for o in found
        )
        # "Dự Lễ ký kết Bản ghi nhớ …": a mention with no signatory and no date, beside one of the same
        # kind that names its signatories, is that one's ceremony.
        anonymous = (
            not item.parties
            and item.signed is None
            and any(o is not item and o.kind == item.kind and o.parties for o in found)
        )
        # "Lãnh đạo hai tỉnh A và B, trao biên bản ghi nhớ kết nghĩa tại Lễ ký kết" (a caption): the same
        # kind signed the same day by a party of the one told in full is that one, handed over.
        handed = _HANDED.search(item.excerpt) is not None and any(
            o is not item
            and o.kind == item.kind
            and o.signed == item.signed
            and len(o.title) > len(item.title)
            and _names(o) & _names(item)
            for o in found
        )
        # "Bình Phước - Champasak ký kết biên bản ghi nhớ …" (the headline, undated) and "…, 2 tỉnh đã ký kết Biên
        # bản ghi nhớ …" (the body, dated): the same kind between the same parties, told twice.
        restated = item.signed is None and any(
            o is not item and o.kind == item.kind and o.signed is not None and _party_texts(o) == _party_texts(item)
            for o in found
        )
        # "Thỏa thuận ký kết lần này đặt nền tảng …": the signing "this time" is the one the article told.
        this_one = re.match(r"\S+(?:\s+\S+){0,3}?\s+(?:được\s+)?ký(?:\s+kết)?\s+lần\s+này\b", item.title)
        this_one = this_one is not None and any(o is not item for o in found)
        if not (bare and fuller) and not anonymous and not handed and not restated and not this_one:
            kept.append(item)
    return kept


_HANDED = re.compile(r"\btrao\s+(?:cho\s+nhau\s+)?(?:bản|biên\s+bản|văn\s+bản)", re.IGNORECASE)


def _party_texts(item) -> set:
    return {p.text.strip().lower() for p in item.parties}


def _names(item) -> set:
    """The proper names of an agreement's parties ("tỉnh Hà Giang" -> {"Hà Giang"})."""
    return {m.group(0) for p in item.parties for m in re.finditer(rf"[{UP}]\w*(?:\s+[{UP}]\w*)+", p.text)}


def _clauses(text, sentence, listing):
    if listing:
        start = sentence.start + listing.end()
        return _split(text, start, sentence.end, ";")
    return _split(text, sentence.start, sentence.end, ";")


def _split(text, start, end, mark):
    pieces, cursor = [], start
    for m in re.finditer(re.escape(mark), text[start:end]):
        pieces.append((cursor, start + m.start()))
        cursor = start + m.end()
    pieces.append((cursor, end))
    return pieces


# "Bản ghi nhớ … giữa A và B được ký kết vào tháng 3/2018": the signatories end where the passive verb starts.
# "Lễ ký kết Bản ghi nhớ … giữa A và B đã diễn ra": so they do where the sentence's own predicate starts.
_PASSIVE_SIGNED = re.compile(
    r"\s+(?:(?:đã\s+)?được\s+(?:\S+\s+){0,3}?ký(?:\s+kết)?\b|(?:đã|sẽ|vừa)\s+(?:diễn\s+ra|được|ký|tổ\s+chức)\b).*$",
    re.DOTALL,
)


def _parties(ctx, rest, subject, before_title):
    between = re.search(r"\sgiữa\s+(.+)", _PASSIVE_SIGNED.sub("", rest))
    if between and split_parties(between.group(1)):
        return split_parties(between.group(1))
    with_ = re.search(r"\svới\s+(.+)", rest)
    listed = re.search(r"\sgồm:?\s+(.+)", with_.group(1)) if with_ else None
    if listed:
        # "với 3 tỉnh của Vương quốc Campuchia gồm Svay Rieng, Prey Veng và Tboung Khmum": the listed ones.
        # The list ends where the clause goes on to say why: "… và Tboung Khmum nhằm thúc đẩy …".
        listing = re.split(r"\s+(?:nhằm|để|về|trong|tại)\s", listed.group(1))[0]
        names = [n.strip(" .") for n in re.split(r",\s*|\s+và\s+", listing) if n.strip(" .")]
        if names and all(starts_upper(n) and len(n.split()) <= 5 for n in names):
            return [p for p in [subject] if p] + names
    signatory = LEADING.sub("", with_.group(1)) if with_ else ""
    if with_ and (starts_upper(signatory) or _SIGNATORY.match(signatory)):
        # "… với thành phố Changwon (Hàn Quốc) theo hình thức trực tuyến": the name ends where the clause says how.
        named = re.split(r"\s+(?:theo|nhằm|để|trong|tại|vào|qua|bằng)\s", with_.group(1))[0]
        return [p for p in [subject] if p] + split_parties(named)[:1]
    signer_text = re.sub(r"^.*?\d{1,2}[/.]\d{1,2}(?:[/.]\d{4})?,\s*", "", before_title)
    signer_text = re.sub(r"\s+(?:đã\s+)?(?:ký(?:\s+kết)?|trao)\s*$", "", signer_text.strip())
    people = ctx.people_in(0, len(ctx.text))
    if re.search(r"\svà\s", subject) and (
        _BODY_FIRST.match(subject) or re.search(r"\)\s+và\s.*\)$", subject) or _NAMES_PAIR.fullmatch(subject)
    ):
        return split_parties(subject)  # "tỉnh Lai Châu và Luông Pha Bang đã ký kết thỏa thuận …"
    if (dashed := _DASHED_PAIR.fullmatch(subject)) is not None:
        return [dashed.group(1), dashed.group(2)]  # "Bình Phước - Champasak ký kết biên bản ghi nhớ …" (a headline)
    if not any(p.name in signer_text for p in people):
        return [subject] if subject else []
    return [org for org in (_org_of(part, people, ctx.home) for part in re.split(r"\s+và\s+", signer_text)) if org]


# What may follow "với" as a signatory: a name or a body ("với thị Bằng Tường", "với Tổ chức …"), not
# "với tổng kinh phí hỗ trợ là 3.200.000 USD".
_SIGNATORY = re.compile(
    r"(?:tỉnh|thành\s+phố|huyện|thị\s+xã|thị|xã|châu|trấn|khu|tổ\s+chức|đối\s+tác|doanh\s+nghiệp|công\s+ty|"
    r"tập\s+đoàn|trường|đại\s+học|hội|quỹ|bộ|sở|ban|ủy\s+ban|uỷ\s+ban)\b",
    re.IGNORECASE,
)


def _signed(ctx, sentence, clause_start, clause_end, listing, title=(0, 0)):
    dates = ctx.dates[sentence.index]
    # "Bản ghi nhớ hợp tác giai đoạn 2022- 2027": the agreement's term, not its signing.
    dates = [d for d in dates if not (d.kind == "period" and title[0] <= d.start < title[1])]
    inside = [d for d in dates if clause_start <= d.start < clause_end and (d.value or d.last)]
    if not inside and listing:
        inside = [d for d in dates if d.start < clause_start and (d.value or d.last)]
    if not inside and not listing:
        inside = [d for d in dates if d.start < clause_start and (d.value or d.last)]
    if inside:
        # "… Lễ hội … năm 2023 …, chiều 16/11, … ký kết": the day, not the year of the festival.
        d = next((d for d in inside if d.kind != "period"), inside[0])
        if d.kind == "period":
            value = d.value or d.last
            return value.replace(month=1, day=1), YEAR
        return d.value, d.precision
    previous = ctx.last_date_before(sentence.start)
    return (previous.value, previous.precision) if previous else (None, DAY)


def _place(body):
    m = re.search(r"\btại\s+([^,;.()]+)", body)
    return m.group(1).strip() if m else ""
