"""General rules of Vietnamese news prose first met in tests/reading/held_out_4/ (NGO aid and FDI reports of
the Highlands and the central coast, Korean and Cambodian partners): stocks counted "tính đến" a month or a
day, "từ đầu năm đến nay", a bracketed span of years, an estimate, a name glued to its title by a hyphen,
a figure's own clause, withdrawn projects, parts of a total, a headline that rounds, lower-case titles of
agreements and the words after "với" that name no signatory."""

from datetime import date

from reading.dates import DAY, MONTH, Reference, article_reference, explicit_years, find_dates
from reading.gazetteer import EMPTY
from reading.numbers import EXACT, NEARLY, numbers_in
from reading.people import find_people
from reading.reader import read

NOV_2023 = Reference(date(2023, 11, 4), DAY, "published")


def periods(text, ref=NOV_2023):
    return [(d.value, d.last) for d in find_dates(text, 0, len(text), ref, explicit_years(text)) if d.kind == "period"]


def figures(text, published=None):
    return [
        (f["indicator"], f["value"], f["qualifier"], f["period_start"], f["period_end"])
        for f in read(text, published=published, gazetteer=EMPTY).as_json()["figures"]
    ]


def agreements(text, published=None):
    return [
        (a["kind"], a["signed"], [p["text"] for p in a["parties"]])
        for a in read(text, published=published, gazetteer=EMPTY).as_json()["agreements"]
    ]


# ---- dates and periods ------------------------------------------------------------------------------


def test_a_stock_counted_up_to_a_month_ends_with_that_month_and_has_no_start():
    assert periods("Tính đến cuối tháng 12/2018, tỉnh thu hút 15 dự án") == [(None, date(2018, 12, 31))]
    assert periods("Đến hết tháng 11-2015, các khoản viện trợ đã được giải ngân") == [(None, date(2015, 11, 30))]
    assert periods("Tính đến tháng 10-2017, toàn tỉnh đã giải ngân") == [(None, date(2017, 10, 31))]


def test_a_stock_counted_up_to_a_day_ends_that_day():
    assert periods("Tính đến thời điểm ngày 20/9/2019, toàn tỉnh có 64 dự án") == [(None, date(2019, 9, 20))]


def test_in_the_year_without_its_number_is_the_year_of_the_sentence_or_of_the_article():
    text = "Đến hết tháng 11-2015, đã giải ngân 2,01 triệu USD trên tổng số cam kết trong năm là 2,284 triệu USD"
    assert periods(text) == [(None, date(2015, 11, 30)), (date(2015, 1, 1), date(2015, 12, 31))]
    assert periods("tổng vốn cam kết trong năm là 3 triệu USD") == [(date(2023, 1, 1), date(2023, 12, 31))]
    assert periods("tổng vốn cam kết trong năm là 3 triệu USD", Reference(None)) == []
    assert periods("trong năm nay, tỉnh đã đón") == []


def test_a_dashed_month_and_year_is_a_month():
    (mention,) = find_dates("vào tháng 10-2017", 0, 17, NOV_2023)
    assert (mention.value, mention.precision) == (date(2017, 10, 1), MONTH)


def test_from_the_start_of_the_year_until_now_runs_from_the_first_of_january_of_the_articles_year():
    assert periods("Từ đầu năm đến nay, tỉnh đã thu hút") == [(date(2023, 1, 1), date(2023, 11, 4))]
    assert periods("Từ đầu năm đến nay, tỉnh đã thu hút", Reference(None)) == []


def test_a_stage_may_write_the_word_year_before_its_years():
    assert periods("trong giai đoạn năm 2012-2016 với tổng kinh phí") == [(date(2012, 1, 1), date(2016, 12, 31))]


def test_the_last_years_with_their_span_in_brackets_are_that_span_even_undated():
    text = "Trong 15 năm qua (1996-2011) các dự án viện trợ đã triển khai"
    assert periods(text, Reference(None)) == [(date(1996, 1, 1), date(2011, 12, 31))]


def test_a_bracketed_span_of_years_after_the_last_years_is_no_anniversary_to_date_the_article():
    text = "NGO hỗ trợ\nChiều 10-1, UBND tỉnh gặp mặt.\nTrong 15 năm qua (1996-2011) các dự án đã triển khai."
    assert article_reference(text).day is None
    # an anniversary still dates it
    assert article_reference("Kỷ niệm 93 năm (1930-2023).\nSáng 3/2, đoàn đến thăm.").year == 2023


# ---- numbers and people ------------------------------------------------------------------------------


def test_an_estimate_is_the_figure_as_stated_but_an_estimate_about_a_figure_is_nearly():
    assert [n.qualifier for n in numbers_in("giải ngân ước đạt 2,01 triệu USD")] == [EXACT]
    assert [n.qualifier for n in numbers_in("ước tính khoảng 3 triệu USD")] == [NEARLY]


