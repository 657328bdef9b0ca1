"""General rules of Vietnamese news prose first met in tests/reading/held_out_8/ (FDI half-years, a stock to a month's
end, FDI "từ đầu năm đến ngày 15/8", NGO aid of a year, memorandums recalled in the passive, an agreement signed
online): a signing online, a passive signing and its agent, a department named by its fields, a plan's amount,
projects whose capital was raised, a stock opened by "Hiện", the publisher's mark before the lead, a count of all
investment broken down, domestic amounts, firms registered, what invested firms give, a part of a total, a qualifier
shared by two amounts, a period up to a day with no year, a year compared with. Every sentence is written for the
rule (no article's text)."""

from datetime import date

from reading.dates import DAY, Reference, article_reference
from tests import reading_rules as rules
from tests.test_reading_held_out_7_rules import agreements, figures

AUGUST_2021 = Reference(date(2021, 9, 1), DAY, "published")


def periods(text, ref=AUGUST_2021):
    return rules.periods(text, ref)


# ---- agreements ---------------------------------------------------------------------------------------------------


def test_an_agreement_signed_online_is_read_with_the_manner_between_verb_and_title():
    text = (
        "Tỉnh A và tỉnh B ký kết hợp tác\n"
        "Sáng ngày 9/6/2022, UBND tỉnh Hòa Lạc và chính quyền tỉnh Mường Xén (Lào) tổ chức lễ ký kết trực tuyến "
        "thỏa thuận hợp tác giữa hai tỉnh giai đoạn 2022 - 2027."
    )
    assert agreements(text) == [("agreement", "2022-06-09", ["UBND tỉnh Hòa Lạc", "chính quyền tỉnh Mường Xén"], True)]


def test_the_signatories_of_a_passive_signing_end_where_the_verb_starts():
    text = (
        "Tỉnh A thăm tỉnh B\n"
        "Hai bên rà soát Bản ghi nhớ giữa tỉnh Hòa Lạc và tỉnh Mường Xén được ký kết vào tháng 4/2017."
    )
    assert agreements(text) == [("mou", "2017-04-01", ["tỉnh Hòa Lạc", "tỉnh Mường Xén"], False)]


def test_the_agent_of_a_passive_signing_is_the_pair_the_article_names():
    text = (
        "Lãnh đạo tỉnh Hòa Lạc thăm tỉnh Mường Xén\n"
        "Hai bên đánh giá kết quả theo Bản ghi nhớ đã được 2 bên ký kết vào tháng 8/2015.\n"
        "Quan hệ giữa 2 tỉnh Hòa Lạc và Mường Xén ngày càng bền chặt."
    )
    assert agreements(text) == [("mou", "2015-08-01", ["tỉnh Hòa Lạc", "tỉnh Mường Xén"], False)]


def test_a_department_named_by_its_fields_is_one_party_and_a_memorandum_dated_apart_is_another():
    text = (
        "Tỉnh A thăm tỉnh B\n"
        "Hai bên đánh giá Bản ghi nhớ đã được 2 bên ký kết vào tháng 8/2015; Bản ghi nhớ hợp tác giữa Sở Nông "
        "nghiệp, Thủy sản và Phát triển nông thôn tỉnh Hòa Lạc và Sở Công thương tỉnh Mường Xén được ký kết vào "
        "tháng 5/2019.\n"
        "Quan hệ giữa 2 tỉnh Hòa Lạc và Mường Xén ngày càng bền chặt."
    )
    assert (
        "mou",
        "2019-05-01",
        ["Sở Nông nghiệp, Thủy sản và Phát triển nông thôn tỉnh Hòa Lạc", "Sở Công thương tỉnh Mường Xén"],
        False,
    ) in agreements(text)
    assert len(agreements(text)) == 2


# ---- figures: what is not the province's figure ---------------------------------------------------------------------


def test_a_plan_s_amount_is_not_a_figure():
    text = (
        "Tỉnh A thu hút FDI\n"
        "Năm 2022, vốn FDI của tỉnh Hòa Lạc đạt 90 triệu USD, vượt kế hoạch cả năm (60 - 80 triệu USD)."
    )
    assert figures(text) == [("fdi_capital", 90000000, "2022-01-01", "2022-12-31")]


def test_projects_whose_capital_was_raised_are_adjusted_not_new():
    text = "Tỉnh A thu hút FDI\nTrong tháng 3/2022, tỉnh Hòa Lạc có thêm 4 dự án FDI đăng ký mới và 3 dự án tăng vốn."
    assert figures(text) == [("fdi_projects", 4, "2022-03-01", "2022-03-31")]


def test_new_and_adjusted_projects_counted_together_are_not_a_count_of_new_ones():
    text = (
        "Tỉnh A thu hút FDI\n"
        "Năm 2022, tỉnh Hòa Lạc có 30 dự án đầu tư trực tiếp nước ngoài (FDI) cấp mới và điều chỉnh vốn."
    )
    assert figures(text) == []


def test_a_count_of_all_investment_broken_down_and_the_domestic_part_are_not_fdi():
    text = (
        "Tỉnh A thu hút FDI\n"
        "Năm 2022, tỉnh Hòa Lạc có 120 dự án đầu tư, trong đó có 100 dự án trong nước với tổng vốn đăng ký 9.000 tỷ "
        "đồng, 20 dự án FDI với tổng vốn đăng ký 300 triệu USD."
    )
    assert figures(text) == [
        ("fdi_projects", 20, "2022-01-01", "2022-12-31"),
        ("fdi_capital", 300000000, "2022-01-01", "2022-12-31"),
    ]


