"""What a column of an office's list can mean: the targets of the mapping.

Each record kind (delegations, agreements, projects, partners, twinning pairs)
has a list of targets. A target is one thing a column may hold: a field of the
register (the delegation's number of persons), or a form the offices use that
fills several (``leader``: "Ông Hoàng Văn Minh, Phó Giám đốc Sở Công Thương",
read into the head's name and position; ``dates``: "11-16/6/2023", read into
the start, the end and their precision). Besides the targets, a column may be
ignored or added to the record's notes under its heading.

A target knows the headings offices give it (``headings``), matched accents,
case and punctuation aside; the register's own export headings are known as
well (``register_headings``), so that the export comes back through the same
door. ``reader`` names how register/office_import/rows.py reads its cells.

A heading over sub-headings ("Thời gian" over "Từ ngày | Đến ngày") comes
joined to each of them ("Thời gian – Từ ngày", header_rows.py); the pair is
read by ``target_for`` as the sub-heading within its parent.

A projects list may carry money per period in columns ("Giải ngân năm 2022
(triệu đồng)"): such a heading is known by its form rather than listed
(money.py); it maps to the target of its transaction kind, and each of its
cells becomes a transaction of the row's project (transactions.py).
"""

import re
from dataclasses import dataclass, field
from functools import cache

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.text import fold
from register.office_import.amounts import unit_in
from register.office_import.header_rows import SEPARATOR
from register.office_import.money import read_heading

IGNORE = "ignore"
NOTES = "notes"
TRANSACTION = "transaction"  # the reader of a money column per period (office_import/money.py)


@dataclass(frozen=True)
class Target:
    key: str
    label: str  # lazily translated
    reader: str  # text, count, person, dates, date, term, places, choice, name, raw, amount, transaction, ignore
    headings: tuple = ()
    # The register columns (common/tabular.py keys) the target writes.
    writes: tuple = ()
    # The register column whose export heading also means this target.
    column: str = ""
    repeatable: bool = False  # several columns may map to it (their texts joined)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: str  # "app_label.ModelName"
    resource: str  # dotted path of the register's import resource
    notes_column: str  # where "add to notes" writes
    targets: tuple = field(default=())

    def target(self, key):
        return next((t for t in self.targets if t.key == key), None)


def _t(key, label, reader, headings=(), writes=None, column=None, repeatable=False):
    writes = tuple(writes) if writes is not None else (key,)
    column = column if column is not None else (key if len(writes) == 1 else "")
    return Target(key, label, reader, tuple(headings), writes, column, repeatable)


RECORD = _t("id", _("Record number (updates that record)"), "raw", ("Số bản ghi", "Mã bản ghi"))
VERSION = _t("version", _("Version (from the export)"), "raw", ("Phiên bản",))
STT = ("STT", "TT", "Số TT", "Số thứ tự", "No", "No.", "Stt")


def _common(column, label, headings):
    """The two targets every kind ends with: the record's notes (``column``),
    where "add to notes" writes each cell under its heading, and "ignore"."""
    return (
        _t(NOTES, label, NOTES, headings, writes=(column,), column=column, repeatable=True),
        _t(IGNORE, _("Ignore this column"), IGNORE, STT, writes=(), column="", repeatable=True),
    )


# The headings of the typical office list of outbound delegations (issue 15's "DANH SÁCH ĐOÀN RA NĂM 2023"):
# the one definition the tests' office files, their fixture script and the benchmark build their lists with.
OFFICE_DELEGATION_HEADINGS = (
    "STT",
    "Họ tên, chức vụ trưởng đoàn",
    "Số thành viên",
    "Nước/địa phương đến",
    "Thời gian",
    "Mục đích chuyến đi",
    "Ghi chú",
)


