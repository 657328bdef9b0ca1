"""General rules of Vietnamese news prose first met in tests/reading/held_out_7/ (Tết visits to Lao and Cambodian
provinces, Korean and Japanese partners, FDI of two months or one month, NGO aid of eight months): counts of months in
words, "trong tháng N", a period told before and referred back to, a short report's one period, a bracketed
comparison that does not carry on, the country's totals, targets, revenue and share purchases, a figure told twice,
places under foreign offices, "X cùng đoàn …", a second delegation "Cùng … còn có đoàn …", and a country written
after a signatory. Every sentence is written for the rule (no article's text)."""

from datetime import date
from functools import partial

from reading.dates import DAY, Reference
from reading.gazetteer import EMPTY
from reading.reader import read
from reading.sides import marked_foreign
from tests import reading_rules as rules

MARCH_2026 = Reference(date(2026, 3, 11), DAY, "published")


def periods(text, ref=MARCH_2026):
    return rules.periods(text, ref)


figures, delegations = rules.figures, rules.delegations
agreements = partial(rules.agreements, fields=("kind", "signed", "parties", "online"))


def test_a_count_of_months_written_in_words_in_any_case_opens_the_year():
    assert periods("Trong hai tháng đầu năm nay, tỉnh A thu hút vốn") == [(date(2026, 1, 1), date(2026, 2, 28))]
    assert periods("so với cùng kỳ (hai tháng đầu năm 2025 chỉ đạt 10 triệu USD)") == [
        (date(2025, 1, 1), date(2025, 2, 28))
    ]
    assert periods("mười hai tháng đầu năm 2024 tỉnh B") == [(date(2024, 1, 1), date(2024, 12, 31))]


def test_in_month_n_with_no_year_is_that_month_of_the_article_s_year():
    assert periods("trong tháng 1, thu hút vốn của tỉnh C đạt 5 triệu USD") == [(date(2026, 1, 1), date(2026, 1, 31))]
    assert (date(2026, 10, 1), date(2026, 10, 31)) not in periods("trong tháng 10/2023 tỉnh D")  # its own year


def test_an_amount_referred_back_to_takes_the_period_it_was_told_for():
    text = (
        "Tỉnh E vận động viện trợ phi chính phủ\n"
        "Trong 8 tháng đầu năm 2023 có thêm 12 dự án phi chính phủ nước ngoài mới được vận động.\n"
        "Các dự án này tập trung vào giảm nghèo.\n"
        "Tổng giá trị cam kết của các dự án phi chính phủ nước ngoài vừa vận động được đạt 1.234.567 USD.\n"
    )
    assert ("ngo_committed", 1234567, "2023-01-01", "2023-08-31") in figures(text)


def test_a_period_in_brackets_does_not_carry_to_the_next_sentence():
    text = (
        "Tỉnh F hút vốn FDI\n"
        "Tổng vốn FDI đăng ký vào tỉnh F trong hai tháng đầu năm nay đạt 900 triệu USD, gấp 3 lần cùng kỳ "
        "(hai tháng đầu năm 2025 đạt 300 triệu USD). Mức tăng này đến từ 700 triệu USD vốn đăng ký mới.\n"
    )
    got = figures(text, published=date(2026, 3, 11))
    assert ("fdi_capital", 700000000, "2026-01-01", "2026-02-28") in got
    assert ("fdi_capital", 300000000, "2025-01-01", "2025-02-28") in got


def test_a_short_report_s_one_period_counts_for_a_line_that_names_none():
    text = (
        "Thu hút 4 dự án FDI trong tháng 1\n"
        "Theo Sở Kế hoạch và Đầu tư, trong tháng 1, thu hút đầu tư trực tiếp nước ngoài của tỉnh G đạt 9 triệu USD.\n"
        "Tỉnh thu hút 4 dự án mới với tổng vốn đầu tư 7 triệu USD.\n"
    )
    got = figures(text, published=date(2023, 2, 2))
    assert ("fdi_projects", 4, "2023-01-01", "2023-01-31") in got
    assert ("fdi_capital", 7000000, "2023-01-01", "2023-01-31") in got


def test_a_stock_held_now_never_takes_the_report_s_period():
    text = "Tỉnh H thu hút FDI\nNăm 2019 tỉnh H thu hút 6 dự án FDI.\nNhư vậy, toàn tỉnh hiện có 80 dự án FDI.\n"
    assert ("fdi_projects", 80, None, None) in figures(text)


