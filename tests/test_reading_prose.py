"""The article reader on forms of Vietnamese news prose first met in the held-out articles
(tests/reading/held_out/): periods written before a figure, a meeting abroad told with our leader as
the subject, a visit told only in the headline, agreements named side by side."""

from datetime import date

from reading.dates import DAY, MONTH, YEAR, Reference, article_reference, explicit_years, find_dates
from reading.gazetteer import EMPTY
from reading.reader import read

NOV_2023 = Reference(date(2023, 11, 4), DAY, "published")


def periods(text, ref=NOV_2023):
    return [(d.value, d.last) for d in find_dates(text, 0, len(text), ref, explicit_years(text)) if d.kind == "period"]


def figures(text, published=None):
    return [
        (f["indicator"], f["value"], f["qualifier"], f["period_start"], f["period_end"])
        for f in read(text, published=published, gazetteer=EMPTY).as_json()["figures"]
    ]


def test_the_first_months_of_a_year_are_a_period():
    assert periods("trong 9 tháng năm 2023, tỉnh đã cấp mới") == [(date(2023, 1, 1), date(2023, 9, 30))]
    assert periods("2 tháng đầu năm 2024") == [(date(2024, 1, 1), date(2024, 2, 29))]


def test_the_first_months_without_a_year_are_of_the_articles_year():
    assert periods("Trong 10 tháng, tỉnh đã thu hút") == [(date(2023, 1, 1), date(2023, 10, 31))]
    assert periods("Trong 10 tháng, tỉnh đã thu hút", Reference(None)) == []


def test_from_a_month_until_now_runs_to_the_articles_date_or_stays_open():
    assert periods("Từ tháng 8/2022 đến nay, tỉnh đã cử") == [(date(2022, 8, 1), date(2023, 11, 4))]
    assert periods("Từ tháng 8/2022 đến nay, tỉnh đã cử", Reference(None)) == [(date(2022, 8, 1), None)]


def test_an_article_that_names_one_year_only_dates_its_year_less_days_in_it():
    one = article_reference("Ngày 29/11, đoàn hội đàm.\nHai bên trao đổi tình hình năm 2024.")
    assert (one.day, one.precision) == (date(2024, 1, 1), YEAR)
    many = "Hội đàm\nNgày 29/11, đoàn hội đàm.\nTừ năm 2008 đến năm 2013 hai bên đã ký 3 văn bản."
    assert article_reference(many).day is None


def test_a_period_opening_a_clause_is_the_period_of_the_figures_after_it():
    text = (
        "Cụ thể, trong 9 tháng năm 2023, Quảng Ninh đã cấp mới cho 18 dự án FDI với tổng vốn đăng ký đạt trên 812 "
        "triệu USD và trong tháng 10/2023, tỉnh đã cấp thêm 5 dự án FDI mới, với tổng vốn đăng ký trên 2,2 tỷ USD."
    )
    nine, october = ("2023-01-01", "2023-09-30"), ("2023-10-01", "2023-10-31")
    assert figures(text) == [
        ("fdi_projects", 18, "exact", *nine),
        ("fdi_capital", 812000000, "over", *nine),
        ("fdi_projects", 5, "exact", *october),
        ("fdi_capital", 2200000000, "over", *october),
    ]


def test_a_period_inside_another_figures_clause_is_not_taken():
    text = (
        "Cam kết giá trị viện trợ năm 2021 là 2.893.847 USD (tương đương 66,6 tỷ đồng), giải ngân thực hiện đạt "
        "1.356.640 USD (tương đương 31,2 tỷ đồng)."
    )
    assert [(f[0], f[3]) for f in figures("Tổ chức phi chính phủ nước ngoài\n" + text)] == [
        ("ngo_committed", "2021-01-01"),
        ("aid_value", None),
    ]


def test_a_vnd_equivalent_a_forecast_and_a_headline_repeat_are_not_figures():
    text = (
        "Quảng Ninh thu hút hơn 3 tỷ USD vốn FDI\n"
        "Trong 10 tháng, tỉnh đã thu hút vốn FDI đạt trên 3 tỷ USD, tương đương 72.164 tỷ đồng. "
        "Tỉnh dự kiến thu hút 1 tỷ USD FDI trong quý I."
    )
    ten_months = ("fdi_capital", 3000000000, "over", "2023-01-01", "2023-10-31")
    assert figures(text, published=date(2023, 11, 4)) == [ten_months]


