"""Vietnamese number forms and the qualifiers written before them."""

from decimal import Decimal

from reading.numbers import EXACT, NEARLY, OVER, numbers_in


def one(text):
    (number,) = numbers_in(text)
    return number


def test_dots_group_thousands():
    assert one("đón 1.000 lượt người").value == 1000
    assert one("84.248.000 đồng").value == 84248000


def test_a_comma_is_the_decimal_mark_and_the_scale_word_multiplies():
    assert one("tổng vốn đăng ký 224,5 triệu USD").value == Decimal("224500000")
    assert one("gần 4,7 triệu USD").value == Decimal("4700000")
    assert one("hơn 146,593 tỷ đồng").value == Decimal("146593000000")


def test_thousands_of_billions():
    assert one("tổng số vốn 3.881 tỷ đồng").value == Decimal("3881000000000")


def test_a_leading_zero_is_kept_out():
    assert one("đã ký 05 thỏa thuận").value == 5


def test_qualifiers():
    assert one("gần 20 đoàn").qualifier == NEARLY
    assert one("khoảng 18 triệu USD").qualifier == NEARLY
    assert one("xấp xỉ 3 triệu USD").qualifier == NEARLY
    assert one("trên 4.700 lượt").qualifier == OVER
    assert one("hơn 140 chương trình").qualifier == OVER
    assert one("tiếp nhận 31 dự án").qualifier == EXACT


def test_a_date_is_not_a_number():
    assert numbers_in("Ngày 21/1/2024") == []
