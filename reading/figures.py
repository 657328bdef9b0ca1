"""Reported figures: "tổ chức đón tiếp 747 đoàn nước ngoài", "31 dự án sử dụng vốn ODA, với tổng số
vốn 3.881 tỷ đồng", "hơn 140 chương trình, dự án", "tổng cam kết viện trợ là 11.879.191 USD".

A figure is a number with one of the register's units after it (đoàn, người, dự án, USD, đồng);
the indicator (sources.models.Indicator) comes from the words around it: who comes or goes for
delegations, ODA / FDI / foreign non-governmental aid for projects and money, and for money
whether it is a commitment, a disbursement or a gift. The period is the one written in the same
clause, at the head of the sentence, or at the head of an earlier sentence of the paragraph
("Trong 6 tháng đầu năm 2021, ... . UBND tỉnh đã tiếp nhận 31 CTDA"); a comparison ("so với cùng
kỳ năm 2020") is not a period. A VND equivalent in brackets beside a USD amount is not a figure.
"""

from __future__ import annotations

import re
from datetime import date

from reading.dates import DAY, MONTH
from reading.figure_periods import ACTIVE, in_year, period_after, period_of
from reading.figure_repeats import without_repeats
from reading.letters import UP
from reading.numbers import numbers_in
from reading.proposals import FigureProposal, Span
from reading.sides import FOREIGN, side_of

_UNITS = [
    (re.compile(r"\s*(?:USD|đô\s+la(?:\s+Mỹ)?|đôla)\b"), "USD"),
    (re.compile(r"\s*(?:đồng|VNĐ|VND)\b"), "VND"),
    (re.compile(r"\s*(?:lượt\s+đoàn|đoàn)\b(?!\s+kết)"), "delegations"),
    (re.compile(r"\s*(?:lượt\s+người|lượt\s+cán\s+bộ|người|lượt\s+khách\b(?!\s+du\s+lịch))\b"), "persons"),
    (re.compile(r"\s*(?:cặp|đồn(?:\s+biên\s+phòng)?\s+ký\s+kết)\b"), "pairs"),
    (
        re.compile(
            r"\s*(?:chương\s+trình,?\s*dự\s+án|chương\s+trình|dự\s+án|CTDA|khoản\s+viện\s+trợ|khoản(?!\s+kinh\s+phí))\b"
        ),
        "projects",
    ),
]
_ODA = re.compile(r"\bODA\b|vốn\s+vay|hỗ\s+trợ\s+phát\s+triển\s+chính\s+thức")
# "Số liệu từ Cục Đầu tư nước ngoài …": the agency's name, capitalised, names foreign investment too.
_FDI = re.compile(r"[Đđ]ầu\s+tư\s+(?:trực\s+tiếp\s+)?nước\s+ngoài|\bFDI\b")
_NGO = re.compile(r"phi\s+chính\s+phủ|PCPNN|\bNGO\b", re.IGNORECASE)
_AID = re.compile(r"viện\s+trợ|tài\s+trợ|hỗ\s+trợ|cam\s+kết", re.IGNORECASE)
_INBOUND = re.compile(
    r"đón|tiếp|đoàn\s+vào|đoàn\s+khách|khách\s+quốc\s+tế|nước\s+ngoài\s+(?:đến|vào)|đoàn\s+nước\s+ngoài|"
    r"người\s+nước\s+ngoài|đến\s+(?:thăm|làm\s+việc)",
    re.IGNORECASE,
)
_OUTBOUND = re.compile(
    r"đoàn\s+ra|\bcử\b|\bđi\s+(?:công\s+tác|nước\s+ngoài|tham\s+quan|học\s+tập|khảo\s+sát|dự|tham\s+dự|thăm)|"
    r"ra\s+nước\s+ngoài|xuất\s+cảnh",
    re.IGNORECASE,
)
_TWINNING = [
    (re.compile(r"huyện\s*[–-]\s*thị|huyện\s+hữu\s+nghị", re.I), "twinning_district_pairs"),
    (re.compile(r"thôn\s*,?\s*bản|thôn\s*[–-]\s*bản", re.I), "twinning_village_pairs"),
    (re.compile(r"đồn\s*[–-]\s*trạm|đồn\s+biên\s+phòng", re.I), "twinning_border_posts"),
]