def test_the_country_s_totals_beside_the_province_s_are_not_the_province_s():
    text = (
        "Tỉnh K dẫn đầu thu hút FDI\n"
        "Tổng vốn FDI đăng ký vào Việt Nam trong hai tháng đầu năm 2026 đạt hơn 6 tỷ USD, với 600 dự án mới. "
        "Tổng vốn FDI đăng ký vào tỉnh K trong hai tháng đầu năm 2026 đạt 1 tỷ USD.\n"
    )
    assert figures(text) == [("fdi_capital", 1000000000, "2026-01-01", "2026-02-28")]


def test_a_sentence_setting_targets_and_what_firms_earn_or_pay_give_no_figure():
    text = (
        "Tỉnh L thu hút FDI\n"
        "Năm 2023, tỉnh phấn đấu thu hút FDI đạt 400 triệu USD, vốn đầu tư thực hiện ước đạt 700 triệu USD. "
        "Doanh thu của các doanh nghiệp FDI ước đạt 7 tỷ USD, nộp ngân sách nhà nước trên 400 triệu USD.\n"
    )
    assert figures(text, published=date(2023, 2, 2)) == []


def test_a_share_purchase_is_not_registered_capital():
    text = "Tỉnh M thu hút FDI\nNăm 2024, tỉnh M có 1 lượt góp vốn mua cổ phần với giá trị 0,04 triệu USD FDI.\n"
    assert figures(text) == []


def test_one_figure_told_twice_is_one_figure():
    text = (
        "Tỉnh N hút vốn FDI\n"
        "Trong hai tháng đầu năm nay, tỉnh N thu hút hơn 1,5 tỷ USD vốn FDI đăng ký.\n"
        "Cụ thể, tổng vốn FDI đăng ký vào tỉnh N trong hai tháng đầu năm nay đạt hơn 1,5 tỷ USD.\n"
    )
    assert figures(text, published=date(2026, 3, 11)) == [("fdi_capital", 1500000000, "2026-01-01", "2026-02-28")]


def test_a_place_governed_by_an_office_vietnam_does_not_have_is_foreign():
    names = marked_foreign(
        "ngài Peng Posa, Tỉnh trưởng Ban hành chính tỉnh Svay Rieng; Thị trưởng thành phố Naju; trụ sở UBCQ tỉnh "
        "Salavan; Chủ tịch Ủy ban nhân dân tỉnh Long An"
    )
    assert {"Svay Rieng", "Naju", "Salavan"} <= names
    assert "Long An" not in names


def test_the_person_named_right_before_cung_doan_leads_it_and_a_second_delegation_cung_con_co():
    text = (
        "Hai tỉnh chúc Tết tỉnh Pursat\n"
        "Ngày 2-4, Bí thư Tỉnh ủy tỉnh P Trần Văn An cùng đoàn công tác tỉnh đến thăm, chúc Tết tỉnh Pursat. "
        "Cùng chúc Tết tại tỉnh Pursat còn có đoàn tỉnh Q do Bí thư Tỉnh ủy tỉnh Q Lê Văn Bình làm trưởng đoàn. "
        "Về phía tỉnh Pursat có ngài Sok Dara, Tỉnh trưởng Ban hành chính tỉnh Pursat.\n"
    )
    assert delegations(text, published=date(2024, 4, 2)) == [
        ("out", "2024-04-02", "Trần Văn An"),
        ("out", "2024-04-02", "Lê Văn Bình"),
    ]


def test_a_country_written_after_a_signatory_is_not_a_signatory():
    text = (
        "Hai thành phố hợp tác\n"
        "Chiều 8/5, Ủy ban nhân dân thành phố R và chính quyền thành phố Kofu, Nhật Bản tổ chức Lễ ký kết trực tuyến "
        "Bản ghi nhớ hợp tác trong lĩnh vực du lịch.\n"
    )
    assert agreements(text, published=date(2023, 5, 9)) == [
        ("mou", "2023-05-08", ["Ủy ban nhân dân thành phố R", "chính quyền thành phố Kofu"], True)
    ]