DELEGATIONS = Kind(
    "delegations",
    _("Delegations"),
    "delegations.Delegation",
    "delegations.resources.DelegationResource",
    "outcome",
    (
        RECORD,
        VERSION,
        _t("title", _("Title"), "text", ("Tên đoàn", "Tiêu đề", "Tên hoạt động", "Đoàn")),
        _t(
            "direction",
            _("Direction (outbound, inbound...)"),
            "choice",
            ("Loại đoàn", "Đoàn ra/đoàn vào", "Hình thức đoàn", "Chiều"),
        ),
        _t(
            "leader",
            _("Head of delegation with position (split)"),
            "person",
            (
                "Họ tên, chức vụ trưởng đoàn",
                "Họ và tên, chức vụ trưởng đoàn",
                "Trưởng đoàn",
                "Trưởng đoàn, chức vụ",
                "Họ tên trưởng đoàn, chức vụ",
                "Người dẫn đoàn",
                "Lãnh đạo dẫn đoàn",
                "Thành phần trưởng đoàn",
            ),
            writes=("leader_name", "leader_title"),
        ),
        _t(
            "leader_name",
            _("Head of delegation (name only)"),
            "text",
            ("Họ và tên", "Họ tên", "Tên trưởng đoàn", "Họ tên trưởng đoàn", "Họ và tên trưởng đoàn"),
        ),
        _t("leader_title", _("Position of the head"), "text", ("Chức vụ", "Chức vụ trưởng đoàn", "Chức danh")),
        _t(
            "size",
            _("Number of persons"),
            "count",
            (
                "Số người",
                "Số lượng",
                "Số thành viên",
                "Thành phần",
                "Số lượng thành viên",
                "SL",
                "Số lượng người",
                "Tổng số người",
                "Số người đi",
            ),
        ),
        _t(
            "partners",
            _("Countries, localities or partners (matched to partners)"),
            "places",
            (
                "Nước đến",
                "Nước/địa phương đến",
                "Quốc gia",
                "Địa bàn",
                "Nước",
                "Nơi đến",
                "Đối tác",
                "Đối tác nước ngoài",
                "Địa phương đến",
                "Quốc gia/vùng lãnh thổ",
                "Đoàn nước ngoài",
                "Cơ quan, đối tác",
            ),
        ),
        _t(
            "dates",
            _("Dates (from–to, read into start, end and precision)"),
            "dates",
            (
                "Thời gian",
                "Thời gian đi",
                "Thời gian thực hiện",
                "Thời gian làm việc",
                "Thời gian tiếp",
                "Ngày",
                "Từ ngày…đến ngày",
                "Từ ngày đến ngày",
                "Thời gian công tác",
            ),
            writes=("start_date", "end_date", "date_precision"),
        ),
        _t("start_date", _("Start date"), "date", ("Từ ngày", "Ngày đi", "Ngày bắt đầu", "Ngày đến")),
        _t("end_date", _("End date"), "date", ("Đến ngày", "Ngày về", "Ngày kết thúc")),
        _t(
            "purpose",
            _("Kind of activity (working visit, conference...)"),
            "choice",
            ("Hình thức", "Loại hình hoạt động", "Hình thức hoạt động"),
        ),
        _t("level", _("Level"), "choice", ("Cấp đoàn", "Cấp")),
        _t(
            "host_unit",
            _("Host or sending unit (one of our units)"),
            "name",
            (
                "Đơn vị chủ trì",
                "Cơ quan chủ trì",
                "Đơn vị cử đoàn",
                "Cơ quan cử đoàn",
                "Đơn vị đón tiếp",
                "Cơ quan, đơn vị",
                "Đơn vị",
            ),
        ),
        _t("places", _("Places visited"), "text", ("Địa điểm", "Địa điểm làm việc", "Nơi làm việc", "Địa điểm tiếp")),
        _t("received_by", _("Received by"), "text", ("Người tiếp", "Lãnh đạo tiếp", "Lãnh đạo tỉnh tiếp", "Tiếp đoàn")),
        _t("mechanism", _("Cooperation mechanism"), "name", ("Cơ chế hợp tác", "Cơ chế")),
        _t(
            "decision_ref",
            _("Decision number"),
            "text",
            ("Số quyết định", "Quyết định cử đoàn", "QĐ cử đoàn", "Số QĐ", "Quyết định"),
        ),
        _t("funding", pgettext_lazy("delegation funding", "Funding"), "choice", ("Kinh phí", "Nguồn kinh phí")),
        _t("status", _("Status"), "choice", ("Tình trạng", "Trạng thái")),
        *_common(
            "outcome",
            _("Add to notes (the outcome), under its heading"),
            (
                "Ghi chú",
                "Mục đích",
                "Mục đích chuyến đi",
                "Nội dung",
                "Nội dung làm việc",
                "Mục đích, nội dung",
                "Kết quả",
                "Kết quả chuyến đi",
            ),
        ),
    ),
)

