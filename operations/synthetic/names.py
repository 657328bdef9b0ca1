"""Word pools the generator draws from, and fold() memoised on them.

Every generated text is made of pieces from these pools joined by single
spaces, so its folded search form is the pieces' folded forms joined the same
way: fold() runs once per distinct piece, not once per row."""

from common.text import fold

_FOLDED = {}


def folded(piece):
    """fold(piece), computed once per distinct piece."""
    value = _FOLDED.get(piece)
    if value is None:
        value = _FOLDED[piece] = fold(piece)
    return value


# The 34 provinces and centrally-run cities from 1 July 2025.
PROVINCES = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)  # fmt: skip

# The province whose units get the most records when the database has no office
# profile to name its own (offices/): the demo data's.
DEMO_PROVINCE = "Lạng Sơn"

DEPARTMENTS = (
    ("Sở Ngoại vụ", "Department of Foreign Affairs"),
    ("Sở Công Thương", "Department of Industry and Trade"),
    ("Sở Tài chính", "Department of Finance"),
    ("Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    ("Sở Y tế", "Department of Health"),
    ("Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment"),
    ("Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism"),
    ("Sở Xây dựng", "Department of Construction"),
    ("Công an tỉnh", "Provincial Police"),
    ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "Provincial Border Guard Command"),
)

PLACE_WORDS = (
    "Bình An", "Hòa Bình", "Tân Lập", "Đồng Tâm", "Quyết Thắng", "Hữu Lũng", "Chi Lăng", "Đồng Đăng",
    "Tràng Định", "Thất Khê", "Na Sầm", "Bắc Sơn", "Vũ Lễ", "Hữu Kiên", "Tân Thanh", "Thụy Hùng",
    "Phú Xá", "Bảo Lâm", "Yên Thịnh", "Mẫu Sơn", "Lộc Bình", "Đình Lập", "Bình Gia", "Văn Quan",
    "Cao Lộc", "Khánh Khê", "Tam Thanh", "Kỳ Lừa", "Hoàng Đồng", "Quảng Lạc", "Xuân Long", "Tân Mỹ",
    "Phước Hải", "Long Điền", "Mỹ Tho", "Sa Đéc", "Ngã Năm", "Thới Bình", "Đầm Dơi", "Ia Grai",
    "Buôn Đôn", "Krông Pắc", "Đức Trọng", "Bảo Lộc", "Sìn Hồ", "Mường Tè", "Mường Nhé", "Sốp Cộp",
)  # fmt: skip

FAMILY = (
    ("Nguyễn", 30), ("Trần", 10), ("Lê", 9), ("Phạm", 7), ("Hoàng", 7), ("Phan", 4), ("Vũ", 4), ("Võ", 3),
    ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Hồ", 2), ("Ngô", 2), ("Dương", 2), ("Lý", 2), ("Nông", 2),
    ("Lương", 2), ("Lăng", 1), ("Vi", 1), ("Triệu", 1), ("Mông", 1), ("Hà", 1), ("Đinh", 1), ("Lục", 1),
)  # fmt: skip
MIDDLE = (
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Ngọc", "Xuân", "Thu", "Công", "Đình", "Mạnh",
    "Thế", "Kim", "Hồng", "Bích", "Quốc", "Tuấn", "Anh", "Việt", "Trọng",
)  # fmt: skip
GIVEN = (
    "An", "Anh", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
    "Huyền", "Khánh", "Khôi", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Nhung", "Phong",
    "Phương", "Quân", "Quyết", "Sơn", "Tâm", "Thắng", "Thảo", "Thủy", "Tiến", "Trang", "Trung", "Tú",
    "Tuấn", "Vân", "Việt", "Yến", "Hưng", "Lợi", "Thịnh", "Đông", "Chiến", "Hiền", "Toàn",
)  # fmt: skip
CHINESE_FAMILY = ("Lưu", "Vương", "Trương", "Lý", "Triệu", "Hoàng", "Chu", "Ngô", "Từ", "Tôn", "Mã", "Hồ")
CHINESE_GIVEN = ("Ninh", "Kiến Quốc", "Hải Đào", "Văn Bân", "Tiểu Minh", "Quốc Cường", "Lệ Hoa", "Chí Vĩ", "Hồng Ba")