def test_a_hyphen_straight_before_a_title_ends_the_name():
    text = "đoàn công tác tỉnh do đồng chí Châu Ngọc Tuấn-Phó Bí thư Tỉnh ủy làm trưởng đoàn đã đến thăm"
    assert [(p.name, p.title) for p in find_people(text, 0, len(text))] == [("Châu Ngọc Tuấn", "Phó Bí thư Tỉnh ủy")]
    lao = "do đồng chí Lếch-lay Sỉ-vi-lay, Bí thư, Tỉnh trưởng làm Trưởng đoàn"
    assert [p.name for p in find_people(lao, 0, len(lao))] == ["Lếch-lay Sỉ-vi-lay"]


def test_a_delegation_of_an_abbreviated_city_led_by_a_named_head_who_comes_to_visit():
    text = (
        "Đoàn đại biểu TP. Ansan (Hàn Quốc) thăm, làm việc tại tỉnh\n"
        "Sáng 6-11, Sở Du lịch tiếp đoàn đại biểu TP. Ansan, Hàn Quốc, do ông Kim Jung-taek, Phó Chủ tịch Hội đồng "
        "thành phố đến thăm và làm việc tại tỉnh."
    )
    (visit,) = read(text, published=date(2018, 11, 7), gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["start"], visit["leader"]) == ("in", "2018-11-06", "Kim Jung-taek")
    assert visit["leader_title"] == "Phó Chủ tịch Hội đồng thành phố"


# ---- figures -----------------------------------------------------------------------------------------


def test_each_figure_takes_the_words_of_its_own_clause_and_an_until_now_the_year_the_sentence_opened_with():
    text = (
        "Viện trợ phi Chính phủ\n"
        "Riêng trong năm 2022, vốn cam kết viện trợ là 615.151 USD, tổng giá trị giải ngân thực tế đến nay đạt "
        "158.146 USD, đạt 26%."
    )
    assert figures(text, date(2022, 11, 25)) == [
        ("ngo_committed", 615151, EXACT, "2022-01-01", "2022-12-31"),
        ("aid_value", 158146, EXACT, "2022-01-01", "2022-11-25"),
    ]


def test_withdrawn_projects_are_no_figure_and_the_next_sentence_keeps_the_kind_unless_domestic():
    text = (
        "Tình hình thu hút đầu tư\n"
        "Trong 9 tháng đầu năm 2019 toàn tỉnh cấp mới 04 dự án FDI, với tổng vốn đăng ký đầu tư khoảng 39,3 triệu "
        "USD, thu hồi 02 dự án với tổng mức đầu tư là 20,2 triệu USD. Tính đến thời điểm ngày 20/9/2019, toàn tỉnh "
        "có 64 dự án còn hiệu lực, với tổng vốn đăng ký 1.794,93 triệu USD.\n"
        "Về đầu tư trong nước: Tính đến thời điểm 20/9/2019, toàn tỉnh có 537 dự án còn hiệu lực."
    )
    assert figures(text) == [
        ("fdi_projects", 4, EXACT, "2019-01-01", "2019-09-30"),
        ("fdi_capital", 39300000, NEARLY, "2019-01-01", "2019-09-30"),
        ("fdi_projects", 64, EXACT, None, "2019-09-20"),
        ("fdi_capital", 1794930000, EXACT, None, "2019-09-20"),
    ]


def test_a_period_written_after_the_counted_noun_dates_the_count():
    text = "Dự án phi chính phủ\nCó 9 dự án phi chính phủ mới trong năm 2018 với tổng vốn cam kết hơn 1,33 triệu USD."
    assert figures(text)[0] == ("ngo_projects", 9, EXACT, "2018-01-01", "2018-12-31")


def test_the_same_count_again_after_cua_in_the_next_sentence_is_no_new_figure():
    text = (
        "Viện trợ phi Chính phủ\n"
        "Lũy kế đến nay, có 21 tổ chức phi Chính phủ đang triển khai 28 chương trình, dự án. Tổng vốn cam kết viện "
        "trợ trong năm 2022 của 28 chương trình, dự án là 1.174.012 USD."
    )
    assert [f[:2] for f in figures(text, date(2022, 11, 25))] == [
        ("ngo_projects_active", 28),
        ("ngo_committed", 1174012),
    ]


def test_a_headline_that_rounds_a_body_figure_repeats_it():
    text = (
        "Tiếp nhận gần 18 triệu USD từ viện trợ phi chính phủ nước ngoài\n"
        "Năm 2015, có 21 khoản viện trợ phi chính phủ nước ngoài với tổng vốn cam kết toàn dự án là 17,945 triệu "
        "USD được triển khai thực hiện trên địa bàn tỉnh."
    )
    assert [f[1] for f in figures(text)] == [21, 17945000]


def test_parts_that_add_up_to_the_total_of_their_sentence_are_a_breakdown_and_other_parts_are_kept():
    text = (
        "Thu hút FDI\n"
        "Như vậy, toàn tỉnh hiện có 84 dự án FDI với tổng vốn đăng ký hơn 979,3 triệu USD; trong đó, 36 dự án đầu tư "
        "trong khu kinh tế, tổng vốn đăng ký hơn 746,1 triệu USD và 48 dự án đầu tư ngoài khu kinh tế, tổng vốn đăng "
        "ký gần 233,2 triệu USD."
    )
    assert [f[1] for f in figures(text)] == [84, 979300000]
    uneven = text.replace("48 dự án", "40 dự án").replace("233,2", "200,2")
    assert [f[1] for f in figures(uneven)] == [84, 979300000, 36, 746100000, 40, 200200000]