AGREEMENTS = Kind(
    "agreements",
    _("Agreements"),
    "agreements.Agreement",
    "agreements.resources.AgreementResource",
    "summary",
    (
        RECORD,
        VERSION,
        _t("code", _("Document number"), "text", ("Số hiệu", "Số văn bản", "Ký hiệu", "Số, ký hiệu")),
        _t(
            "title",
            _("Title"),
            "text",
            (
                "Tên thỏa thuận",
                "Tên văn bản",
                "Tên văn kiện",
                "Tên thỏa thuận quốc tế",
                "Tên văn bản thỏa thuận",
                "Tên gọi",
                "Tên thoả thuận",
            ),
        ),
        _t(
            "kind",
            _("Kind (MoU, agreement, minutes...)"),
            "choice",
            ("Loại văn bản", "Loại thỏa thuận", "Hình thức văn bản", "Loại"),
        ),
        _t("regime", _("Legal regime"), "choice", ("Chế độ pháp lý",)),
        _t("signing_level", _("Signing level"), "choice", ("Cấp ký", "Cấp ký kết")),
        _t(
            "local_signatory",
            _("Our signatory (one of our units)"),
            "name",
            (
                "Cơ quan ký kết",
                "Cơ quan ký",
                "Đơn vị ký",
                "Bên ký kết phía Việt Nam",
                "Cơ quan ký phía Việt Nam",
                "Cơ quan ký kết phía Việt Nam",
                "Bên Việt Nam",
            ),
        ),
        _t(
            "partners",
            _("Foreign parties (matched to partners)"),
            "places",
            (
                "Đối tác",
                "Đối tác nước ngoài",
                "Bên ký kết nước ngoài",
                "Cơ quan ký kết phía nước ngoài",
                "Bên nước ngoài",
                "Nước",
                "Quốc gia",
                "Đối tác ký kết",
            ),
        ),
        _t(
            "signed_on",
            _("Date of signing"),
            "date",
            ("Ngày ký", "Thời gian ký", "Ngày ký kết", "Ngày, tháng, năm ký", "Ngày tháng năm ký"),
        ),
        _t("signed_place", _("Place of signing"), "text", ("Nơi ký", "Địa điểm ký", "Địa điểm ký kết")),
        _t("effective_on", _("Date of entry into force"), "date", ("Ngày hiệu lực", "Ngày có hiệu lực")),
        _t(
            "term",
            _("Term (3 năm; expiry from the signing date)"),
            "term",
            ("Thời hạn", "Hiệu lực", "Thời hạn hiệu lực", "Thời hạn thỏa thuận"),
            writes=("expires_on",),
            column="",
        ),
        _t("expires_on", _("Expiry date"), "date", ("Ngày hết hạn", "Ngày hết hiệu lực", "Hết hạn ngày")),
        _t(
            "status", _("Status"), "choice", ("Tình trạng", "Tình trạng hiệu lực", "Trạng thái", "Tình trạng thực hiện")
        ),
        *_common(
            "summary",
            _("Add to notes (the summary), under its heading"),
            ("Ghi chú", "Nội dung", "Nội dung chính", "Tóm tắt nội dung", "Nội dung thỏa thuận", "Lĩnh vực hợp tác"),
        ),
    ),
)