def test_the_capital_of_firms_registered_and_what_invested_firms_give_are_not_fdi_capital():
    text = (
        "Tỉnh A thu hút FDI\n"
        "Năm 2022, tỉnh Hòa Lạc có 12 doanh nghiệp FDI đăng ký thành lập, với số vốn đăng ký 500 tỷ đồng.\n"
        "Ngoài ra, các doanh nghiệp FDI trên địa bàn tỉnh Hòa Lạc còn đóng góp 2 tỷ đồng cho quỹ vì người nghèo."
    )
    assert figures(text) == []


def test_a_sentence_opening_on_a_part_of_a_total_gives_the_part_s_figures():
    text = (
        "Tỉnh A thu hút FDI\n"
        "Năm 2022, tỉnh Hòa Lạc có 20 dự án FDI cấp mới.\n"
        "Trong tổng số 20 dự án FDI cấp mới, Nhật Bản dẫn đầu với 8 dự án.\n"
        "Lĩnh vực chế biến, chế tạo thu hút 150 triệu USD vốn FDI."
    )
    assert figures(text) == [("fdi_projects", 20, "2022-01-01", "2022-12-31")]


def test_a_qualifier_before_two_amounts_joined_by_and_governs_both():
    from reading.gazetteer import EMPTY
    from reading.reader import read

    text = (
        "Tỉnh A thu hút đầu tư\nNăm 2022, tỉnh Hòa Lạc thu hút vốn FDI đạt trên 40 triệu USD và 900 triệu USD năm 2021."
    )
    qualifiers = [f["qualifier"] for f in read(text, gazetteer=EMPTY).as_json()["figures"]]
    assert qualifiers == ["over", "over"]


# ---- figures: periods ----------------------------------------------------------------------------------------------


def test_a_stock_opened_by_now_takes_no_period_of_the_sentence_before():
    text = (
        "Tỉnh A thu hút FDI\n"
        "6 tháng đầu năm 2022, tỉnh Hòa Lạc có 8 dự án FDI mới. Hiện tỉnh Hòa Lạc có 140 dự án FDI còn hiệu lực."
    )
    assert figures(text) == [("fdi_projects", 8, "2022-01-01", "2022-06-30"), ("fdi_projects", 140, None, None)]


def test_the_publisher_s_mark_before_the_lead_is_not_part_of_its_head():
    text = "Tỉnh A thu hút FDI\n(ABC) – Lũy kế đến hết tháng 9/2020, tỉnh Hòa Lạc có 300 dự án FDI còn hiệu lực."
    assert figures(text) == [("fdi_projects", 300, None, "2020-09-30")]


def test_from_the_year_s_start_up_to_a_day_with_no_year_is_a_period_of_the_article_s_year():
    assert periods("tính từ đầu năm đến ngày 15/8, tỉnh đã thu hút 9 triệu USD") == [
        (date(2021, 1, 1), date(2021, 8, 15))
    ]
    assert periods("Cụ thể, đến ngày 20/7, trên địa bàn tỉnh có 12 dự án") == [(None, date(2021, 7, 20))]


def test_a_year_written_after_the_same_period_dates_the_article_to_the_year_after():
    text = "Tỉnh A: thu hút FDI tăng mạnh\nTừ đầu năm, tỉnh đã thu hút 9 triệu USD, tăng 20% so với cùng kỳ 2020."
    assert article_reference(text).year == 2021


# ---- forms tried on sentences written for the purpose (none from an article) ----------------------------------------


def test_a_stock_up_to_a_quarter_s_end_ends_on_its_last_day():
    assert periods("Tính đến hết quý II/2023, tỉnh có 210 dự án FDI còn hiệu lực") == [(None, date(2023, 6, 30))]
    # a span that ends there stays a span
    assert periods("Từ năm 2019 đến hết quý III/2022, tỉnh đã cử 40 đoàn") == [(date(2019, 1, 1), date(2022, 9, 30))]


def test_from_the_year_s_start_to_a_month_s_end_with_or_without_its_year():
    assert periods("Từ đầu năm đến hết tháng 7, tỉnh thu hút 12 dự án FDI mới") == [
        (date(2021, 1, 1), date(2021, 7, 31))
    ]
    assert periods("Từ đầu năm đến hết tháng 9/2020, tỉnh thu hút 12 dự án") == [(date(2020, 1, 1), date(2020, 9, 30))]


def test_guests_counted_with_their_delegations_are_inbound_persons_and_tourists_are_not():
    text = "Sở Ngoại vụ tổng kết\nNăm 2023, tỉnh tổ chức 45 đoàn ra và đón 60 đoàn vào với 700 lượt khách."
    assert ("inbound_persons", 700, "2023-01-01", "2023-12-31") in figures(text)
    assert figures("Du lịch\nNăm 2023, tỉnh đón 20.000 lượt khách quốc tế đến tham quan.") == []


def test_the_signatories_after_between_end_where_the_sentence_s_predicate_starts():
    text = (
        "Hợp tác\n"
        "Ngày 5/4/2023, tại thành phố Hòa Lạc, Lễ ký kết Bản ghi nhớ hợp tác giữa UBND tỉnh Hòa Lạc và chính quyền "
        "tỉnh Gangseo (Hàn Quốc) đã diễn ra."
    )
    assert agreements(text) == [("mou", "2023-04-05", ["UBND tỉnh Hòa Lạc", "chính quyền tỉnh Gangseo"], False)]