def test_delegations_a_foreign_province_sent_here_are_inbound():
    text = (
        "Từ tháng 8/2022 đến nay, tỉnh Hủa Phăn đã cử 29 đoàn công tác với 338 lượt người sang thăm tại tỉnh Sơn La; "
        "tỉnh Sơn La đã cử 31 đoàn công tác sang thăm tỉnh Hủa Phăn."
    )
    got = read(text, gazetteer=EMPTY).as_json()
    assert [(f["indicator"], f["value"], f["period_end"]) for f in got["figures"]] == [
        ("inbound_delegations", 29, None),
        ("inbound_persons", 338, None),
        ("outbound_delegations", 31, None),
    ]
    assert got["delegations"] == []  # "cử 31 đoàn" counts delegations, it is not one


def test_a_sentence_opening_with_trong_do_breaks_down_the_one_before():
    text = (
        "Số dự án FDI trên địa bàn tỉnh là 196 dự án. "
        "Trong đó, thị xã Quảng Yên có 69 dự án với số vốn đăng ký là trên 5,4 tỷ USD."
    )
    assert [f[:3] for f in figures(text)] == [
        ("fdi_projects", 196, "exact"),
        ("fdi_projects", 69, "exact"),
        ("fdi_capital", 5400000000, "over"),
    ]


def test_our_leader_meeting_abroad_leads_an_outbound_visit():
    text = (
        "Sáng 8/11, tại tỉnh Vân Nam (Trung Quốc) Chủ tịch UBND tỉnh Trịnh Xuân Trường đã có buổi hội đàm với "
        "bà La Bình, Châu trưởng châu Hồng Hà."
    )
    (visit,) = read(text, published=date(2024, 11, 9), gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["start"], visit["leader"]) == ("out", "2024-11-08", "Trịnh Xuân Trường")


def test_a_place_abroad_runs_on_over_the_larger_places_after_it():
    text = (
        "Ngày 21/3, tại thị xã Sầm Nưa, tỉnh Hủa Phăn, nước CHDCND Lào, Đoàn đại biểu cấp cao tỉnh Sơn La do đồng chí "
        "Nguyễn Hữu Đông, Bí thư Tỉnh ủy làm Trưởng đoàn, đã đến thăm và hội đàm với lãnh đạo tỉnh Hủa Phăn."
    )
    (visit,) = read(text, published=date(2024, 3, 22), gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["leader"]) == ("out", "Nguyễn Hữu Đông")
    assert visit["place"] == "thị xã Sầm Nưa, tỉnh Hủa Phăn, nước CHDCND Lào"


def test_a_visit_told_only_in_the_headline_is_proposed_undated():
    text = (
        "Bí thư Tỉnh ủy Lai Châu Giàng Páo Mỷ thăm và làm việc tại tỉnh Luông Pha Bang (Lào)\n"
        "Cùng đi với đoàn có đồng chí Hà Trọng Hải - Phó Chủ tịch UBND tỉnh Lai Châu."
    )
    (visit,) = read(text, gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["start"], visit["leader"]) == ("out", None, "Giàng Páo Mỷ")


def test_a_meeting_that_reviews_signed_documents_is_still_a_meeting():
    text = (
        "Sáng 17/7, tại tỉnh Lạng Sơn, Sở Ngoại vụ tổ chức hội đàm với Văn phòng Ngoại sự Khu tự trị dân tộc Choang "
        "Quảng Tây, Trung Quốc nhằm đánh giá kết quả thực hiện Thông cáo chung và Biên bản hội đàm giữa Bí thư "
        "Tỉnh ủy 5 tỉnh biên giới của Việt Nam và Bí thư Khu ủy Khu tự trị dân tộc Choang Quảng Tây đã ký vào cuối "
        "tháng 2/2025."
    )
    got = read(text, gazetteer=EMPTY).as_json()
    assert [d["direction"] for d in got["delegations"]] == ["in"]
    assert [(a["kind"], a["signed"], a["signed_precision"]) for a in got["agreements"]] == [
        ("other", "2025-02-01", MONTH),
        ("minutes", "2025-02-01", MONTH),
    ]


def test_the_bodies_before_the_signing_verb_are_the_parties():
    text = "Đặc biệt, năm 2022 tỉnh Lai Châu và Luông Pha Bang đã ký kết thỏa thuận hợp tác hữu nghị, đánh dấu bước."
    (signed,) = read(text, gazetteer=EMPTY).as_json()["agreements"]
    assert [p["text"] for p in signed["parties"]] == ["tỉnh Lai Châu", "Luông Pha Bang"]
    assert (signed["title"], signed["signed"]) == ("thỏa thuận hợp tác hữu nghị", "2022-01-01")