PROJECTS = Kind(
    "projects",
    _("Projects"),
    "projects.Project",
    "projects.resources.ProjectResource",
    "description",
    (
        RECORD,
        VERSION,
        _t("code", _("Project code"), "text", ("Mã dự án", "Mã số")),
        _t("title", _("Title"), "text", ("Tên dự án", "Tên chương trình, dự án", "Tên chương trình/dự án", "Dự án")),
        _t("kind", _("Kind (ODA, FDI, NGO...)"), "choice", ("Loại dự án", "Loại hình", "Nguồn vốn")),
        _t("status", _("Status"), "choice", ("Tình trạng", "Trạng thái", "Tiến độ")),
        _t(
            "participants_1",
            _("Funder (matched to partners)"),
            "places",
            ("Nhà tài trợ", "Tổ chức tài trợ", "Đối tác", "Nhà đầu tư", "Bên tài trợ", "Nhà tài trợ/đối tác"),
            column="participants_1",
        ),
        _t(
            "dates",
            _("Duration (from–to)"),
            "dates",
            ("Thời gian thực hiện", "Thời gian", "Thời gian triển khai"),
            writes=("planned_start", "planned_end", "date_precision"),
        ),
        _t("planned_start", _("Planned start"), "date", ("Năm bắt đầu", "Ngày bắt đầu", "Khởi công")),
        _t("planned_end", _("Planned end"), "date", ("Năm kết thúc", "Ngày kết thúc", "Hoàn thành")),
        _t(
            "committed_amount",
            _("Committed amount (with its currency)"),
            "amount",
            (
                "Tổng vốn",
                "Tổng vốn cam kết",
                "Giá trị",
                "Giá trị tài trợ",
                "Vốn cam kết",
                "Tổng mức đầu tư",
                "Kinh phí",
                "Vốn ODA",
                "Giá trị viện trợ",
            ),
            writes=("committed_amount", "currency"),
            column="committed_amount",
        ),
        _t("currency", _("Currency"), "text", ("Đơn vị tiền", "Loại tiền", "Đơn vị tính")),
        # Money per period ("Giải ngân năm 2022 (triệu đồng)"): each cell a transaction of the
        # project, dated by the heading (money.py); the key is the transaction's kind.
        _t(
            "commitment",
            _("Commitment in the period of the heading (each cell a transaction)"),
            TRANSACTION,
            writes=(),
            repeatable=True,
        ),
        _t(
            "disbursement",
            _("Disbursement in the period of the heading (each cell a transaction)"),
            TRANSACTION,
            writes=(),
            repeatable=True,
        ),
        _t(
            "expenditure",
            _("Expenditure in the period of the heading (each cell a transaction)"),
            TRANSACTION,
            writes=(),
            repeatable=True,
        ),
        _t(
            "in_kind",
            _("In-kind support in the period of the heading (each cell a transaction)"),
            TRANSACTION,
            writes=(),
            repeatable=True,
        ),
        *_common(
            "description",
            _("Add to notes (the description), under its heading"),
            ("Ghi chú", "Mục tiêu", "Nội dung", "Địa bàn", "Địa bàn thực hiện", "Lĩnh vực"),
        ),
    ),
)

