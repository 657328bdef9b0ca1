"""General rules of Vietnamese news prose first met in tests/reading/held_out_6/ (provincial papers' delegation news
with Lao and Cambodian partners, NGO and FDI period summaries): thousands grouped with commas, counts written in
words, "đầu năm Y đến nay", projects newly attracted up to a month's end, a sentence opened by a forecast, a host
abroad receiving our leader, a foreign person received or said to lead, courtesy
calls, a conference held inland, a degree before a name, and agreements between "2 tỉnh", dashed in a headline,
restated, or spoken of as "ký kết lần này"."""

from datetime import date

from reading.dates import DAY, Reference
from reading.numbers import numbers_in
from reading.people import find_people
from tests import reading_rules as rules

NOVEMBER_2016 = Reference(date(2016, 11, 29), DAY, "published")


def periods(text, ref=NOVEMBER_2016):
    return rules.periods(text, ref)


figures, delegations, agreements = rules.figures, rules.delegations, rules.agreements


def test_thousands_grouped_with_commas_are_read_as_thousands():
    assert [n.value for n in numbers_in("với tổng vốn cam kết 3,286,743 USD")] == [3286743]
    assert [n.value for n in numbers_in("đạt 146,593 tỷ đồng")] == [146593000000]


def test_a_small_count_written_in_words_before_projects_is_a_number():
    assert [n.value for n in numbers_in("Thu hút FDI được tám dự án, tổng vốn 31,8 triệu USD")] == [8, 31800000]
    assert numbers_in("trong năm dự án được cấp phép") == []  # "năm" is also "year": never read as five


def test_the_months_of_a_half_year_may_be_written_in_words():
    assert periods("tình hình thu hút đầu tư sáu tháng đầu năm 2017 có chiều hướng khả quan") == [
        (date(2017, 1, 1), date(2017, 6, 30))
    ]


def test_the_start_of_a_named_year_up_to_now_runs_to_the_article_s_date():
    assert periods("Đầu năm 2016 đến nay, toàn tỉnh triển khai 38 khoản viện trợ") == [
        (date(2016, 1, 1), date(2016, 11, 29))
    ]


def test_projects_newly_attracted_up_to_a_month_s_end_are_counted_from_the_start_of_that_year():
    text = (
        "Nghệ An thu hút FDI\n"
        "Số liệu từ Cục Đầu tư nước ngoài mới công bố thì tính đến hết tháng 11/2024, Nghệ An thu hút được 15 dự án "
        "mới với số vốn đăng ký 691,5 triệu USD.\n"
        "Trên địa bàn Nghệ An hiện có 165 dự án FDI còn hiệu lực."
    )
    found = figures(text)
    assert ("fdi_projects", 15, "2024-01-01", "2024-11-30") in found
    assert ("fdi_capital", 691500000, "2024-01-01", "2024-11-30") in found
    assert ("fdi_projects", 165, None, None) in found  # a stock has no start


def test_a_sentence_opened_by_a_forecast_gives_no_figure_but_its_subject_carries_on():
    text = (
        "FDI vào tỉnh\n"
        "Dự kiến cả năm 2024, tỉnh sẽ thu hút được 1,696 tỷ USD vốn FDI. Năm 2023, tỉnh thu hút được 1,603 tỷ USD."
    )
    assert figures(text) == [("fdi_capital", 1603000000, "2023-01-01", "2023-12-31")]


def test_newly_founded_enterprises_are_not_foreign_investment():
    text = (
        "Bình Phước thu hút đầu tư\n"
        "Sáu tháng đầu năm 2017, thu hút đầu tư trực tiếp nước ngoài (FDI) được tám dự án, tổng vốn đầu tư 31,8 "
        "triệu USD. Sáu tháng đầu năm thành lập mới 420 DN, tổng số vốn đăng ký 3.477 tỉ đồng."
    )
    assert figures(text, published=date(2017, 7, 10)) == [
        ("fdi_projects", 8, "2017-01-01", "2017-06-30"),
        ("fdi_capital", 31800000, "2017-01-01", "2017-06-30"),
    ]


def test_a_host_abroad_receiving_our_leader_is_our_visit_out():
    text = (
        "Tăng cường hợp tác\n"
        "Chiều 03/12, tại thị xã Sầm Nưa, tỉnh Hủa Phăn, nước CHDCND Lào, đồng chí Khăm-pheng Xay-xổm-pheng, Tỉnh "
        "trưởng tỉnh Hủa Phăn, đã có buổi tiếp thân mật đồng chí Nguyễn Hoài Anh, Phó Bí thư Tỉnh ủy, Chủ tịch UBND "
        "tỉnh Thanh Hóa đang có chuyến thăm và làm việc tại tỉnh Hủa Phăn."
    )
    assert delegations(text, published=date(2025, 12, 3)) == [("out", "2025-12-03", "Nguyễn Hoài Anh")]