def _nearest(before: str, after: str, patterns: dict):
    """The key of the pattern found nearest the number (before it, or after it)."""
    best, distance = None, None
    for name, pattern in patterns.items():
        for m in pattern.finditer(before):
            gap = len(before) - m.end()
            if distance is None or gap < distance:
                best, distance = name, gap
        m = pattern.search(after)
        if m and (distance is None or m.start() < distance):
            best, distance = name, m.start()
    return best


_DISBURSED = re.compile(r"giải\s+ngân", re.IGNORECASE)
_GIFT = re.compile(r"học\s+bổng|trao\s+tặng|tặng\s+quà|khẩn\s+cấp|\btrao\b|ủng\s+hộ|cứu\s+trợ", re.IGNORECASE)
# "đã vận động được hơn 1,086 triệu USD từ các tổ chức phi chính phủ": aid mobilised is aid pledged.
_COMMITTED = re.compile(r"cam\s+kết|viện\s+trợ|tài\s+trợ|kinh\s+phí|vận\s+động\s+(?:được|đạt)", re.IGNORECASE)
# "Trong đó, lĩnh vực …", "Trong tổng số 27 dự án FDI cấp mới, Hàn Quốc … với 15 dự án", "Lĩnh vực công nghiệp
# chế biến … với 779,39 triệu USD": a sentence that opens on a part of a total told (a sector, a share of the
# total) gives that part's figures, not the province's.
_BREAKDOWN = re.compile(
    r"^\s*(?:Trong\s+đó,?\s+(?:các\s+)?lĩnh\s+vực|Trong\s+tổng\s+số\b|(?:Lĩnh\s+vực|Ngành)\s+[a-zà-ỹ])", re.IGNORECASE
)
# "1.591 dự án đầu tư, trong đó có 1.177 dự án trong nước …, 414 dự án FDI": a count of all investment, broken
# down into domestic and foreign right after, is not the foreign count.
_ALL_INVESTMENT = re.compile(
    r"^(?!\s*(?:FDI|ODA|đầu\s+tư\s+trực\s+tiếp|phi\s+chính\s+phủ))(?:[^.;]|\.(?=\d)){0,30}?\btrong\s+đó\b"
    r"(?:[^.;]|\.(?=\d)){0,60}?"
    r"\b(?:trong\s+nước|FDI|nước\s+ngoài)"
)
# "37 doanh nghiệp FDI đăng ký, với số vốn đăng ký gần 1.700 tỷ đồng": the capital of firms registered is the
# business register's, not the projects' capital.
# (A stock of invested firms, "gần 200 doanh nghiệp vốn đầu tư nước ngoài … với tổng vốn đầu tư gần 14 tỷ USD", is
# the investment's.)
_FIRMS_COUNTED = re.compile(r"\d\s+(?:DN|doanh\s+nghiệp)\b[^,;.]{0,20}?\b(?:đăng\s+ký|thành\s+lập)")
# "nhiều doanh nghiệp FDI cũng tham gia dự án an sinh xã hội …, đóng góp hơn 3,1 tỷ đồng": what invested firms
# give is not capital invested.
_GIVEN = re.compile(r"đóng\s+góp|ủng\s+hộ|quyên\s+góp|trao\s+tặng|tài\s+trợ", re.IGNORECASE)
# "trên 108.275 tỷ đồng và 608,1 triệu USD": a qualifier before two amounts joined by "và" governs both.
_SHARED_QUALIFIER = re.compile(
    r"\b(?P<q>trên|hơn|gần|khoảng)\s+[\d.,]+\s*(?:nghìn\s+|triệu\s+|tỷ\s+|tỉ\s+)?(?:USD|đồng|VNĐ|VND)\s+và\s*$"
)
_SCOPE = re.compile(rf"\b(?:tỉnh|huyện|thành\s+phố|thị\s+xã)\s+[{UP}]\w*(?:\s+[{UP}]\w*)?")


def _equivalent(text: str, sentence_start: int, at: int) -> bool:
    """Inside "(tương đương 148,6 tỷ đồng)"."""
    before = text[sentence_start:at]
    opened = before.rfind("(")
    if re.search(r"tương\s+đương(?:\s+(?:với|khoảng|gần|hơn|trên))?\s*$", before):
        return True  # "đạt trên 3 tỷ USD, tương đương 72.164 tỷ đồng"
    return opened > before.rfind(")") and "tương đương" in before[opened:]