PARTNERS = Kind(
    "partners",
    _("Partners"),
    "partners.Partner",
    "partners.resources.PartnerResource",
    "notes",
    (
        RECORD,
        VERSION,
        _t(
            "name",
            _("Name"),
            "text",
            ("Tên đối tác", "Tên", "Tên tiếng Việt", "Tên cơ quan, tổ chức", "Tên tổ chức", "Đối tác"),
        ),
        _t("name_en", _("English name"), "text", ("Tên tiếng Anh", "Tên giao dịch")),
        _t("name_native", _("Native name"), "text", ("Tên bản ngữ", "Tên tiếng Trung", "Tên gốc", "Tên chữ Hán")),
        _t("aliases", _("Other names"), "text", ("Tên khác", "Tên gọi khác")),
        _t("kind", _("Kind"), "choice", ("Loại", "Loại đối tác", "Loại hình")),
        _t("country", _("Country (code)"), "text", ("Mã nước",)),
        _t("parent", _("Belongs to (a partner)"), "name", ("Trực thuộc", "Cấp trên", "Thuộc", "Quốc gia", "Nước")),
        *_common(
            "notes",
            _("Add to notes, under its heading"),
            ("Ghi chú", "Địa chỉ", "Lĩnh vực hoạt động"),
        ),
    ),
)

TWINNINGS = Kind(
    "twinnings",
    _("Twinning pairs"),
    "agreements.Partnership",
    "agreements.resources.PartnershipResource",
    "note",
    (
        RECORD,
        VERSION,
        _t(
            "local_unit",
            _("Our unit"),
            "name",
            (
                "Địa phương",
                "Đơn vị",
                "Xã, phường",
                "Xã/phường",
                "Huyện",
                "Địa phương phía Việt Nam",
                "Bên Việt Nam",
                "Thôn, bản",
                "Đồn biên phòng",
            ),
        ),
        _t(
            "partner",
            _("Counterpart (matched to partners)"),
            "places",
            (
                "Đối tác",
                "Địa phương kết nghĩa",
                "Bên nước ngoài",
                "Phía Trung Quốc",
                "Đơn vị kết nghĩa",
                "Địa phương, đơn vị kết nghĩa",
            ),
        ),
        _t("kind", _("Kind of pair"), "choice", ("Loại", "Hình thức", "Cấp kết nghĩa", "Loại kết nghĩa")),
        _t(
            "established_on",
            _("Established on"),
            "date",
            ("Ngày kết nghĩa", "Thời gian kết nghĩa", "Năm kết nghĩa", "Ngày ký", "Thời gian ký kết"),
        ),
        *_common(
            "note",
            _("Add to notes, under its heading"),
            ("Ghi chú", "Nội dung"),
        ),
    ),
)

KINDS = {kind.key: kind for kind in (DELEGATIONS, AGREEMENTS, PROJECTS, PARTNERS, TWINNINGS)}


def kind_choices():
    return [(kind.key, kind.label) for kind in KINDS.values()]


def heading_key(text):
    """A heading folded, punctuation and numbering aside: "Họ tên, chức vụ (1)" → "ho ten chuc vu"."""
    folded = fold(str(text or ""))
    folded = re.sub(r"\(\s*\d+\s*\)", " ", folded)
    folded = re.sub(r"[^\w]+", " ", folded)
    return " ".join(folded.split())


def register_columns(kind):
    from django.utils.module_loading import import_string

    return import_string(kind.resource).columns


@cache
def _headings(kind_key, language):
    """{heading key: target key} for one language of the register's headers."""
    kind = KINDS[kind_key]
    found = {}
    by_column = {t.column: t.key for t in kind.targets if t.column}
    with translation.override(language):
        for column in register_columns(kind):
            target = by_column.get(column.key)
            if target is None or column.readonly:
                continue
            found.setdefault(heading_key(column.header), target)
            found.setdefault(heading_key(column.key), target)
    for target in kind.targets:
        for heading in target.headings:
            found.setdefault(heading_key(heading), target.key)
    return found


def target_for(kind, heading):
    """The target key a heading means, None when unknown. A sub-heading joined
    to its parent ("Thời gian – Từ ngày") is read as the part it names."""
    text = str(heading or "")
    if SEPARATOR in text:
        parent, child = text.split(SEPARATOR, 1)
        if _balanced(parent) and _balanced(child):
            found = _pair_target(kind, parent, child)
            if found:
                return found
    return _target_for(kind, text)


