"""General rules of Vietnamese news prose first met in tests/reading/held_out_5/ (border guards' talks, half-year
reports of the friendship unions, a department's year in review, a quarter's FDI): a quarter with its tone mark on
the "u", the first months of a year not named, "Năm qua,", an anniversary's dates, a span up to now, adjusted
projects, the same period of an earlier year in brackets, a stock as of now, a bracketed breakdown, aid mobilised,
an equivalent written again, talks at a border gate, military ranks, the side a head's delegation gives him, and
agreements spoken of, paired in a headline, handed over in a caption or dated after their title."""

from datetime import date
from functools import partial

from reading.dates import DAY, MONTH, Reference, article_reference
from reading.people import find_people
from tests import reading_rules as rules

JULY_2013 = Reference(date(2013, 7, 14), DAY, "published")


def periods(text, ref=JULY_2013):
    return rules.periods(text, ref)


figures = partial(rules.figures, fields=("indicator", "value", "qualifier", "period_start", "period_end"))
delegations = partial(rules.delegations, fields=("direction", "start", "leader", "host"))
agreements = partial(rules.agreements, fields=("kind", "signed", "signed_precision", "parties"))

# ---- dates and periods ------------------------------------------------------------------------------


def test_a_quarter_is_read_with_its_tone_mark_on_the_u():
    assert periods("Qúy I/2024, tỉnh cấp mới 8 dự án") == [(date(2024, 1, 1), date(2024, 3, 31))]


def test_the_first_months_of_a_year_not_named_are_the_article_s_even_spelled_out():
    first_half = [(date(2013, 1, 1), date(2013, 6, 30))]
    assert periods("Sáu tháng đầu năm, công tác vận động đạt hơn 1,8 tỷ đồng") == first_half
    assert periods("sơ kết hoạt động 6 tháng đầu năm và chương trình") == first_half
    assert periods("Sáu tháng đầu năm, công tác vận động đạt hơn 1,8 tỷ đồng", Reference(None)) == []


def test_last_year_opening_a_review_is_the_year_before_the_article():
    march_2010 = Reference(date(2010, 3, 1), MONTH, "url")
    assert periods("Năm qua, Sở Ngoại vụ đã giải quyết cho 311 đoàn", march_2010) == [
        (date(2009, 1, 1), date(2009, 12, 31))
    ]
    assert periods("Trong 15 năm qua, tỉnh đã đón nhiều đoàn", march_2010) != [(date(2009, 1, 1), date(2009, 12, 31))]


def test_the_dates_of_an_anniversary_in_brackets_do_not_date_the_visit():
    text = (
        "Nhân dịp kỷ niệm 55 năm Ngày thiết lập quan hệ ngoại giao (5/9/1962 - 5/9/2017), ngày 19/7, Đoàn đại biểu "
        "cấp cao nước Lào do đồng chí Phankham Viphavanh, Phó Chủ tịch nước Lào làm Trưởng đoàn đã tới thăm tỉnh."
    )
    assert [start for _direction, start, _leader, _host in delegations(text)] == ["2017-07-19"]


def test_a_year_opening_a_span_up_to_now_is_not_the_year_of_the_article():
    text = "Sáng 25/10, ông A tiếp đoàn.\n\nTừ năm 2020 đến nay, tỉnh đã nhận được 4 đợt viện trợ."
    assert article_reference(text).day is None
    assert article_reference("Sáng 25/10, ông A tiếp đoàn.\n\nNăm 2020, tỉnh đã nhận viện trợ.").year == 2020


# ---- figures ----------------------------------------------------------------------------------------


def test_adjusted_projects_are_not_counted_but_their_added_capital_is():
    text = "Quý I/2024, 5 dự án điều chỉnh tăng vốn đầu tư nước ngoài (FDI), đạt 104,79 triệu USD."
    assert figures(text) == [("fdi_capital", 104790000, "exact", "2024-01-01", "2024-03-31")]
    mixed = "Quý I/2024, tỉnh cấp mới và điều chỉnh vốn đầu tư 13 dự án FDI với tổng vốn hơn 1,556 tỷ USD."
    assert [f[0] for f in figures(mixed)] == ["fdi_capital"]


def test_a_bracketed_amount_after_the_same_period_of_a_year_is_that_year_s():
    text = "Quý I/2024, 8 dự án FDI cấp mới với tổng vốn gần 1,452 tỷ USD, vượt cùng kỳ năm 2023 (35,4 triệu USD)."
    assert ("fdi_capital", 35400000, "exact", "2023-01-01", "2023-03-31") in figures(text)


def test_a_stock_as_of_now_does_not_take_the_period_of_the_sentence_before():
    text = (
        "Quý I/2024, tỉnh cấp mới 8 dự án FDI với tổng vốn 1,4 tỷ USD. Đến nay, trên địa bàn tỉnh có 465 dự án "
        "đầu tư nước ngoài với tổng vốn đăng ký hơn 33,103 tỷ USD."
    )
    assert ("fdi_projects", 465, "exact", None, None) in figures(text)


def test_the_parts_of_a_total_in_a_bracket_after_it_are_no_figures():
    text = (
        "Đến nay, trên địa bàn tỉnh có 465 dự án đầu tư nước ngoài với tổng vốn đầu tư đăng ký hơn 33,103 tỷ USD "
        "(trong KCN 292 dự án với tổng vốn khoảng 15,408 tỷ USD; ngoài KCN 173 dự án với tổng vốn hơn 17,695 tỷ USD)."
    )
    assert sorted(f[1] for f in figures(text)) == [465, 33103000000]