# A target or a forecast is not a reported figure: "dự kiến thu hút 1 tỷ USD", "đặt mục tiêu … đạt".
# "thu hồi 02 dự án với tổng mức đầu tư là 20,2 triệu USD": projects withdrawn, not attracted.
_WITHDRAWN = re.compile(r"thu\s+hồi|chấm\s+dứt|giải\s+thể", re.IGNORECASE)
# "5 dự án điều chỉnh tăng vốn", "cấp mới và điều chỉnh vốn đầu tư 13 dự án": projects whose capital
# was changed are counted again each time; only their added capital is a figure.
# "5 dự án đăng ký mới và 2 dự án tăng vốn": a project whose capital was raised is an adjusted one.
# "48 dự án đầu tư trực tiếp nước ngoài (FDI) cấp mới và điều chỉnh vốn": new and adjusted counted together.
_ADJUSTED_AFTER = re.compile(
    r"\s*(?:FDI\s+|đầu\s+tư\s+)?(?:được\s+)?(?:điều\s+chỉnh|tăng\s+vốn)|[^,;.]{0,45}?\s(?:cấp\s+)?mới\s+và\s+điều\s+chỉnh",
    re.IGNORECASE,
)
_ADJUSTED_BEFORE = re.compile(r"điều\s+chỉnh[^,;.()]{0,40}$", re.IGNORECASE)
# "tăng 60,7% so với cùng kỳ năm 2023 (37,37 triệu USD)": the bracketed amount is the same period of the
# earlier year the comparison names.
_SAME_PERIOD_OF = re.compile(r"cùng\s+kỳ\s+năm\s+((?:19|20)\d{2})\s*\(\s*$", re.IGNORECASE)
# Enterprises newly founded ("thành lập mới 420 DN, … tổng số vốn đăng ký 3.477 tỉ đồng") are the
# business register's figures, domestic, not the foreign investment of the sentence before.
_DOMESTIC = re.compile(
    r"trong\s+nước|doanh\s+nghiệp\s+tư\s+nhân|\bDDI\b|thành\s+lập\s+mới|\d\s+(?:DN|doanh\s+nghiệp)\b", re.IGNORECASE
)
# "vượt kế hoạch được giao cả năm (150 - 180 triệu USD)": the plan's amount, not a result.
_PLANNED = re.compile(r"dự\s+kiến|mục\s+tiêu|phấn\s+đấu|kế\s+hoạch", re.IGNORECASE)
# "Dự kiến cả năm 2024, tỉnh … sẽ thu hút được 1,696 tỷ USD": a sentence opened by a forecast forecasts
# every amount in it, however many clauses later.
_PLANNED_SENTENCE = re.compile(r"^\W*(?:[Dd]ự\s+kiến|[Mm]ục\s+tiêu|[Pp]hấn\s+đấu|[Kk]ế\s+hoạch)\b")
# "Năm 2023, tỉnh phấn đấu thu hút FDI đạt 400 triệu USD, vốn đầu tư thực hiện ước đạt 750 triệu USD": a
# sentence whose own verb, before any amount, is a target's (after the time it is set for and its subject)
# sets targets for every amount in it.
_PLANNED_VERB = re.compile(r"^[^\d]{0,40}?,\s*[^,;\d]{0,40}?\b(?:phấn\s+đấu|đặt\s+mục\s+tiêu|dự\s+kiến\s+sẽ)\b")
# "Doanh thu của các doanh nghiệp FDI … ước đạt 7 tỷ USD, nộp ngân sách nhà nước trên 400 triệu USD": what the
# invested firms earn, pay or export, and the capital spent ("vốn đầu tư thực hiện"), are not capital registered.
_NOT_CAPITAL = re.compile(
    r"doanh\s+thu|nộp\s+ngân\s+sách|kim\s+ngạch|xuất\s+khẩu|nhập\s+khẩu|lợi\s+nhuận|vốn\s+(?:đầu\s+tư\s+)?thực\s+hiện"
    r"|góp\s+vốn|mua\s+cổ\s+phần",
    re.IGNORECASE,
)
# "tổng số vốn … đăng ký vào Việt Nam … đạt hơn 6,03 tỷ USD, với 620 dự án mới": the whole country's figures,
# given beside the province's, are not the province's.
_NATIONAL = re.compile(r"\bvào\s+Việt\s+Nam\b|(?:của|trên)\s+cả\s+nước\b|\b[Cc]ả\s+nước\s+(?:có|đã|thu\s+hút)\b")
# "So với cùng kỳ năm 2017 tăng 1 dự án và tăng hơn 611.000 USD": by how much a comparison differs, not a figure.
_DIFFERENCE = re.compile(
    r"(?:[Ss]o\s+với|cùng\s+kỳ)[^.;]*\b(?:tăng|giảm)\s+(?:thêm\s+)?(?:hơn\s+|gần\s+|khoảng\s+|trên\s+)?$"
)
# "Tiêu biểu có dự án Tổ hợp … Jinko Solar …, có tổng vốn đầu tư 1,5 tỷ USD": one project's capital, given as an
# example, is not a figure of the province's.
_ONE_PROJECT = re.compile(
    r"\b(?:[Tt]iêu\s+biểu|[Đđ]iển\s+hình|nổi\s+bật)\b|(?<![\d\s])\s*\b[Dd]ự\s+án\s+(?!FDI\b|ODA\b)[A-ZĐ]"
)
# "Tổng giá trị cam kết của các dự án … vừa vận động được đạt …", "Động lực cho sự tăng trưởng … này đến từ
# 1,31 tỷ USD …": an amount spoken of as belonging to what was just told is for the period it was told for.
_REFERS_BACK = re.compile(
    r"\b(?:các|những)\s+[^.;]{0,80}?\bvừa\s|\b(?:này|nêu\s+trên|kể\s+trên)\b(?!\s*\()", re.IGNORECASE
)
# "tính đến hết tháng 11/2024, Nghệ An thu hút được 15 dự án mới": what was newly attracted up to a month's
# end is counted from the start of that year (a stock, "có 165 dự án còn hiệu lực", has no start).
_NEWLY = re.compile(r"thu\s+hút\s+được|cấp\s+mới|\bmới\b", re.IGNORECASE)
# A sentence that breaks down the one before it ("Trong đó, thị xã X có 69 dự án …") speaks of the
# same thing, for the same period, unless it says otherwise.
_CONTINUES = re.compile(r"^\s*Trong\s+đó\b", re.IGNORECASE)
# "Trong đó, có một số khoản viện trợ lớn như: …": the items after it are examples of the total the
# sentence before gives, not totals of their own.
_EXAMPLES = re.compile(r"^\s*Trong\s+đó,?\s+(?:có\s+)?(?:một\s+số|các|nhiều)\b[^.;:]{0,80}?\bnhư\s*:", re.IGNORECASE)


