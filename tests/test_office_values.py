"""Cell values as the offices write them (register/office_import/values.py): no database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from common.partial_dates import PartialDate
from common.text import fold
from register.office_import.values import (
    SYNONYMS,
    CellError,
    DateRange,
    Term,
    choice_for,
    choice_words,
    expiry,
    parse_amount,
    parse_count,
    parse_date,
    parse_date_range,
    parse_term,
    split_person,
    split_places,
    strip_admin_prefix,
)

D = dt.date
THIS_YEAR = dt.date.today().year


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def day_range(start, end=None):
    return DateRange(start, end, "day")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11-16/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("11 - 16/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("11/6 - 16/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("11/6-16/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("11/6 – 16/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("30/6 - 02/7/2023", day_range(D(2023, 6, 30), D(2023, 7, 2))),
        ("30/12/2023 - 02/01/2024", day_range(D(2023, 12, 30), D(2024, 1, 2))),
        ("30/12 - 02/01/2024", day_range(D(2023, 12, 30), D(2024, 1, 2))),
        ("từ 11/6 đến 16/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("Từ ngày 11/6/2023 đến ngày 16/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("tu ngay 11/6/2023 den ngay 16/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("11/6/2023 - 16/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("11.6.2023 - 16.6.2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("2023-06-11 - 2023-06-16", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("11/6/2023\n-\n16/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("Từ ngày 11/6/2023\nđến ngày 16/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("11-16/6/2023 (dự kiến)", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("Dự kiến 11-16/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 16))),
        ("ngày 11/6/2023", day_range(D(2023, 6, 11))),
        ("11/6/2023", day_range(D(2023, 6, 11))),
        ("11.6.2023", day_range(D(2023, 6, 11))),
        ("2023-06-11", day_range(D(2023, 6, 11))),
        ("  11/6/2023 (dự kiến) ", day_range(D(2023, 6, 11))),
        ("tháng 9/2023", DateRange(D(2023, 9, 1), None, "month")),
        ("Tháng 9 năm 2023", DateRange(D(2023, 9, 1), None, "month")),
        ("T9/2023", DateRange(D(2023, 9, 1), None, "month")),
        ("09/2023", DateRange(D(2023, 9, 1), None, "month")),
        ("tháng 9 - 10/2023", DateRange(D(2023, 9, 1), D(2023, 10, 1), "month")),
        ("tháng 9 - tháng 10/2023", DateRange(D(2023, 9, 1), D(2023, 10, 1), "month")),
        ("9-10/2023", DateRange(D(2023, 9, 1), D(2023, 10, 1), "month")),
        ("Quý III/2023", DateRange(D(2023, 7, 1), D(2023, 9, 1), "month")),
        ("quý 3/2023", DateRange(D(2023, 7, 1), D(2023, 9, 1), "month")),
        ("Q3/2023", DateRange(D(2023, 7, 1), D(2023, 9, 1), "month")),
        ("Quý I năm 2024", DateRange(D(2024, 1, 1), D(2024, 3, 1), "month")),
        ("Quý IV/2023 (dự kiến)", DateRange(D(2023, 10, 1), D(2023, 12, 1), "month")),
        ("2018", DateRange(D(2018, 1, 1), None, "year")),
        ("năm 2018", DateRange(D(2018, 1, 1), None, "year")),
        ("2018 - 2020", DateRange(D(2018, 1, 1), D(2020, 1, 1), "year")),
        # A day and a month: the coarser precision, each end on the first of its month.
        ("25/8 - tháng 10/2023", DateRange(D(2023, 8, 1), D(2023, 10, 1), "month")),
        ("11/6/2023 - 2024", DateRange(D(2023, 1, 1), D(2024, 1, 1), "year")),
        ("11/6/2023 - 11/6/2023", day_range(D(2023, 6, 11), D(2023, 6, 11))),
        (2018, DateRange(D(2018, 1, 1), None, "year")),
        (2018.0, DateRange(D(2018, 1, 1), None, "year")),
        (D(2023, 6, 11), day_range(D(2023, 6, 11))),
        (dt.datetime(2023, 6, 11, 0, 0), day_range(D(2023, 6, 11))),
    ],
)
def test_date_range_reads_the_office_forms(value, expected):
    found = parse_date_range(value)
    assert found == expected
    assert found.precision in ("day", "month", "year")


@pytest.mark.parametrize("value", [None, "", "   ", "\n"])
def test_blank_date_cell_is_none(value):
    assert parse_date_range(value) is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("31/6/2023", ["31/6/2023", "30 ngày"]),
        ("30/02/2023", ["30/02/2023", "28 ngày"]),
        ("28-31/6/2023", ["31/6/2023", "30 ngày"]),
        ("16-11/6/2023", ["“16-11/6/2023”", "trước", "11-16/6/2023"]),
        ("tháng 10 - 9/2023", ["trước"]),
        ("11-16/6", ["“11-16/6”", "không ghi năm", f"11-16/6/{THIS_YEAR}"]),
        ("11/6", ["“11/6”", "không ghi năm", f"11/6/{THIS_YEAR}"]),
        ("tháng 9", ["không ghi năm", f"tháng 9/{THIS_YEAR}"]),
        ("13/2023", ["tháng 13"]),
        ("sắp tới", ["“sắp tới”", "Quý III/2023"]),
        ("11-12-13-14", ["“11-12-13-14”"]),
        (20, ["“20”"]),
        (True, ["“True”"]),
    ],
)
def test_date_range_refuses_with_what_to_write(value, words):
    with pytest.raises(CellError) as error:
        parse_date_range(value)
    for word in words:
        assert word in str(error.value)


def test_date_range_message_is_english_in_english():
    with translation.override("en"), pytest.raises(CellError, match="does not give the year"):
        parse_date_range("11-16/6")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11/6/2023", PartialDate(D(2023, 6, 11), "day")),
        ("ngày 11/6/2023", PartialDate(D(2023, 6, 11), "day")),
        ("tháng 9/2023", PartialDate(D(2023, 9, 1), "month")),
        ("2018", PartialDate(D(2018, 1, 1), "year")),
        (2018, PartialDate(D(2018, 1, 1), "year")),
        (D(2020, 2, 29), PartialDate(D(2020, 2, 29), "day")),
        (dt.datetime(2020, 2, 29, 8, 30), PartialDate(D(2020, 2, 29), "day")),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("Quý III/2023", ["“Quý III/2023”", "quý", "10/2011"]),
        ("11-16/6/2023", ["“11-16/6/2023”", "11/6/2023"]),
        ("9-10/2023", ["“9-10/2023”", "11/6/2023"]),
        ("31/6/2023", ["30 ngày"]),
        ("ký sau", ["“ký sau”"]),
    ],
)
def test_parse_date_refuses_periods_and_non_dates(value, words):
    with pytest.raises(CellError) as error:
        parse_date(value)
    for word in words:
        assert word in str(error.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3 năm", Term(3, None, False, None)),
        ("05 năm kể từ ngày ký", Term(5, None, False, None)),
        ("5 năm (tự động gia hạn)", Term(5, None, False, None)),
        ("24 tháng", Term(None, 24, False, None)),
        ("3 năm 6 tháng", Term(3, 6, False, None)),
        ("không thời hạn", Term(None, None, True, None)),
        ("Vô thời hạn", Term(None, None, True, None)),
        ("không xác định thời hạn", Term(None, None, True, None)),
        ("Không có thời hạn", Term(None, None, True, None)),
        ("đến 31/12/2025", Term(None, None, False, PartialDate(D(2025, 12, 31), "day"))),
        ("đến hết năm 2025", Term(None, None, False, PartialDate(D(2025, 1, 1), "year"))),
        ("hiệu lực đến 31/12/2025", Term(None, None, False, PartialDate(D(2025, 12, 31), "day"))),
        ("Có hiệu lực đến hết ngày 31/12/2025", Term(None, None, False, PartialDate(D(2025, 12, 31), "day"))),
        ("đến tháng 12/2025", Term(None, None, False, PartialDate(D(2025, 12, 1), "month"))),
        ("31/12/2025", Term(None, None, False, PartialDate(D(2025, 12, 31), "day"))),
        ("2025", Term(None, None, False, PartialDate(D(2025, 1, 1), "year"))),
        (2025, Term(None, None, False, PartialDate(D(2025, 1, 1), "year"))),
        (D(2025, 12, 31), Term(None, None, False, PartialDate(D(2025, 12, 31), "day"))),
        ("", None),
        (None, None),
    ],
)
def test_parse_term(value, expected):
    assert parse_term(value) == expected


@pytest.mark.parametrize("value", ["lâu dài", "3", "ba năm", "đến khi xong", "3 năm 4 năm"])
def test_parse_term_refuses_what_it_cannot_read(value):
    with pytest.raises(CellError, match="3 năm, 24 tháng"):
        parse_term(value)


@pytest.mark.parametrize(
    ("term", "signed", "expected"),
    [
        ("3 năm", PartialDate(D(2021, 6, 11), "day"), PartialDate(D(2024, 6, 11), "day")),
        ("05 năm kể từ ngày ký", PartialDate(D(2020, 2, 29), "day"), PartialDate(D(2025, 2, 28), "day")),
        ("4 năm", PartialDate(D(2020, 2, 29), "day"), PartialDate(D(2024, 2, 29), "day")),
        ("24 tháng", PartialDate(D(2023, 1, 31), "day"), PartialDate(D(2025, 1, 31), "day")),
        ("1 tháng", PartialDate(D(2023, 1, 31), "day"), PartialDate(D(2023, 2, 28), "day")),
        ("18 tháng", PartialDate(D(2023, 11, 15), "day"), PartialDate(D(2025, 5, 15), "day")),
        ("3 năm", PartialDate(D(2021, 9, 1), "month"), PartialDate(D(2024, 9, 1), "month")),
        ("3 năm", PartialDate(D(2018, 1, 1), "year"), PartialDate(D(2021, 1, 1), "year")),
        ("18 tháng", PartialDate(D(2018, 1, 1), "year"), PartialDate(D(2019, 1, 1), "year")),
        ("không thời hạn", PartialDate(D(2021, 6, 11), "day"), None),
        ("không thời hạn", None, None),
        ("đến 31/12/2025", None, PartialDate(D(2025, 12, 31), "day")),
        ("đến 31/12/2025", PartialDate(D(2021, 6, 11), "day"), PartialDate(D(2025, 12, 31), "day")),
        ("", PartialDate(D(2021, 6, 11), "day"), None),
    ],
)
def test_expiry(term, signed, expected):
    assert expiry(parse_term(term), signed) == expected


def test_relative_term_without_signing_date_says_so():
    with pytest.raises(CellError) as error:
        expiry(parse_term("3 năm"), None)
    assert "“3 năm”" in str(error.value)
    assert "ngày ký" in str(error.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Ông Hoàng Văn Minh, Phó Giám đốc Sở Công Thương", ("Hoàng Văn Minh", "Phó Giám đốc Sở Công Thương")),
        ("Đ/c Hoàng Văn Minh - Phó Giám đốc Sở Công Thương", ("Hoàng Văn Minh", "Phó Giám đốc Sở Công Thương")),
        ("đ/c Hoàng Văn Minh - Phó Giám đốc Sở Công Thương", ("Hoàng Văn Minh", "Phó Giám đốc Sở Công Thương")),
        ("Đồng chí Hoàng Văn Minh – PCT UBND tỉnh", ("Hoàng Văn Minh", "PCT UBND tỉnh")),
        ("Bà Nguyễn Thị Lan (Giám đốc Sở Ngoại vụ)", ("Nguyễn Thị Lan", "Giám đốc Sở Ngoại vụ")),
        ("Hoàng Văn Minh\nPhó Giám đốc Sở Công Thương", ("Hoàng Văn Minh", "Phó Giám đốc Sở Công Thương")),
        ("Phó Giám đốc Sở Công Thương Hoàng Văn Minh", ("Hoàng Văn Minh", "Phó Giám đốc Sở Công Thương")),
        ("Chủ tịch UBND thành phố Hà Nội Nguyễn Văn An", ("Nguyễn Văn An", "Chủ tịch UBND thành phố Hà Nội")),
        ("Phó Giám đốc Sở Công Thương, Hoàng Văn Minh", ("Hoàng Văn Minh", "Phó Giám đốc Sở Công Thương")),
        ("Hoàng Văn Minh", ("Hoàng Văn Minh", "")),
        ("Ông Hoàng Văn Minh", ("Hoàng Văn Minh", "")),
        ("Phó Chủ tịch UBND tỉnh", ("", "Phó Chủ tịch UBND tỉnh")),
        ("Phó Chủ tịch UBND tỉnh Lạng Sơn", ("", "Phó Chủ tịch UBND tỉnh Lạng Sơn")),
        ("ông Vũ Hiểu Huy, Bí thư Thị uỷ Bằng Tường", ("Vũ Hiểu Huy", "Bí thư Thị uỷ Bằng Tường")),
        ("Ngài Lưu Ninh, Bí thư Khu ủy Quảng Tây", ("Lưu Ninh", "Bí thư Khu ủy Quảng Tây")),
        ("Mr. John Smith, Ambassador", ("John Smith", "Ambassador")),
        # Academic titles are how the person is styled: kept, in front of the title.
        ("TS. Hoàng Văn Minh, Giám đốc Sở Công Thương", ("Hoàng Văn Minh", "TS. Giám đốc Sở Công Thương")),
        ("Ông PGS.TS. Hoàng Văn Minh", ("Hoàng Văn Minh", "PGS.TS.")),
        # Not clear: the whole text as the name, for the clerk to see.
        ("Đoàn Sở Công Thương, 5 người", ("Đoàn Sở Công Thương, 5 người", "")),
        ("Minh", ("Minh", "")),
        ("", ("", "")),
        (None, ("", "")),
    ],
)
def test_split_person(value, expected):
    assert split_person(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Trung Quốc (Quảng Tây)", [["Quảng Tây", "Trung Quốc"]]),
        ("Lào (tỉnh Luông Pha Băng)", [["Luông Pha Băng", "Lào"]]),
        ("Quảng Tây, Trung Quốc", [["Quảng Tây", "Trung Quốc"]]),
        ("Trung Quốc (Quảng Tây, Vân Nam)", [["Quảng Tây", "Trung Quốc"], ["Vân Nam", "Trung Quốc"]]),
        ("Nhật Bản; Hàn Quốc", [["Nhật Bản"], ["Hàn Quốc"]]),
        ("Nhật Bản và Hàn Quốc", [["Nhật Bản"], ["Hàn Quốc"]]),
        ("Nhật Bản\nHàn Quốc", [["Nhật Bản"], ["Hàn Quốc"]]),
        ("Nhật Bản + Hàn Quốc", [["Nhật Bản"], ["Hàn Quốc"]]),
        ("Nhật Bản, Hàn Quốc", [["Nhật Bản", "Hàn Quốc"]]),
        ("TP. Nam Ninh (Quảng Tây, Trung Quốc)", [["Nam Ninh", "Quảng Tây", "Trung Quốc"]]),
        ("Bằng Tường - Quảng Tây - Trung Quốc", [["Bằng Tường", "Quảng Tây", "Trung Quốc"]]),
        ("Bằng Tường – Quảng Tây – Trung Quốc", [["Bằng Tường", "Quảng Tây", "Trung Quốc"]]),
        ("Bang Texas (Hoa Kỳ)", [["Texas", "Hoa Kỳ"]]),
        ("Xinh-ga-po", [["Xinh-ga-po"]]),
        ("Châu Âu", [["Châu Âu"]]),
        ("Lào (Luông Pha Băng); Trung Quốc (Quảng Tây)", [["Luông Pha Băng", "Lào"], ["Quảng Tây", "Trung Quốc"]]),
        ("", []),
        (None, []),
    ],
)
def test_split_places(value, expected):
    assert split_places(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("tỉnh Luông Pha Băng", "Luông Pha Băng"),
        ("Tỉnh Quảng Tây", "Quảng Tây"),
        ("TP. Nam Ninh", "Nam Ninh"),
        ("TP.Nam Ninh", "Nam Ninh"),
        ("TP Nam Ninh", "Nam Ninh"),
        ("thành phố Bằng Tường", "Bằng Tường"),
        ("Thủ đô Viêng Chăn", "Viêng Chăn"),
        ("Khu tự trị dân tộc Choang Quảng Tây", "dân tộc Choang Quảng Tây"),
        ("huyện Long Châu", "Long Châu"),
        ("thị xã Đông Hưng", "Đông Hưng"),
        ("quận Cầu Giấy", "Cầu Giấy"),
        ("châu Văn Sơn", "Văn Sơn"),
        ("bang Texas", "Texas"),
        ("vùng Kanto", "Kanto"),
        ("Bằng Tường", "Bằng Tường"),
        ("Châu Âu", "Châu Âu"),
        ("Tỉnh", "Tỉnh"),
    ],
)
def test_strip_admin_prefix(value, expected):
    assert strip_admin_prefix(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (15, 15),
        (15.0, 15),
        (0, 0),
        ("15", 15),
        ("15 người", 15),
        ("05 đ/c", 5),
        ("05 đồng chí", 5),
        ("15 thành viên", 15),
        ("15 người (gồm 3 lãnh đạo)", 15),
        ("15 người, trong đó 3 lãnh đạo", 15),
        ("01", 1),
        ("", None),
        (None, None),
    ],
)
def test_parse_count(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", ["khoảng 20", "gần 20", "trên 20", "hơn 20", "20-25", "20 - 25", "nhiều", "~20"])
def test_parse_count_refuses_estimates(value):
    with pytest.raises(CellError) as error:
        parse_count(value)
    assert f"“{value}”" in str(error.value)
    assert "ghi chú" in str(error.value)


@pytest.mark.parametrize("value", [-3, "-3", "mười lăm", 15.5, True])
def test_parse_count_refuses_non_counts(value):
    with pytest.raises(CellError, match="15"):
        parse_count(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("224,5 triệu USD", (Decimal("224500000"), "USD")),
        ("4,7 triệu USD", (Decimal("4700000"), "USD")),
        ("84.248.000 đồng", (Decimal("84248000"), "VND")),
        ("84.248.000đ", (Decimal("84248000"), "VND")),
        ("84.248.000 ₫", (Decimal("84248000"), "VND")),
        ("1.000 tỷ đồng", (Decimal("1000000000000"), "VND")),
        ("2 tỉ VNĐ", (Decimal("2000000000"), "VND")),
        ("2 tỷ VND", (Decimal("2000000000"), "VND")),
        ("500.000 USD", (Decimal("500000"), "USD")),
        ("500 nghìn USD", (Decimal("500000"), "USD")),
        ("$1,234,567", (Decimal("1234567"), "USD")),
        ("1,2 triệu Yên", (Decimal("1200000"), "JPY")),
        ("1,2 triệu JPY", (Decimal("1200000"), "JPY")),
        ("€500", (Decimal("500"), "EUR")),
        ("500 EUR", (Decimal("500"), "EUR")),
        ("3 triệu Nhân dân tệ", (Decimal("3000000"), "CNY")),
        ("3 triệu NDT", (Decimal("3000000"), "CNY")),
        ("3.000 CNY", (Decimal("3000"), "CNY")),
        ("1 000 000 đồng", (Decimal("1000000"), "VND")),
        ("1.234,5 USD", (Decimal("1234.5"), "USD")),
        ("1,234.5 USD", (Decimal("1234.5"), "USD")),
        # A dot not followed by groups of three digits is a decimal point.
        ("1.5 triệu", (Decimal("1500000"), None)),
        ("1.500 triệu", (Decimal("1500000000"), None)),
        ("84.248.000 đồng (khoảng 3.500 USD)", (Decimal("84248000"), "VND")),
        (84248000, (Decimal("84248000"), None)),
        (84248000.0, (Decimal("84248000"), None)),
        (0.1, (Decimal("0.1"), None)),
        (Decimal("12.50"), (Decimal("12.5"), None)),
        ("", None),
        (None, None),
    ],
)
def test_parse_amount(value, expected):
    found = parse_amount(value)
    assert found == expected
    if found is not None:
        assert str(found[0]) == str(expected[0])  # no float noise, no exponent


@pytest.mark.parametrize("value", ["nhiều tiền", "5 triệu bánh", "5 - 6 triệu USD", True])
def test_parse_amount_refuses_what_it_cannot_read(value):
    with pytest.raises(CellError, match="224,5 triệu USD"):
        parse_amount(value)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("agreements.agreement.status", "Đang hiệu lực", "in_force"),
        ("agreements.agreement.status", "Còn hiệu lực", "in_force"),
        ("agreements.agreement.status", "có hiệu lực", "in_force"),
        ("agreements.agreement.status", "Hết hạn", "expired"),
        ("agreements.agreement.status", "HẾT HIỆU LỰC", "expired"),
        ("agreements.agreement.signing_level", "Sở, ngành", "department"),
        ("agreements.agreement.signing_level", "Sở ngành", "department"),
        ("agreements.agreement.signing_level", "Cấp sở", "department"),
        ("agreements.agreement.signing_level", "Cấp tỉnh", "provincial_committee"),
        ("agreements.agreement.signing_level", "UBND tỉnh", "provincial_committee"),
        ("agreements.agreement.signing_level", "Cấp huyện", "district"),
        ("agreements.agreement.signing_level", "Cấp xã", "border_commune"),
        ("delegations.delegation.direction", "Đoàn ra", "out"),
        ("delegations.delegation.direction", "Đi", "out"),
        ("delegations.delegation.direction", "Xuất cảnh", "out"),
        ("delegations.delegation.direction", "Đoàn vào", "in"),
        ("delegations.delegation.direction", "Đến", "in"),
        ("delegations.delegation.direction", "Tiếp", "in"),
        ("agreements.agreement.kind", "Biên bản ghi nhớ", "mou"),
        ("agreements.agreement.kind", "Bản ghi nhớ", "mou"),
        ("agreements.agreement.kind", "MOU", "mou"),
        ("agreements.agreement.kind", "Thỏa thuận", "agreement"),
        ("agreements.agreement.kind", "Thoả thuận", "agreement"),
        ("agreements.agreement.kind", "Thỏa thuận khung", "agreement"),
        ("agreements.agreement.kind", "Biên bản hội đàm", "minutes"),
        ("agreements.agreement.kind", "Biên bản làm việc", "minutes"),
        ("delegations.delegation.level", "Sở, ngành", "department"),
        ("partners.partner.kind", "Tổ chức phi chính phủ nước ngoài", "ngo"),
        ("projects.project.currency", "Nhân dân tệ", "CNY"),
        ("projects.project.status", "Đang thực hiện", 2),
    ],
)
def test_synonyms_hold_the_office_words(field, value, expected):
    assert choice_for(value, SYNONYMS[field]) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  đang   HIỆU lực ", "in_force"),
        ("Đang hiệu lực.", "in_force"),
        ("Sở - ngành", "department"),
        ("Sở/ngành", "department"),
        ("Đang hiệu lực (đến 2025)", None),
        ("Tạm dừng", None),
        ("", None),
        (None, None),
    ],
)
def test_choice_for_punctuation_and_unknown_words(value, expected):
    words = {**SYNONYMS["agreements.agreement.status"], "department": ("Sở, ngành",)}
    assert choice_for(value, words) == expected


def test_choice_for_gives_none_when_words_point_at_two_values():
    assert choice_for("Khác", {"a": ("Khác",), "b": ("khac",)}) is None


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("delegations.delegation.direction", "out", "out"),
        ("delegations.delegation.direction", "Outbound (đoàn ra)", "out"),
        ("delegations.delegation.direction", "Outbound", "out"),
        ("agreements.agreement.status", "In force", "in_force"),
        ("agreements.agreement.status", "Đang có hiệu lực", "in_force"),
        ("agreements.agreement.signing_level", "Sở, ngành cấp tỉnh", "department"),
        ("agreements.agreement.kind", "Memorandum of understanding", "mou"),
        ("projects.project.status", "Implementation", 2),
        ("projects.project.status", "2", 2),
        ("partners.partner.kind", "country", "country"),
    ],
)
def test_choice_words_know_the_models_labels_and_values(field, value, expected):
    assert choice_for(value, choice_words(field)) == expected


@pytest.mark.parametrize("field", sorted(SYNONYMS))
def test_every_office_word_means_one_value_of_its_field(field):
    words = choice_words(field)
    seen = {}
    for value, names in words.items():
        for name in names:
            assert seen.setdefault(fold(name), value) == value, (field, name)
    assert set(SYNONYMS[field]) <= set(words), "a synonym for a value the model does not have"


def test_signing_levels_the_model_lacks_are_left_to_the_clerk():
    assert choice_for("Cấp bộ", choice_words("agreements.agreement.signing_level")) is None


def test_cell_error_is_a_value_error_with_the_message():
    error = CellError("thông báo")
    assert isinstance(error, ValueError)
    assert str(error) == "thông báo"