POSITIONS = (
    "Chủ tịch UBND", "Phó Chủ tịch UBND", "Bí thư Tỉnh ủy", "Phó Bí thư Tỉnh ủy", "Giám đốc Sở", "Phó Giám đốc Sở",
    "Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên", "Chuyên viên chính", "Thư ký", "Phiên dịch",
    "Chủ tịch HĐND", "Chỉ huy trưởng", "Đồn trưởng", "Cán bộ",
)  # fmt: skip
LEADER_POSITIONS = POSITIONS[:8] + ("Chủ tịch HĐND", "Chỉ huy trưởng")
FOREIGN_POSITIONS = (
    "Chủ tịch Chính phủ Nhân dân",
    "Phó Chủ tịch",
    "Thị trưởng",
    "Giám đốc",
    "Đại sứ",
    "Trưởng đại diện",
)

PURPOSE_PHRASES = {
    "official_visit": "thăm chính thức",
    "working_visit": "thăm và làm việc",
    "conference": "dự hội nghị hợp tác",
    "trade_promotion": "xúc tiến thương mại, đầu tư",
    "survey": "khảo sát",
    "training": "tham dự khóa đào tạo",
    "study_tour": "tham quan, học tập kinh nghiệm",
    "culture_sport": "giao lưu văn hóa, thể thao",
    "border_affairs": "hội đàm về công tác biên giới",
    "other": "làm việc",
}

OUTCOMES = (
    "Hai bên thống nhất tăng cường hợp tác trong lĩnh vực thương mại biên giới.",
    "Hai bên ký biên bản hội đàm và thống nhất kế hoạch hợp tác năm tiếp theo.",
    "Đoàn trao đổi kinh nghiệm quản lý cửa khẩu và thông quan hàng hóa.",
    "Hai bên nhất trí phối hợp phòng, chống dịch bệnh qua biên giới.",
    "Đoàn khảo sát hạ tầng giao thông, kho bãi và khu kinh tế cửa khẩu.",
    "Hai bên cam kết thúc đẩy giao lưu nhân dân và hợp tác giáo dục, y tế.",
    "Đoàn tham dự hội chợ, giới thiệu sản phẩm nông sản đặc trưng của tỉnh.",
    "Hai bên trao đổi về quản lý biên giới, giữ gìn an ninh trật tự.",
    "Đoàn học tập mô hình chuyển đổi số trong cải cách hành chính.",
    "Hai bên thống nhất tổ chức diễn đàn hợp tác kinh tế luân phiên hằng năm.",
)

AGREEMENT_TOPICS = (
    "hợp tác kinh tế, thương mại", "hợp tác quản lý biên giới", "giao lưu văn hóa, du lịch",
    "hợp tác giáo dục và đào tạo", "hợp tác y tế, phòng chống dịch bệnh", "hợp tác nông nghiệp",
    "xây dựng khu hợp tác kinh tế biên giới", "kết nghĩa hữu nghị", "phòng chống tội phạm xuyên biên giới",
    "hỗ trợ phát triển cộng đồng", "bảo vệ môi trường, tài nguyên nước",
)  # fmt: skip

PROJECT_TOPICS = (
    "Nâng cấp đường giao thông nông thôn", "Cấp nước sạch và vệ sinh môi trường", "Xây dựng trường tiểu học",
    "Phát triển sinh kế bền vững", "Nâng cao năng lực y tế cơ sở", "Hỗ trợ trẻ em có hoàn cảnh khó khăn",
    "Phát triển chuỗi giá trị nông sản", "Ứng phó biến đổi khí hậu", "Phòng chống HIV/AIDS",
    "Xây dựng nhà máy chế biến", "Phát triển du lịch cộng đồng", "Đào tạo nghề cho thanh niên",
)  # fmt: skip
PROJECT_OUTPUTS = (
    "12 km đường bê tông", "71 phòng học tại 24 điểm trường", "3 trạm y tế xã", "1.200 hộ được cấp nước sạch",
    "850 học viên được đào tạo", "5 hợp tác xã được hỗ trợ", "",
)  # fmt: skip
TRANSACTION_NOTES = ("Giải ngân đợt", "Chi trả hợp đồng", "Hỗ trợ hiện vật", "Cam kết vốn", "Tạm ứng")
