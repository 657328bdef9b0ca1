"""The words offices write in their own lists for the register's choices, by
field ("<app>.<model>.<field>") and stored value. Matched accent- and
case-insensitively (values.choice_for), so "Thỏa thuận" and "Thoả thuận" are
one entry; both spellings are kept where the brief of issue 15 names them.

A word the office uses for something the model has no value for ("Hoãn" for a
postponed visit) is left out on purpose: the import then asks the clerk.
The models' own labels, in Vietnamese and English, and the stored values are
added by values.choice_words; they need not be repeated here."""

OTHER = ("Khác", "Loại khác")
CURRENCIES = {
    "VND": ("đồng", "VNĐ", "VND", "Việt Nam đồng", "đồng Việt Nam", "đ", "₫"),
    "USD": ("USD", "US$", "$", "đô la Mỹ", "đô la", "đô-la", "đô"),
    "EUR": ("EUR", "Euro", "€"),
    "JPY": ("JPY", "Yên", "Yên Nhật"),
    "CNY": ("CNY", "Nhân dân tệ", "NDT", "RMB", "tệ"),
    "KRW": ("KRW", "Won", "Won Hàn Quốc", "₩"),
    "AUD": ("AUD", "đô la Úc", "đô la Australia"),
    "GBP": ("GBP", "Bảng Anh", "£"),
}