def test_two_provinces_delegations_named_in_one_phrase_are_two_events_each_with_its_own_head():
    text = (
        "Lãnh đạo hai tỉnh Lào chúc Tết tỉnh ta\n"
        "Chiều 13/1, đoàn đại biểu tỉnh Attapư và tỉnh Sê Kông (nước CHDCND Lào) đã sang thăm, chúc tết tỉnh ta. "
        "Phó Chủ tịch UBND tỉnh Lê Văn Cường đón tiếp đoàn.\n"
        "Thay mặt đoàn, Phó Bí thư Tỉnh ủy tỉnh Sê Kông Bua Khăm Phôm Ma Chăn cảm ơn tỉnh ta.\n"
    )
    assert sorted(delegations(text, published=date(2020, 1, 14))) == [
        ("in", "2020-01-13", ""),
        ("in", "2020-01-13", "Bua Khăm Phôm Ma Chăn"),
    ]


def test_a_place_named_in_the_text_is_not_part_of_the_name_that_follows_it():
    text = "Tỉnh Sê Kông (Lào) cử đoàn. Phó Bí thư Tỉnh ủy tỉnh Sê Kông Bua Khăm Phôm Ma Chăn phát biểu."
    people = read(text, gazetteer=EMPTY).people
    assert ("Bua Khăm Phôm Ma Chăn", "Phó Bí thư Tỉnh ủy tỉnh Sê Kông") in [(p.name, p.title) for p in people]


def test_by_how_much_a_comparison_differs_is_not_a_figure():
    text = (
        "Tỉnh S thu hút viện trợ phi chính phủ\n"
        "Năm 2018 có 9 dự án phi chính phủ mới. So với cùng kỳ năm 2017 tăng 1 dự án và tăng hơn 611.000 USD.\n"
    )
    assert figures(text) == [("ngo_projects", 9, "2018-01-01", "2018-12-31")]


def test_a_trip_to_a_foreign_place_named_after_chuyen_tham_is_ours_out():
    text = (
        "Hoạt động đối ngoại\n"
        "Trong chuyến thăm Lào từ ngày 2-4/8, Bí thư Tỉnh ủy Hoàng Văn Em đã hội kiến Tỉnh trưởng tỉnh Xiêng Khoảng.\n"
    )
    assert delegations(text, published=date(2024, 9, 1)) == [("out", "2024-08-02", "Hoàng Văn Em")]


def test_a_foreign_person_who_comes_to_visit_heads_a_visit_in():
    text = (
        "Hoạt động đối ngoại\n"
        "Ngày 12/4, Đại sứ Hàn Quốc tại Việt Nam Choi Young Sam đến thăm và làm việc với tỉnh. "
        "Chủ tịch UBND tỉnh Phạm Văn Dũng tiếp Đại sứ.\n"
    )
    assert delegations(text, published=date(2024, 9, 1)) == [("in", "2024-04-12", "Choi Young Sam")]


def test_a_delegation_named_only_by_its_central_head_is_central():
    text = (
        "Hoạt động đối ngoại\n"
        "Chiều 3/6, Thứ trưởng Bộ Ngoại giao Lê Văn Cường cùng đoàn công tác làm việc với UBND tỉnh về đối ngoại.\n"
    )
    assert delegations(text, published=date(2024, 9, 1)) == [("domestic", "2024-06-03", "Lê Văn Cường")]


def test_the_leaders_of_the_pair_sign_for_the_pair_named_before():
    text = (
        "Tỉnh A và tỉnh Attapư (Lào) tăng cường hợp tác\n"
        "Chiều 5/5, lãnh đạo hai tỉnh đã ký kết Thỏa thuận hợp tác giai đoạn 2023-2028.\n"
    )
    assert agreements(text, published=date(2023, 5, 6)) == [
        ("agreement", "2023-05-05", ["Tỉnh A", "tỉnh Attapư"], False)
    ]


def test_a_signatory_s_name_ends_where_the_clause_says_how():
    text = (
        "Hoạt động đối ngoại\n"
        "Ngày 9/9, UBND tỉnh ký kết Bản ghi nhớ hợp tác với thành phố Changwon (Hàn Quốc) theo hình thức trực tuyến.\n"
    )
    assert agreements(text, published=date(2024, 9, 10)) == [
        ("mou", "2024-09-09", ["UBND tỉnh", "thành phố Changwon"], True)
    ]