def test_an_anniversary_dates_no_signing_and_a_caption_repeats_no_agreement():
    text = (
        "Hai bên thống nhất các hoạt động kỷ niệm 10 năm quan hệ hữu nghị Móng Cái - Đông Hưng "
        "(ngày 20/10/2015 - 20/10/2025).\n"
        "Chủ tịch UBND thành phố Móng Cái Hồ Quang Huy và Thị trưởng Lí Kiện ký kết Bản ghi nhớ. Ảnh: TTXVN\n"
        "Ông Hồ Quang Huy, Chủ tịch UBND thành phố Móng Cái và ông Lí Kiện, Thị trưởng chính quyền nhân dân thành phố "
        "Đông Hưng đã ký kết Bản ghi nhớ về cơ chế hợp tác xây dựng cửa khẩu thông minh."
    )
    (memo,) = read(text, gazetteer=EMPTY).as_json()["agreements"]
    assert memo["signed"] is None
    parties = [p["text"] for p in memo["parties"]]
    assert parties == ["UBND thành phố Móng Cái", "chính quyền nhân dân thành phố Đông Hưng"]


# Forms first met in the second held-out set (tests/reading/held_out_2/).


def test_a_place_the_article_marks_with_its_country_is_foreign_wherever_it_is_named():
    from reading.sides import marked_foreign

    text = "Kon Tum (Việt Nam) và Attapư (Lào) ký kết. Tại thủ đô Phnom Penh, Vương quốc Campuchia. Lai Châu, Lào Cai"
    assert marked_foreign(text) == {"Attapư", "Phnom Penh"}
    text = (
        "Đoàn công tác tỉnh Nghệ An thăm tỉnh Sa Vẳn Na Khẹt (Lào)\n"
        "Ngày 8/4/2024, đoàn công tác tỉnh Nghệ An do đồng chí Bùi Thanh An, Phó Chủ tịch UBND tỉnh dẫn đầu "
        "đã làm việc tại tỉnh Sa Vẳn Na Khẹt."
    )
    (visit,) = read(text, gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["leader"], visit["start"]) == ("out", "Bùi Thanh An", "2024-04-08")


def test_a_kingdom_is_foreign_and_our_delegation_there_goes_out():
    text = (
        "Trong 2 ngày 28 và 29-11, đoàn công tác của tỉnh Tây Ninh do Phó Chủ tịch UBND tỉnh Đoàn Trung Kiên làm "
        "trưởng đoàn đã đến tham dự Hội nghị tại thủ đô Phnom Penh, Vương quốc Campuchia."
    )
    (visit,) = read(text, published=date(2025, 11, 29), gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["leader"], visit["start"]) == ("out", "Đoàn Trung Kiên", "2025-11-28")
    assert visit["place"] == "thủ đô Phnom Penh, Vương quốc Campuchia"


def test_a_foreign_delegations_trip_to_viet_nam_is_inbound():
    text = (
        "Trong khuôn khổ chuyến thăm và làm việc tại Việt Nam từ ngày 5 đến 11/3/2024, chiều 7/3/2024, tại Nghệ An, "
        "Đoàn đại biểu Hội đồng nhân dân tỉnh Nghệ An có buổi làm việc với Đoàn đại biểu Ủy ban Dân tộc Quốc hội "
        "Lào, do Chủ nhiệm Ủy ban Buaphane Likaiza làm Trưởng đoàn."
    )
    (visit,) = read(text, gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["leader"]) == ("in", "Buaphane Likaiza")


def agreements(text, published=None):
    return [
        (a["kind"], a["signed"], [p["text"] for p in a["parties"]])
        for a in read(text, published=published, gazetteer=EMPTY).as_json()["agreements"]
    ]


def test_a_thoa_thuan_minuted_is_an_agreement_with_the_listed_provinces_and_the_dated_mention_wins():
    text = (
        "Thúc đẩy giao thương\n"
        "Tỉnh Tây Ninh ký kết biên bản thỏa thuận tạo thuận lợi trong vận chuyển hàng hóa với 3 tỉnh của Campuchia.\n"
        "Đại diện lãnh đạo tỉnh Tây Ninh cùng các tỉnh Svay Rieng, Prey Veng ký kết thỏa thuận hợp tác\n"
        "Sáng 3-11, UBND tỉnh Tây Ninh tổ chức Hội nghị gặp gỡ, trao đổi và ký kết thỏa thuận tạo thuận lợi trong "
        "vận chuyển hàng hóa với 3 tỉnh của Vương quốc Campuchia gồm Svay Rieng, Prey Veng và Tboung Khmum."
    )
    assert agreements(text, date(2025, 11, 3)) == [
        ("agreement", "2025-11-03", ["UBND tỉnh Tây Ninh", "Svay Rieng", "Prey Veng", "Tboung Khmum"])
    ]