def _target_for(kind, heading):
    """The target key one heading means, None when unknown. Besides the known
    headings: a money column per period ("Giải ngân năm 2022 (triệu đồng)") of
    a kind with transactions, and an amount's heading with its unit ("Vốn cam
    kết (USD)")."""
    found = _known_heading(kind, heading)
    if found:
        return found
    money = read_heading(heading)
    if money.is_transaction and (target := kind.target(money.kind)) and target.reader == TRANSACTION:
        return target.key
    rest, unit = unit_in(heading)
    if unit is not None:
        found = _known_heading(kind, rest)
        if found and kind.target(found) is not None and kind.target(found).reader == "amount":
            return found
    return None


def _known_heading(kind, heading):
    key = heading_key(heading)
    if not key:
        return None
    for language in ("vi", "en"):
        found = _headings(kind.key, language).get(key)
        if found:
            return found
    return None


def _balanced(text):
    """Not a piece of a bracket: "Thời gian (từ – đến)" is one heading, not a pair."""
    return text.count("(") == text.count(")")


# A sub-heading that names a part of what its parent's target reads, by the
# parent's reader: the first part is the target writing the parent's first
# register column (the start, the head's name), the second its second.
PARTS = {
    "dates": ({"tu", "tu ngay", "bat dau", "di"}, {"den", "den ngay", "ket thuc", "ve"}),
    "person": ({"ten", "ho ten", "ho va ten"}, {"chuc vu", "chuc danh"}),
}


def _parent(kind, heading):
    """The target a heading over sub-headings means: of those giving it as one of
    their headings, the one writing most ("Trưởng đoàn": the head's name and
    position, though the register's own header "Trưởng đoàn" is the name alone)."""
    key = heading_key(heading)
    named = [target for target in kind.targets if key in {heading_key(text) for text in target.headings}]
    if named:
        return max(named, key=lambda target: len(target.writes))
    found = _target_for(kind, heading)
    return kind.target(found) if found else None


def _within(kind, key, parent):
    """Whether target ``key`` writes a part of what target ``parent`` writes (a start date of the dates)."""
    target = kind.target(key)
    return bool(target and target.writes and set(target.writes) <= set(parent.writes))


def _pair_target(kind, parent, child):
    """What a sub-heading means under its parent: the part of the parent it names
    ("Thời gian – Từ" → the start date), or its own meaning when that is within
    the parent's ("Trưởng đoàn – Chức vụ" → the head's position) or the parent
    has none of its own. None otherwise, and for an amount under a heading in
    brackets ("Vốn (triệu đồng) – Tổng vốn"): the unit there would be lost."""
    parent_target, child_key = _parent(kind, parent), _target_for(kind, child)
    found = None
    if parent_target and child_key is None:
        for part, words in enumerate(PARTS.get(parent_target.reader, ())):
            if heading_key(child) in words:
                wanted = (parent_target.writes[part],)
                found = next((target.key for target in kind.targets if target.writes == wanted), None)
    elif child_key and (parent_target is None or _within(kind, child_key, parent_target)):
        found = child_key
    if found and "(" in parent and kind.target(found).reader == "amount":
        return None
    return found


def belongs_under(kind, parent, child):
    """Whether sub-heading ``child`` may be part of the heading ``parent`` spanning
    columns: unless it means something of its own that is not within the
    parent's ("Ghi chú" next to "Thời gian – Từ ngày | Thời gian – Đến ngày")."""
    child_key = _target_for(kind, child)
    if child_key is None:
        return True
    parent_target = _parent(kind, parent)
    return parent_target is not None and _within(kind, child_key, parent_target)


def is_known(kind, heading):
    return target_for(kind, heading) not in (None,)
