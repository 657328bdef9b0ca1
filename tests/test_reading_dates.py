"""The article reader's dates: absolute and relative forms, periods, and the article's own date."""

from datetime import date

from reading.dates import DAY, MONTH, YEAR, Reference, article_reference, explicit_years, find_dates

PUBLISHED = Reference(date(2024, 1, 29), DAY, "published")


def dates(text, ref=PUBLISHED, previous=None):
    return find_dates(text, 0, len(text), ref, explicit_years(text), previous)


def first(text, ref=PUBLISHED, previous=None):
    found = [d for d in dates(text, ref, previous) if d.value or d.last]
    return found[0]


def test_a_day_without_year_is_read_in_the_publication_year():
    d = first("Ngày 21/1, đồng chí Dương Xuân Huyên chủ trì buổi tiếp xã giao")
    assert (d.value, d.precision) == (date(2024, 1, 21), DAY)


def test_a_december_day_in_a_january_paper_is_last_year():
    assert first("Ngày 28/12, đoàn sang thăm").value == date(2023, 12, 28)


def test_tomorrow_with_its_date_in_brackets_is_that_date():
    assert first("Ngày mai (30/1), Đoàn đại biểu sẽ xuất cảnh").value == date(2024, 1, 30)


def test_this_morning_with_its_date_in_brackets_is_that_date():
    assert first("Sáng nay (23/6), tại Cửa khẩu").value == date(2024, 6, 23)


def test_tomorrow_alone_is_the_day_after_publication():
    assert first("Ngày mai, đoàn sẽ lên đường").value == date(2024, 1, 30)


def test_the_same_afternoon_is_the_last_date_read():
    assert first("Chiều cùng ngày, hai bên hội đàm", previous=date(2024, 1, 21)).value == date(2024, 1, 21)


def test_dotted_dates_with_and_without_year():
    assert first("ngày 26.2.2024, Tỉnh ủy ban hành").value == date(2024, 2, 26)
    assert first("BHG - Ngày 2.8, Đoàn đại biểu", Reference(date(2016, 8, 3))).value == date(2016, 8, 2)


def test_a_dotted_number_is_not_a_date():
    assert [d for d in dates("đón 1.000 lượt người và 2.8 triệu USD") if d.kind != "undated"] == []


def test_month_and_year_is_a_month():
    d = first("trong tháng 8/2023, đoàn đi thăm")
    assert (d.value, d.precision) == (date(2023, 8, 1), MONTH)


def test_end_of_month_is_a_month_of_the_reference_year():
    d = first("dẫn đầu Đoàn công tác đi Ấn Độ vào cuối tháng 7.", Reference(date(2023, 1, 1), YEAR, "text"))
    assert (d.value, d.precision) == (date(2023, 7, 1), MONTH)


def test_from_day_to_day_is_a_range():
    d = first("đi thăm từ ngày 3 đến 5/4")
    assert (d.value, d.last) == (date(2024, 4, 3), date(2024, 4, 5))
    d = first("Từ ngày 11/6 đến 15/6/2024, Đoàn công tác")
    assert (d.value, d.last) == (date(2024, 6, 11), date(2024, 6, 15))
    d = first("trong 2 ngày 25.6 và 26.6, Đoàn đại biểu")
    assert (d.value, d.last) == (date(2024, 6, 25), date(2024, 6, 26))


def test_a_year_is_the_whole_year():
    d = first("năm 2012, ký kết Biên bản ghi nhớ")
    assert (d.value, d.last, d.precision) == (date(2012, 1, 1), date(2012, 12, 31), YEAR)


def test_from_a_year_to_the_end_of_a_quarter():
    d = first("Từ năm 2021 đến hết quý I/2024, tỉnh đã cử 62 đoàn")
    assert (d.value, d.last) == (date(2021, 1, 1), date(2024, 3, 31))


def test_a_stage_of_years():
    d = first("Giai đoạn 2019 - 2025, tỉnh Cao Bằng")
    assert (d.value, d.last) == (date(2019, 1, 1), date(2025, 12, 31))


def test_the_first_six_months_of_a_year():
    d = first("Trong 6 tháng đầu năm 2021, mặc dù")
    assert (d.value, d.last) == (date(2021, 1, 1), date(2021, 6, 30))


def test_in_five_years_ends_in_the_publication_year():
    d = first("trong 5 năm qua, tỉnh đã đón")
    assert (d.value, d.last) == (date(2020, 1, 1), date(2024, 12, 31))