def test_two_provinces_named_then_called_hai_tinh_are_the_parties():
    text = (
        "Tỉnh Kon Tum và tỉnh Attapư (Lào) có mối quan hệ hữu nghị. Tính từ tháng 6/2015, hai tỉnh ký kết và thực "
        "hiện “Bản ghi nhớ về tăng cường quan hệ hợp tác”."
    )
    assert agreements(text) == [("mou", "2015-06-01", ["Tỉnh Kon Tum", "tỉnh Attapư"])]


def test_the_subject_of_the_signing_verb_right_before_the_title_and_a_term_that_dates_no_signing():
    text = (
        "Kon Tum (Việt Nam) và Attapư (Lào) ký kết Bản ghi nhớ thiết lập quan hệ hợp tác\n"
        "Tại lễ ký kết, Chủ tịch UBND tỉnh Kon Tum Lê Ngọc Tuấn thông tin: Năm 2015, tỉnh Kon Tum và tỉnh Attapư ký "
        "bản ghi nhớ chính thức thiết lập quan hệ hợp tác.\n"
        "Dự Lễ ký kết Bản ghi nhớ hợp tác giai đoạn 2022- 2027, về phía tỉnh Kon Tum có các sở, ngành."
    )
    assert agreements(text) == [
        ("mou", None, ["Kon Tum", "Attapư"]),
        ("mou", "2015-01-01", ["tỉnh Kon Tum", "tỉnh Attapư"]),
    ]


def test_the_signing_day_not_the_year_of_the_festival_and_the_body_not_the_headline():
    text = (
        "Tỉnh Quảng Ninh (Việt Nam) và tỉnh Hokkaido (Nhật Bản) hội đàm và ký kết thỏa thuận hợp tác\n"
        "Nhân dịp Đoàn Đại biểu tỉnh Hokkaido tham dự Lễ hội Hokkaido tại Hạ Long năm 2023, chiều 16/11, tại thành "
        "phố Hạ Long, tỉnh Quảng Ninh (Việt Nam) và tỉnh Hokkaido (Nhật Bản) đã tổ chức chương trình hội đàm và ký "
        "kết thỏa thuận hợp tác giữa 2 tỉnh."
    )
    assert agreements(text) == [("agreement", "2023-11-16", ["tỉnh Quảng Ninh", "tỉnh Hokkaido"])]


def test_an_undated_reception_is_read_when_no_sentence_dates_one_and_takes_the_only_year():
    text = (
        "Đồng chí Chủ tịch UBND tỉnh tiếp Đoàn đại biểu Mông Cổ\n"
        "Đồng chí Nguyễn Văn Sơn, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh tiếp Đoàn đại biểu Đại sứ quán Mông Cổ.\n"
        "Tham gia Đoàn có Ngài Jigiee Sereejav, Đại sứ đặc mệnh toàn quyền nước Mông Cổ tại Việt Nam và phu nhân. "
        "Đoàn tới tham dự Lễ hội Thành Tuyên năm 2022."
    )
    (visit,) = read(text, gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["leader"], visit["host"]) == ("in", "Jigiee Sereejav", "Nguyễn Văn Sơn")
    assert (visit["start"], visit["start_precision"]) == ("2022-01-01", "year")
    text = (
        "Đề xuất 5 nội dung hợp tác\n"
        "Bí thư Tỉnh ủy Cao Bằng Trần Hồng Minh bày tỏ sự vui mừng được tiếp đón đoàn công tác Thành ủy thành phố "
        "Bách Sắc, Quảng Tây (Trung Quốc) đến thăm và làm việc tại tỉnh. Năm 2023 và năm 2024 hai bên hợp tác."
    )
    (visit,) = read(text, gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["start"]) == ("in", None)


def test_two_delegations_each_led_by_its_head_are_two_events():
    text = (
        "Ngày 19/4/2025, đoàn đại biểu huyện Mường Khương do đồng chí Giàng Quốc Hưng, Bí thư Huyện ủy Mường Khương và "
        "đoàn đại biểu Si Ma Cai do đồng chí Hà Đức Minh, Bí thư Huyện ủy Si Ma Cai dẫn đầu đã sang thăm và hội đàm "
        "với huyện Mã Quan, châu Văn Sơn, tỉnh Vân Nam (Trung Quốc)."
    )
    got = read(text, gazetteer=EMPTY).as_json()["delegations"]
    assert [(v["direction"], v["leader"], v["start"]) for v in got] == [
        ("out", "Giàng Quốc Hưng", "2025-04-19"),
        ("out", "Hà Đức Minh", "2025-04-19"),
    ]