def test_a_foreign_person_received_heads_the_visit_even_undated():
    text = (
        "Gìn giữ quan hệ hữu nghị\n"
        "Bí thư Tỉnh ủy Thanh Hóa Nguyễn Doãn Anh tiếp bà Khamphao Ernthavanh, Đại sứ đặc mệnh toàn quyền nước Cộng "
        "hòa Dân chủ Nhân dân Lào tại Việt Nam và đoàn công tác."
    )
    assert delegations(text) == [("in", None, "Khamphao Ernthavanh")]


def test_a_courtesy_call_led_by_a_foreign_head_with_a_degree_is_a_visit_in():
    text = (
        "Tiếp xã giao\n"
        "Chiều 25/9, Lãnh đạo tỉnh Chăm Pa Sắc, nước Cộng hòa dân chủ nhân dân Lào do đồng chí TS. Vi-lay-vông "
        "Bút-đa-khăm - Bí thư, Tỉnh trưởng tỉnh Chăm Pa Sắc làm trưởng đoàn đã đến chào xã giao lãnh đạo tỉnh Nghệ An."
    )
    assert delegations(text) == [("in", None, "Vi-lay-vông Bút-đa-khăm")]
    assert [p.name for p in find_people(text, 0, len(text))][:1] == ["Vi-lay-vông Bút-đa-khăm"]


def test_a_conference_held_inland_is_a_visit_in_not_border_talks():
    text = (
        "Ký kết hợp tác\n"
        "Ngày 3.11, tại P.Long An, UBND tỉnh Tây Ninh tổ chức hội nghị gặp gỡ, trao đổi và ký kết biên bản hợp tác với "
        "3 tỉnh biên giới của Vương quốc Campuchia gồm Svay Rieng, Prey Veng và Tboung Khmum nhằm thúc đẩy phát "
        "triển kinh tế biên mậu. Thỏa thuận ký kết lần này đặt nền tảng cho việc mở rộng hợp tác."
    )
    assert [d[:2] for d in delegations(text, published=date(2025, 11, 3))] == [("in", "2025-11-03")]
    assert agreements(text, published=date(2025, 11, 3)) == [
        ("minutes", "2025-11-03", ["UBND tỉnh Tây Ninh", "Svay Rieng", "Prey Veng", "Tboung Khmum"])
    ]


def test_two_provinces_signing_after_a_place_are_the_pair_the_headline_names_once():
    text = (
        "Bình Phước - Champasak ký kết biên bản ghi nhớ hợp tác giai đoạn 2022-2026\n"
        "Trong khuôn khổ chương trình làm việc giữa lãnh đạo tỉnh Bình Phước và Đoàn đại biểu cấp cao tỉnh Champasak, "
        "sáng nay 22/8, tại hội trường Tỉnh ủy Bình Phước, 2 tỉnh đã ký kết Biên bản ghi nhớ hợp tác giai đoạn "
        "2022-2026."
    )
    assert agreements(text, published=date(2022, 8, 22)) == [("mou", "2022-08-22", ["Bình Phước", "Champasak"])]


def test_a_visit_under_way_at_a_foreign_place_is_an_undated_visit_out():
    text = (
        "Bí thư Tỉnh ủy chào xã giao lãnh đạo Bôlykhămxay\n"
        "Tiếp tục chuyến thăm và làm việc tại tỉnh Bôlykhămxay, nước Cộng hòa dân chủ nhân dân Lào, sáng nay, đồng "
        "chí Hoàng Trung Dũng - Uỷ viên Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh cùng đoàn công tác của "
        "tỉnh đã đến chào xã giao lãnh đạo tỉnh Bôlykhămxay."
    )
    assert delegations(text) == [("out", None, "Hoàng Trung Dũng")]


def test_an_undated_amount_that_sums_the_sentence_before_is_their_total_for_their_period():
    text = (
        "Nghệ An thu hút FDI\n"
        "Tính đến hết tháng 11/2024, Nghệ An thu hút được 15 dự án FDI mới với số vốn đăng ký 691,5 triệu USD và "
        "điều chỉnh vốn cho 12 dự án với tổng số vốn 877,16 triệu USD.\n"
        "Tổng số vốn FDI vào Nghệ An đạt 1,5687 tỷ USD.\n"
        "Trên địa bàn hiện có 165 dự án FDI với tổng số vốn hơn 5,5 tỷ USD."
    )
    found = figures(text)
    # 691,5 + 877,16 = 1.568,66 triệu USD, written rounded as 1,5687 tỷ USD
    assert ("fdi_capital", 1568700000, "2024-01-01", "2024-11-30") in found
    assert ("fdi_capital", 5500000000, None, None) in found  # not the sum of anything: no period