def test_a_period_may_open_a_bracketed_clause():
    text = "Thu hút FDI\nSố dự án giảm 9% (năm 2019 thu hút 6 dự án FDI, tổng vốn đầu tư 83,75 triệu USD) do dịch bệnh."
    assert [f[1:] for f in figures(text)] == [
        (6, EXACT, "2019-01-01", "2019-12-31"),
        (83750000, EXACT, "2019-01-01", "2019-12-31"),
    ]


# ---- agreements --------------------------------------------------------------------------------------


def test_a_lower_case_title_after_the_verb_and_its_signing_year_after_vao():
    text = "Đoàn thăm tỉnh\nTỉnh BR-VT và TP. Ansan đã ký kết bản thỏa thuận hợp tác vào năm 2004. Hai bên trao đổi."
    assert agreements(text) == [("agreement", "2004-01-01", ["Tỉnh BR-VT", "TP. Ansan"])]


def test_what_follows_voi_is_a_signatory_only_when_it_names_one():
    text = (
        "NGO hỗ trợ\n"
        "Tại buổi gặp mặt, UBND tỉnh Kon Tum và Tổ chức International in Việt Nam (viết tắt là PLAN) đã ký biên bản "
        "ghi nhớ về việc thực hiện Chương trình cải thiện đời sống cho trẻ em nghèo với tổng kinh phí hỗ trợ là "
        "3.200.000 USD."
    )
    assert agreements(text) == [("mou", None, ["UBND tỉnh Kon Tum", "Tổ chức International in Việt Nam"])]


def test_the_body_naming_the_signatories_one_by_one_replaces_the_headlines_agreement():
    text = (
        "Đắk Lắk và Jeollabuk-do (Hàn Quốc) ký kết thỏa thuận hợp tác\n"
        "Sáng 22/12, UBND tỉnh tổ chức Lễ ký kết Bản thỏa thuận hợp tác giữa tỉnh Đắk Lắk và tỉnh Jeollabuk –do, "
        "Hàn Quốc."
    )
    assert agreements(text) == [("agreement", None, ["tỉnh Đắk Lắk", "tỉnh Jeollabuk –do"])]


def test_ngo_in_the_headline_makes_an_aid_article_and_the_funds_of_a_signed_programme_are_a_commitment():
    text = (
        "NGO hỗ trợ 25,7 triệu USD\n"
        "UBND tỉnh và Tổ chức Plan đã ký biên bản ghi nhớ về việc thực hiện Chương trình cải thiện đời sống cho trẻ "
        "em nghèo trong giai đoạn năm 2012-2016 với tổng kinh phí hỗ trợ là 3.200.000 USD."
    )
    assert figures(text)[-1] == ("ngo_committed", 3200000, EXACT, "2012-01-01", "2016-12-31")
    assert figures(text.replace("NGO hỗ trợ", "Hỗ trợ"))[-1][0] == "aid_value"


def test_our_head_named_by_the_title_held_on_a_trip_abroad_is_an_outbound_visit():
    text = (
        "An Giang hợp tác nhiều lĩnh vực với các địa phương Campuchia\n"
        "Trong chuyến thăm, bà Nguyễn Thị Minh Thúy, Phó Chủ tịch UBND tỉnh An Giang, Trưởng đoàn công tác chúc "
        "chính quyền và nhân dân các tỉnh Takeo và Kandal đón tết cổ truyền vui vẻ."
    )
    (visit,) = read(text, gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["leader"]) == ("out", "Nguyễn Thị Minh Thúy")
    # without a foreign side named anywhere, no trip abroad is read
    assert read(text.replace("Campuchia", "trong tỉnh"), gazetteer=EMPTY).as_json()["delegations"] == []


def test_a_foreign_side_listed_head_first_with_the_members_of_its_delegation_is_an_inbound_visit():
    text = (
        "Hai tỉnh ký kết thỏa thuận hợp tác\n"
        "Sáng 22/12, UBND tỉnh tổ chức Lễ ký kết Bản thỏa thuận hợp tác giữa hai tỉnh.\n"
        "Về phía tỉnh Jeollabuk –do, Hàn Quốc có ông Song Ha Chin – Tỉnh trưởng; bà Cha Hyunjin – Phó Lãnh sự; cùng "
        "các thành viên trong đoàn."
    )
    (visit,) = read(text, gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["start"], visit["leader"]) == ("in", None, "Song Ha Chin")
    assert [p["text"] for p in visit["partners"]] == ["tỉnh Jeollabuk –do"]
    # our own side listed so is no visit
    ours = text.replace("tỉnh Jeollabuk –do, Hàn Quốc", "tỉnh ta")
    assert read(ours, gazetteer=EMPTY).as_json()["delegations"] == []