def test_a_headline_repeat_under_other_words_and_the_examples_of_a_total_are_not_figures():
    text = (
        "Tiếp nhận hơn 22,4 tỷ đồng viện trợ không hoàn lại\n"
        "(QNO) - Quảng Nam tiếp nhận 12 khoản viện trợ không hoàn lại từ các tổ chức phi chính phủ với tổng nguồn vốn "
        "hơn 22,4 tỷ đồng trong 6 tháng đầu năm.\n"
        "Trong đó, có một số khoản viện trợ lớn như: Cơ quan Phát triển quốc tế Hoa Kỳ (USAID) tài trợ 9 tỷ đồng thực "
        "hiện dư án giảm ô nhiễm rác thải nhựa."
    )
    assert figures(text) == [
        ("ngo_projects", 12, "exact", None, None),
        ("ngo_committed", 22400000000, "over", None, None),
    ]


def test_a_conference_we_hold_with_a_foreign_side_is_an_inbound_event_even_when_it_signs():
    text = (
        "Sáng 3-11, tại phường Long An, UBND tỉnh Tây Ninh tổ chức Hội nghị gặp gỡ, trao đổi và ký kết thỏa thuận "
        "với 3 tỉnh của Vương quốc Campuchia gồm Svay Rieng, Prey Veng và Tboung Khmum."
    )
    (visit,) = read(text, published=date(2025, 11, 3), gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["start"]) == ("in", "2025-11-03")


def test_our_delegation_going_to_wish_a_foreign_province_well_goes_out_in_the_year_of_the_quarter_reviewed():
    text = (
        "Đoàn công tác tỉnh Nghệ An chúc Tết tỉnh Sa Vẳn Na Khẹt (Lào)\n"
        "Ngày 8/4, đoàn công tác tỉnh Nghệ An do đồng chí Bùi Thanh An - Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch "
        "UBND tỉnh dẫn đầu đến chúc Tết Đảng bộ, chính quyền và nhân dân tỉnh Sa Vẳn Na Khẹt.\n"
        "Hai bên trao đổi về tình hình kinh tế - xã hội của 2 tỉnh trong năm 2023 và quý I/2024."
    )
    (visit,) = read(text, gazetteer=EMPTY).as_json()["delegations"]
    assert (visit["direction"], visit["leader"], visit["start"]) == ("out", "Bùi Thanh An", "2024-04-08")
    assert article_reference("Tiêu đề\nMở đầu.\nGiai đoạn 1996 - 2000 và 2001 - 2006.").day is None  # no quarter


def test_two_provincial_bodies_holding_talks_at_a_border_post_are_border_talks():
    text = (
        "Thống nhất phương án khai trương cặp cửa khẩu\n"
        "Ngày 29/8, tại Đồn Biên phòng Cửa khẩu quốc tế Tân Nam (ấp Tân Nam, xã Tân Biên, tỉnh Tây Ninh), Ủy ban Nhân "
        "dân tỉnh Tây Ninh và Ban hành chính tỉnh Prey Veng, Vương quốc Campuchia, tổ chức hội đàm trao đổi song "
        "phương để kiểm tra công tác chuẩn bị Lễ khai trương cặp cửa khẩu quốc tế Tân Nam-Meun Chey.\n"
        "Hai bên thống nhất các nội dung. Lễ công bố sẽ có chương trình nghệ thuật. Hai bên sẽ báo cáo Chính phủ.\n"
        "Ông Nguyễn Hồng Thanh, Phó Chủ tịch UBND tỉnh Tây Ninh phát biểu."
    )
    (talks,) = read(text, published=date(2025, 8, 29), gazetteer=EMPTY).as_json()["delegations"]
    assert (talks["direction"], talks["start"], talks["leader"]) == ("border_talks", "2025-08-29", "Nguyễn Hồng Thanh")


def test_a_national_day_in_brackets_is_not_the_days_event():
    text = (
        "Ông Lê Văn Phước, Phó Chủ tịch UBND tỉnh đã gửi lời chúc mừng đến đoàn đại biểu tỉnh Takeo nhân dịp kỷ "
        "niệm 72 năm Quốc khánh Vương quốc Campuchia (9/11)."
    )
    assert read(text, published=date(2025, 11, 8), gazetteer=EMPTY).as_json()["delegations"] == []