def test_until_the_end_of_a_year_has_no_start():
    d = first("Đến hết năm 2012, trên địa bàn tỉnh có 28 dự án")
    assert (d.value, d.last) == (None, date(2012, 12, 31))


def test_from_a_year_to_a_month():
    d = first("Tính từ năm 2005 đến tháng 6/2012, Lào Cai đã vận động")
    assert (d.value, d.last) == (date(2005, 1, 1), date(2012, 6, 30))


def test_a_comparison_year_is_not_a_period():
    assert dates("tăng 1,5 lần so với cùng kỳ năm 2020") == []


def test_a_day_with_no_year_anywhere_stays_unknown():
    (d,) = dates("Sáng 31/8, tại thành phố", Reference(None))
    assert (d.value, d.kind) == (None, "undated")


def test_the_given_publication_date_comes_first():
    ref = article_reference("Thứ hai, 14/06/2021", "https://x.vn/201912/a", date(2020, 5, 1))
    assert (ref.day, ref.source) == (date(2020, 5, 1), "published")


def test_a_dateline_in_the_text_is_the_publication_date():
    assert article_reference("Thứ hai, 14/06/2021\nTiêu đề").day == date(2021, 6, 14)
    assert article_reference("Tiêu đề\n16:51 | 23/08/2025\nNội dung").day == date(2025, 8, 23)


def test_a_date_in_the_url_is_used_to_its_precision():
    ref = article_reference("Tiêu đề", "https://baohagiang.vn/thoi-su/201912/bi-thu-753233")
    assert (ref.day, ref.precision) == (date(2019, 12, 1), MONTH)
    ref = article_reference("Tiêu đề", "https://baotintuc.vn/tang-cuong-hop-tac-20120815201514135.htm")
    assert (ref.day, ref.precision) == (date(2012, 8, 15), DAY)


def test_a_programme_or_anniversary_year_is_the_events_year():
    assert article_reference("Đoàn sẽ tham dự Chương trình gặp gỡ đầu Xuân 2024;").year == 2024
    assert article_reference("Tiêu đề\nNgày 2/2, nhân dịp kỷ niệm 93 năm (1930-2023).").year == 2023


def test_nothing_known_gives_no_date():
    assert article_reference("Sáng 31/8, tại thành phố").day is None


def test_a_dashed_day_after_a_time_of_day_is_a_date_and_a_bare_dash_is_not():
    # held_out_2: "Sáng 3-11, tại phường …" (a day written with a dash, as "Trong 2 ngày 28 và 29-11").
    assert first("Sáng 3-11, tại phường Long An").value == date(2023, 11, 3)  # before the January paper
    assert first("Chiều 25-12, hai bên hội đàm").value == date(2023, 12, 25)
    assert [d for d in dates("từ 20-30 người, tuyến 1-5") if d.kind != "undated"] == []


JULY_2024 = Reference(date(2024, 7, 15), DAY, "published")


def test_a_half_year_named_nua_dau_or_nua_cuoi_nam_is_six_months():
    d = first("Nửa đầu năm 2024, tỉnh thu hút 10 dự án", JULY_2024)
    assert (d.value, d.last) == (date(2024, 1, 1), date(2024, 6, 30))
    d = first("trong nửa cuối năm 2023", JULY_2024)
    assert (d.value, d.last) == (date(2023, 7, 1), date(2023, 12, 31))


def test_a_quarter_with_no_year_is_that_quarter_of_the_article_s_year():
    d = first("Trong quý I, tỉnh thu hút 3 dự án", JULY_2024)
    assert (d.value, d.last, d.kind) == (date(2024, 1, 1), date(2024, 3, 31), "period")
    assert first("trong quý IV, tỉnh", PUBLISHED).last == date(2023, 12, 31)  # read in January: last year's


def test_a_day_and_month_in_words_with_no_year_is_read_in_the_article_s_year():
    d = first("Sáng ngày 12 tháng 3, đoàn sang thăm", JULY_2024)
    assert (d.value, d.precision) == (date(2024, 3, 12), DAY)


def test_days_listed_before_their_month_run_from_the_first_to_the_last():
    d = first("trong ba ngày 10, 11 và 12/6, đoàn làm việc tại tỉnh", JULY_2024)
    assert (d.value, d.last) == (date(2024, 6, 10), date(2024, 6, 12))


def test_the_years_in_brackets_after_trong_n_nam_are_the_span():
    d = first("trong 5 năm (2019-2023), tỉnh tiếp nhận 40 dự án", JULY_2024)
    assert (d.value, d.last) == (date(2019, 1, 1), date(2023, 12, 31))