def _qualifier(number, before: str) -> str:
    shared = _SHARED_QUALIFIER.search(before) if number.qualifier == "exact" else None
    if shared is None:
        return number.qualifier
    return "over" if shared.group("q") in ("trên", "hơn") else "nearly"


def _domain(sentence: str, article_ngo: bool) -> str | None:
    if _ODA.search(sentence):
        return "oda"
    if _FDI.search(sentence):
        return "fdi"
    if _NGO.search(sentence) or (article_ngo and _AID.search(sentence)):
        return "ngo"
    return None


def _indicator(unit, domain, before, after, sentence, article_ngo):
    near = before + " " + after
    if unit in ("delegations", "persons"):
        way = _nearest(before, after, {"outbound": _OUTBOUND, "inbound": _INBOUND})
        return f"{way}_{unit}" if way else None
    if unit == "pairs":
        return next((code for pattern, code in _TWINNING if pattern.search(after[:40])), None)
    active = bool(ACTIVE.search(before)) and domain == "ngo"
    if unit == "projects":
        if active:
            return "ngo_projects_active"
        return {"oda": "oda_projects", "fdi": "fdi_projects", "ngo": "ngo_projects"}.get(domain)
    if domain == "oda":
        return "oda_capital"
    if domain == "fdi":
        return "fdi_capital"
    # The words of the number's own clause: "vốn cam kết viện trợ là 615.151 USD, tổng giá trị giải ngân …"
    # is a commitment; the disbursement is the next clause's.
    clause = re.split(r"[,;]", before)[-1] + after.split(",")[0]
    if _DISBURSED.search(clause):
        return "aid_value"
    if _GIFT.search(before[-120:]) and not re.search(r"cam\s+kết", clause):
        return "ngo_aid_value" if (_NGO.search(sentence) or article_ngo) else "aid_value"
    if domain == "ngo" and _COMMITTED.search(near):
        return "ngo_committed_active" if active else "ngo_committed"
    if domain is None and re.search(r"viện\s+trợ|hỗ\s+trợ|tài\s+trợ", near):
        return "aid_value"
    return None