SYNONYMS = {
    "delegations.delegation.direction": {
        "out": ("Đoàn ra", "Đi", "Xuất cảnh", "Ra", "Đoàn đi", "Đi nước ngoài", "Outgoing"),
        "in": ("Đoàn vào", "Đến", "Tiếp", "Vào", "Đón", "Đoàn đến", "Tiếp đoàn", "Incoming"),
        "domestic": ("Đoàn Trung ương", "Lãnh đạo Trung ương", "Đoàn công tác Trung ương"),
        "border": ("Hội đàm biên giới", "Hội đàm", "Gặp gỡ tại cửa khẩu", "Hội đàm tại cửa khẩu"),
    },
    "delegations.delegation.purpose": {
        "official_visit": ("Thăm chính thức", "Chuyến thăm chính thức"),
        "working_visit": ("Thăm và làm việc", "Thăm làm việc", "Làm việc", "Công tác"),
        "conference": ("Hội nghị", "Hội thảo", "Dự hội nghị", "Dự hội thảo", "Diễn đàn"),
        "trade_promotion": ("Xúc tiến thương mại", "Xúc tiến đầu tư", "Xúc tiến thương mại, đầu tư", "Xúc tiến"),
        "survey": ("Khảo sát", "Khảo sát thị trường"),
        "training": ("Đào tạo", "Tập huấn", "Bồi dưỡng"),
        "study_tour": ("Học tập kinh nghiệm", "Tham quan học tập", "Tham quan, học tập"),
        "culture_sport": ("Giao lưu văn hóa", "Giao lưu văn hoá", "Văn hóa, thể thao", "Giao lưu", "Thể thao"),
        "border_affairs": ("Công tác biên giới", "Quản lý biên giới", "Biên giới"),
        "other": OTHER,
    },
    "delegations.delegation.level": {
        "state": ("Lãnh đạo Đảng, Nhà nước", "Cấp Nhà nước", "Lãnh đạo cấp cao"),
        "central": ("Bộ, ngành Trung ương", "Bộ ngành Trung ương", "Cấp bộ", "Bộ, ngành", "Trung ương"),
        "provincial": ("Cấp tỉnh", "Lãnh đạo tỉnh", "Tỉnh", "UBND tỉnh", "Ủy ban nhân dân tỉnh", "Tỉnh ủy"),
        "department": ("Sở, ngành", "Sở ngành", "Cấp sở", "Cấp sở, ngành", "Sở"),
        "district": ("Cấp huyện", "Huyện", "UBND huyện"),
        "commune": ("Cấp xã", "Xã", "Đồn biên phòng", "Cấp đồn"),
        "other": OTHER,
    },
    "delegations.delegation.funding": {
        "state_budget": ("Ngân sách nhà nước", "Ngân sách tỉnh", "Ngân sách", "NSNN", "NS tỉnh"),
        "host": ("Phía bạn chi trả", "Bạn chi trả", "Bạn đài thọ", "Phía bạn đài thọ", "Phía mời chi trả"),
        "project": ("Dự án", "Kinh phí dự án", "Tài trợ", "Nhà tài trợ"),
        "self": ("Tự túc", "Kinh phí tự túc", "Tự chi trả"),
        "mixed": ("Hỗn hợp", "Kết hợp nhiều nguồn"),
        "other": (*OTHER, "Nguồn khác"),
    },
    "delegations.delegation.status": {
        "planned": ("Kế hoạch", "Theo kế hoạch", "Dự kiến", "Chưa thực hiện"),
        "approved": ("Đã phê duyệt", "Đã duyệt", "Được phê duyệt", "Đã cho phép"),
        "completed": ("Đã thực hiện", "Hoàn thành", "Đã hoàn thành", "Đã đi", "Đã tiếp"),
        "cancelled": ("Hủy", "Huỷ", "Đã hủy", "Đã huỷ", "Không thực hiện", "Không đi"),
    },
    "agreements.agreement.kind": {
        "agreement": (
            "Thỏa thuận",
            "Thoả thuận",
            "Thỏa thuận quốc tế",
            "Thoả thuận quốc tế",
            "TTQT",
            "Thỏa thuận hợp tác",
            "Thoả thuận hợp tác",
            "Thỏa thuận khung",
            "Thoả thuận khung",
        ),
        "mou": (
            "Biên bản ghi nhớ",
            "Bản ghi nhớ",
            "Ghi nhớ",
            "MOU",
            "MoU",
            "Biên bản ghi nhớ hợp tác",
            "Bản ghi nhớ hợp tác",
        ),
        "letter_of_intent": ("Ý định thư", "Thư ý định", "LOI"),
        "minutes": (
            "Biên bản hội đàm",
            "Biên bản làm việc",
            "Biên bản trao đổi",
            "Biên bản hội nghị",
            "Biên bản cuộc gặp",
            "Biên bản",
        ),
        "programme": ("Chương trình hợp tác", "Kế hoạch hợp tác", "Chương trình", "Kế hoạch"),
        "twinning": ("Thỏa thuận kết nghĩa", "Thoả thuận kết nghĩa", "Kết nghĩa", "Thỏa thuận hữu nghị"),
        "oda_loan": ("Hiệp định vay", "Thỏa thuận vay", "ODA", "Vay ưu đãi"),
        "ngo_aid": ("Thỏa thuận viện trợ", "Thoả thuận viện trợ", "Viện trợ phi chính phủ", "Viện trợ PCPNN"),
        "other": OTHER,
    },
    "agreements.agreement.regime": {
        "law_70_2020": ("Luật Thỏa thuận quốc tế", "Luật 70/2020/QH14", "Pháp lệnh 33/2007", "Thỏa thuận quốc tế"),
        "oda": ("ODA", "Vốn vay ưu đãi", "ODA và vốn vay ưu đãi"),
        "ngo_aid": ("Viện trợ phi chính phủ nước ngoài", "Viện trợ PCPNN", "PCPNN"),
        "other": OTHER,
    },
    # The model has no "Cấp bộ" or "Cấp thôn": such words are left for the clerk.
    # Only border communes sign (Law 70/2020, article 7), so "Cấp xã" is one.
    "agreements.agreement.signing_level": {
        "provincial_council": ("HĐND tỉnh", "Hội đồng nhân dân tỉnh"),
        "provincial_committee": ("UBND tỉnh", "Ủy ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh", "Cấp tỉnh", "Tỉnh"),
        "department": ("Sở, ngành", "Sở ngành", "Cấp sở", "Cấp sở, ngành", "Sở"),
        "district": ("Cấp huyện", "UBND huyện", "UBND cấp huyện", "Ủy ban nhân dân huyện", "Huyện"),
        "border_commune": ("Cấp xã", "Xã biên giới", "UBND xã", "UBND xã biên giới", "Xã"),
        "border_post": ("Đồn biên phòng", "Đồn Biên phòng", "Cấp đồn", "Đồn"),
    },
    "agreements.agreement.status": {
        "negotiating": ("Đang đàm phán", "Đàm phán", "Đang thương thảo", "Chưa ký"),
        "signed": ("Đã ký", "Đã ký kết", "Ký kết"),
        "in_force": (
            "Đang hiệu lực",
            "Còn hiệu lực",
            "Có hiệu lực",
            "Hiệu lực",
            "Đang có hiệu lực",
            "Đang thực hiện",
            "Đang triển khai",
        ),
        "expired": ("Hết hạn", "Hết hiệu lực", "Đã hết hạn", "Đã hết hiệu lực", "Hết thời hạn"),
        "terminated": ("Chấm dứt", "Đã chấm dứt", "Chấm dứt hiệu lực", "Hủy bỏ", "Huỷ bỏ"),
        "superseded": ("Được thay thế", "Đã được thay thế", "Bị thay thế", "Thay thế"),
    },
    "agreements.partnership.kind": {
        "district_pair": ("Huyện - thị hữu nghị", "Cặp huyện - thị hữu nghị", "Huyện thị hữu nghị"),
        "village_pair": ("Thôn - bản hữu nghị", "Cặp thôn - bản hữu nghị", "Thôn bản hữu nghị"),
        "border_post_pair": ("Đồn - trạm hữu nghị", "Cặp đồn - trạm hữu nghị", "Đồn trạm hữu nghị"),
        "sister_city": ("Thành phố kết nghĩa", "Kết nghĩa", "Sister city", "Twin cities"),
        "other": OTHER,
    },
    "partners.partner.kind": {
        "country": ("Quốc gia", "Nước"),
        "region": ("Tỉnh", "Khu tự trị", "Bang", "Vùng", "Tỉnh, khu tự trị"),
        "prefecture_city": ("Thành phố cấp địa khu", "Địa cấp thị", "Thành phố cấp địa"),
        "county": ("Huyện", "Thành phố cấp huyện", "Huyện cấp thị"),
        "town": ("Trấn", "Hương", "Thị trấn"),
        "village": ("Thôn", "Bản", "Làng"),
        "border_post": ("Trạm biên phòng", "Trạm kiểm soát biên phòng", "Trạm kiểm soát"),
        "government_body": ("Cơ quan chính phủ", "Cơ quan nhà nước nước ngoài", "Cơ quan chính quyền"),
        "embassy": ("Đại sứ quán", "Lãnh sự quán", "Tổng lãnh sự quán", "ĐSQ", "TLSQ"),
        "international_org": ("Tổ chức quốc tế", "TCQT", "Tổ chức liên chính phủ"),
        "bank": ("Ngân hàng", "Ngân hàng phát triển", "Quỹ"),
        "ngo": ("Tổ chức phi chính phủ nước ngoài", "Tổ chức phi chính phủ", "PCPNN", "NGO", "INGO"),
        "company": ("Doanh nghiệp", "Công ty", "Tập đoàn", "DN"),
        "vn_central_body": ("Cơ quan Trung ương", "Bộ, ngành Trung ương", "Bộ"),
        "vn_province": ("Tỉnh bạn", "Địa phương trong nước", "Tỉnh, thành phố trong nước"),
        "other": OTHER,
    },
    "projects.project.kind": {
        "oda": ("ODA", "Vốn ODA", "ODA không hoàn lại", "Viện trợ ODA"),
        "loan": ("Vay ưu đãi", "Vốn vay ưu đãi", "Vốn vay"),
        "fdi": ("FDI", "Vốn FDI", "Đầu tư trực tiếp nước ngoài"),
        "ngo": ("Viện trợ phi chính phủ nước ngoài", "Viện trợ PCPNN", "PCPNN", "Phi chính phủ", "NGO"),
        "non_project": ("Phi dự án", "Viện trợ phi dự án"),
    },
    # ProjectStatus is an IntegerChoices: its stored values are numbers.
    "projects.project.status": {
        1: ("Chuẩn bị", "Đang chuẩn bị", "Chuẩn bị đầu tư", "Xây dựng đề xuất"),
        2: ("Đang thực hiện", "Đang triển khai", "Thực hiện", "Triển khai"),
        3: ("Đang quyết toán", "Quyết toán", "Đang kết thúc"),
        4: ("Đã kết thúc", "Kết thúc", "Hoàn thành", "Đã hoàn thành"),
        5: ("Hủy", "Huỷ", "Đã hủy", "Đã huỷ"),
        6: ("Tạm dừng", "Tạm ngừng", "Dừng"),
    },
    "projects.project.currency": CURRENCIES,
    # Also the words of a money column's heading before its period: "Số vốn giải ngân năm 2023" (money.py).
    "projects.transaction.kind": {
        "commitment": ("Cam kết", "Vốn cam kết", "Số vốn cam kết", "Giá trị cam kết", "Tài trợ cam kết"),
        "disbursement": (
            "Giải ngân",
            "Đã giải ngân",
            "Vốn giải ngân",
            "Vốn đã giải ngân",
            "Số giải ngân",
            "Số vốn giải ngân",
            "Số vốn đã giải ngân",
            "Giá trị giải ngân",
            "Kinh phí giải ngân",
            "Kinh phí đã giải ngân",
            "Thực giải ngân",
            "Giải ngân vốn",
        ),
        "expenditure": ("Chi tiêu", "Chi", "Đã chi", "Thực chi", "Số thực chi", "Kinh phí thực chi", "Kinh phí đã chi"),
        "in_kind": ("Hiện vật", "Viện trợ hiện vật", "Hỗ trợ hiện vật", "Giá trị hiện vật", "Tài trợ hiện vật"),
    },
    "projects.transaction.currency": CURRENCIES,
}