def test_aid_mobilised_is_a_commitment_and_its_equivalent_written_again_is_no_second_figure():
    text = (
        "Hải Dương vận động viện trợ\n\nTổng giá trị viện trợ trên địa bàn tỉnh trong 6 tháng đầu năm 2019 lên tới 25 "
        "tỷ đồng.\n\nTrong 6 tháng đầu năm 2019, Liên hiệp đã vận động được hơn 1,086 triệu USD (tương đương xấp xỉ "
        "25 tỷ đồng) từ các tổ chức phi chính phủ nước ngoài."
    )
    assert figures(text) == [("ngo_committed", 1086000, "over", "2019-01-01", "2019-06-30")]


def test_a_paragraph_that_reviews_one_period_named_inside_a_clause_counts_for_it():
    text = (
        "Theo đánh giá, dù khối lượng công việc 6 tháng đầu năm tương đối nhiều nhưng Liên hiệp đã hoàn thành tốt "
        "nhiệm vụ. Đã có 9 đoàn khách nước ngoài với 69 người đến thăm và làm việc tại Liên hiệp."
    )
    assert figures(text, published=date(2013, 7, 14)) == [
        ("inbound_delegations", 9, "exact", "2013-01-01", "2013-06-30"),
        ("inbound_persons", 69, "exact", "2013-01-01", "2013-06-30"),
    ]
    two = text.replace("6 tháng đầu năm", "6 tháng đầu năm và cả năm 2012")
    assert [f[3] for f in figures(two, published=date(2013, 7, 14))] == [None, None]


# ---- delegations ------------------------------------------------------------------------------------


def test_talks_held_at_a_border_gate_are_border_talks():
    text = (
        "Ngày 18/11, tại Cửa khẩu đường bộ số II Kim Thành, đã diễn ra buổi Hội đàm giữa Đoàn đại biểu Đồn Biên "
        "phòng Bát Xát (Việt Nam) và Đoàn đại biểu Trạm kiểm tra Biên phòng Hà Khẩu (Trung Quốc)."
    )
    assert [d[0] for d in delegations(text, published=date(2025, 11, 18))] == ["border_talks"]


def test_a_military_rank_stands_before_a_name_as_a_courtesy_title_does():
    (person,) = find_people("do Thượng tá Nguyễn Đức Dũng, Đồn trưởng Đồn Biên phòng A Pa Chải làm trưởng đoàn", 0, 79)
    assert person.name == "Nguyễn Đức Dũng"


def test_a_head_is_on_the_side_of_the_delegation_he_leads_or_of_the_side_the_clause_opens_with():
    text = (
        "Ngày 25/11, tại tỉnh Điện Biên, Đoàn đại biểu Bộ đội Biên phòng tỉnh Điện Biên (Việt Nam) và Đoàn đại biểu "
        "Bộ đội Biên phòng khu vực Mông Tự (Trung Quốc) đã tổ chức Hội đàm định kỳ. Đoàn đại biểu Bộ đội Biên phòng "
        "tỉnh Điện Biên do Đại tá Phan Văn Hóa, Chỉ huy trưởng làm Trưởng đoàn. Đoàn đại biểu Bộ đội Biên phòng khu "
        "vực Mông Tự do Đại tá Đổng Quân Long, Chính ủy làm Trưởng đoàn."
    )
    assert delegations(text, published=date(2025, 11, 25)) == [("in", "2025-11-25", "Đổng Quân Long", "Phan Văn Hóa")]
    sided = "Phía Trung Quốc, Trung Bổng Lăng Thanh, Trạm trưởng Hội ngộ hội đàm khu vực Kim Bình làm trưởng đoàn."
    assert [p.name for p in find_people(sided, 0, len(sided))] == ["Trung Bổng Lăng Thanh"]


# ---- agreements -------------------------------------------------------------------------------------


def test_both_sides_are_the_pair_the_headline_names_with_a_dash_and_the_signing_spoken_of_is_no_second():
    text = (
        "Ký kết hợp tác TP.HCM - Sơn Đông (Trung Quốc)\n\nTại buổi gặp, hai bên đã ký kết Bản ghi nhớ về thiết lập "
        "quan hệ hữu nghị hợp tác với nhau.\n\nChủ tịch UBND TP cho rằng việc ký kết bản ghi nhớ thiết lập quan hệ "
        "hợp tác với tỉnh Sơn Đông là cơ hội để tăng cường quan hệ hợp tác."
    )
    assert agreements(text) == [("mou", None, None, ["TP.HCM", "Sơn Đông"])]


def test_a_caption_handing_over_the_agreement_and_a_title_dated_after_it_are_the_same_agreement():
    text = (
        "Ký kết hợp tác\n\nChiều ngày 23.11, Chủ tịch UBND tỉnh Hà Giang Nguyễn Văn Sơn đã ký biên bản ghi nhớ chính "
        "thức thiết lập quan hệ kết nghĩa giữa tỉnh Hà Giang (Việt Nam) và tỉnh Benguet (Philippin).\n\nLãnh đạo hai "
        "tỉnh Hà Giang (Việt Nam) và Benguet (Philippin), trao biên bản ghi nhớ kết nghĩa tại Lễ ký kết."
    )
    assert agreements(text, published=date(2018, 11, 26)) == [
        ("mou", "2018-11-23", "day", ["tỉnh Hà Giang", "tỉnh Benguet"])
    ]
    dated = (
        "Ngày 27/11/2025, UBND tỉnh Lai Châu đã ký kết Biên bản ghi nhớ về việc thiết lập quan hệ hợp tác và hữu "
        "nghị với Hội đồng thành phố Kazanlak.\n\nPhó Chủ tịch UBND tỉnh Lai Châu Hà Trọng Hải và Chủ tịch Hội đồng "
        "thành phố Kazanlak Nikolay Dimitrov ký kết Bản ghi nhớ ngày 27/11/2025."
    )
    assert len(agreements(dated)) == 1