def _sender_flip(indicator: str | None, clause_before: str, foreign_names) -> str | None:
    """Who sends or receives the delegations counted: "tỉnh Hủa Phăn đã cử 29 đoàn … sang … tỉnh
    Sơn La" counts delegations coming to us (the subject is foreign), not going out."""
    if not indicator or not indicator.startswith(("outbound_", "inbound_")):
        return indicator
    subject = re.split(r"\b(?:đã\s+)?(?:cử|đón|tiếp)\b", clause_before)[0]
    if side_of(subject.strip(), foreign_names) != FOREIGN or not re.search(r"\b(?:cử|đón|tiếp)\b", clause_before):
        return indicator
    way, unit = indicator.split("_", 1)
    return f"{'inbound' if way == 'outbound' else 'outbound'}_{unit}"


def _scope(ctx, body: str) -> str:
    for m in _SCOPE.finditer(body):
        if side_of(m.group(0), ctx.foreign_names) != FOREIGN:
            return m.group(0)
    return ctx.home_scope


def find_figures(ctx) -> list[FigureProposal]:
    text = ctx.text
    found = []
    previous_domain, previous_period, previous_index = None, None, None
    told = None  # (domain, period) of the first dated figure of the last sentence that gave one
    previous_counts, counts = set(), set()
    positions = {}  # id of a proposal -> where its number is written
    equivalents = []  # (unit, value) of the equivalents in brackets: "(tương đương xấp xỉ 25 tỷ đồng)"
    for sentence in ctx.sentences:
        previous_counts, counts = (counts if previous_index == sentence.index - 1 else set()), set()
        body = text[sentence.start : sentence.end]
        if _BREAKDOWN.search(body):
            continue
        examples = _EXAMPLES.search(body)
        continues = bool(_CONTINUES.search(body)) and previous_index == sentence.index - 1
        # "… cấp mới 04 dự án FDI … Tính đến thời điểm ngày 20/9/2019, toàn tỉnh có 64 dự án còn hiệu lực":
        # the next sentence of the same paragraph goes on with the figures of the same kind, unless it
        # names domestic investment.
        follows = (
            previous_index == sentence.index - 1
            and ctx.sentences[previous_index].paragraph == sentence.paragraph
            and not _DOMESTIC.search(body)
        )
        sentence_domain, sentence_period = None, None
        first_told = None  # the domain and period of this sentence's first dated figure
        if _PLANNED_SENTENCE.search(body) or _PLANNED_VERB.search(body):
            # Its amounts are not figures, but what it speaks of still carries to the next sentence.
            if (planned_domain := _domain(body, ctx.article_ngo)) is not None:
                previous_domain, previous_index = planned_domain, sentence.index
            continue
        for number in numbers_in(text, sentence.start, sentence.end):
            unit = None
            for pattern, name in _UNITS:
                match = pattern.match(text, number.end)
                if match:
                    unit, unit_end = name, match.end()
                    break
            if unit is None:
                continue
            # "đón 60 đoàn vào với 700 lượt khách": guests are a delegation's persons only when counted with the
            # delegations they came in (a count of tourists, "đón 2 triệu lượt khách", is not).
            if (
                unit == "persons"
                and "khách" in text[number.end : unit_end]
                and not re.search(
                    r"\sđoàn\s+(?:\w+\s+){0,3}(?:với|gồm)\s*$",
                    text[max(sentence.start, number.start - 50) : number.start],
                )
            ):
                continue
            if _equivalent(text, sentence.start, number.start):
                equivalents.append((unit, number.value))
                continue
            if unit == "projects" and (
                _ADJUSTED_AFTER.match(text, unit_end)
                or _ADJUSTED_BEFORE.search(text[max(sentence.start, number.start - 60) : number.start])
            ):
                continue
            if examples and number.start >= sentence.start + examples.end():
                continue  # "Trong đó, có một số khoản viện trợ lớn như: USAID tài trợ 9 tỷ đồng …": an example
            before = text[max(sentence.start, number.start - 160) : number.start]
            before = before.split(";")[-1]
            if _PLANNED.search(re.split(r"[,;]", before)[-1] if unit in ("USD", "VND") else before[-40:]):
                continue
            if _WITHDRAWN.search(re.split(r"[,;]", before)[-1]):
                continue
            if _DIFFERENCE.search(text[sentence.start : number.start]):
                continue
            own_clause = re.split(r"[,;(]", before)[-1]
            if unit in ("USD", "VND") and _NOT_CAPITAL.search(own_clause):
                continue
            if unit in ("USD", "VND") and _FIRMS_COUNTED.search(text[sentence.start : number.start]):
                continue
            # "… 1.177 dự án trong nước với tổng vốn đăng ký đạt 81.520 tỷ đồng": the amount's own phrase is of
            # domestic investment, whatever else its sentence speaks of.
            if re.search(r"trong\s+nước", own_clause) or (
                unit == "projects" and re.match(r"\s*(?:đầu\s+tư\s+)?trong\s+nước", text[unit_end : unit_end + 30])
            ):
                continue
            if unit == "projects" and _ALL_INVESTMENT.match(text[unit_end : sentence.end]):
                continue
            if _NATIONAL.search(re.split(r";|,\s+(?!với\b)", before)[-1]):
                continue
            if (
                unit not in ("USD", "VND")
                and (unit, number.value) in previous_counts
                and re.search(r"\bcủa\s*$", before)
            ):
                continue  # "… 28 chương trình, dự án. Tổng vốn … của 28 chương trình, dự án là …": the same 28
            after = re.split(r"[;(]|\.(?!\d)", text[unit_end : min(sentence.end, unit_end + 120)])[0]
            clause_start = text.rfind(";", sentence.start, number.start) + 1 or sentence.start
            clause_end = text.find(";", number.end, sentence.end)
            clause = text[max(clause_start, sentence.start) : clause_end if clause_end > 0 else sentence.end]
            domain = _domain(clause, False) or _domain(body, ctx.article_ngo)
            domain = domain or (previous_domain if continues or follows else None)
            if (
                domain is None
                and ctx.article_fdi
                and unit in ("projects", "USD")
                and not _DOMESTIC.search(body)
                # the sentence, or the one cut off before it at "GO!" ("Dự án Trung tâm Thương mại GO! Lào Cai …")
                and not _ONE_PROJECT.search(text[text.rfind("\n", 0, sentence.start) + 1 : sentence.end])
            ):
                domain = "fdi"
            if domain == "fdi" and unit in ("USD", "VND") and _GIVEN.search(own_clause):
                continue
            indicator = _indicator(unit, domain, before, text[number.end : unit_end] + after, body, ctx.article_ngo)
            subject = text[max(clause_start, sentence.start) : number.start]
            indicator = _sender_flip(indicator, subject, ctx.foreign_names)
            if indicator is None:
                continue
            period = period_after(ctx, sentence, unit_end) or period_of(ctx, sentence, number.start)
            if continues and period[0] is None and period[1] is None and previous_period is not None:
                period = previous_period
            if (
                period[0] is None
                and period[1] is None
                and told is not None
                and told[0] == domain
                and _REFERS_BACK.search(text[sentence.start : number.start])
            ):
                period = told[1]
            start, end, precision = period
            if start is None and end is not None and precision in (MONTH, DAY) and _NEWLY.search(before + " " + after):
                start = date(end.year, 1, 1)
            if (earlier := _SAME_PERIOD_OF.search(text[sentence.start : number.start])) is not None:
                start, end = in_year(start, int(earlier.group(1))), in_year(end, int(earlier.group(1)))
            sentence_domain, sentence_period = domain, period
            if first_told is None and (period[0] is not None or period[1] is not None):
                first_told = (domain, period)
            counts.add((unit, number.value))
            span = Span(sentence.start, sentence.end)
            found.append(
                proposal := FigureProposal(
                    indicator=indicator,
                    value=number.value,
                    unit=unit,
                    qualifier=_qualifier(number, text[sentence.start : number.start]),
                    period_start=start,
                    period_end=end,
                    excerpt=span.of(text),
                    span=span,
                    period_precision=precision,
                    scope=_scope(ctx, body),
                )
            )
            positions[id(proposal)] = number.start
        if sentence_domain is not None:
            previous_domain, previous_period, previous_index = sentence_domain, sentence_period, sentence.index
        if first_told is not None:
            told = first_told
    return without_repeats(ctx, found, positions, equivalents)
