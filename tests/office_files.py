"""Office-style lists as the provincial offices keep them (not the export layout):
a title row merged across the sheet, a blank row, the office's headings, dates
written as ranges, a "Tổng cộng" row and a signature block."""

import datetime as dt
import io
import pathlib

import openpyxl

from register.office_import.fields import OFFICE_DELEGATION_HEADINGS

DELEGATION_HEADINGS = list(OFFICE_DELEGATION_HEADINGS)

DELEGATION_ROWS = [
    [
        1,
        "Ông Hoàng Văn Minh, Phó Giám đốc Sở Công Thương",
        5,
        "Trung Quốc (Quảng Tây)",
        "11-16/6/2023",
        "Xúc tiến thương mại",
        "",
    ],
    [2, "Bà Nguyễn Thị Lan (Giám đốc Sở Ngoại vụ)", "03 người", "Trung Quốc (Bách Sắc)", "tháng 9/2023", "Hội đàm", ""],
    [
        3,
        "Đ/c Lương Văn Hòa - Phó Chủ tịch UBND huyện",
        4,
        "Lào (tỉnh Luông Pha Băng)",
        "từ 11/6 đến 16/6/2023",
        "Thăm, làm việc",
        "Kinh phí tỉnh",
    ],
    [4, "Ông Trần Văn Nam, Chánh Văn phòng", 2, "Xinh-ga-po", dt.datetime(2023, 10, 3), "Hội thảo", ""],
    [5, "Ông Lê Văn Bình, Giám đốc Sở Y tế", 6, "Trung Quốc (Nam Ninh)", "31/6/2023", "Trao đổi y tế", ""],
]


def delegation_list(rows=DELEGATION_ROWS, title="DANH SÁCH ĐOÀN RA NĂM 2023"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Đoàn ra 2023"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(DELEGATION_HEADINGS))
    sheet.append([])
    sheet.append(DELEGATION_HEADINGS)
    for row in rows:
        sheet.append(row)
    sheet.append(["", "Tổng cộng", sum(r[2] if isinstance(r[2], int) else 0 for r in rows)])
    sheet.append([])
    sheet.append(["", "", "", "", "Lạng Sơn, ngày 10 tháng 1 năm 2024"])
    sheet.append(["", "NGƯỜI LẬP BIỂU", "", "", "GIÁM ĐỐC"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


AGREEMENT_HEADINGS = ["TT", "Tên văn bản", "Đối tác", "Ngày ký", "Cấp ký", "Thời hạn", "Tình trạng", "Ghi chú"]
AGREEMENT_ROWS = [
    [
        1,
        "Biên bản ghi nhớ hợp tác thương mại",
        "Trung Quốc (Quảng Tây)",
        "15/3/2019",
        "Cấp tỉnh",
        "05 năm kể từ ngày ký",
        "Đang hiệu lực",
        "",
    ],
    [
        2,
        "Thỏa thuận hợp tác du lịch",
        "Lào (tỉnh Luông Pha Băng)",
        "tháng 10/2018",
        "Sở, ngành",
        "3 năm",
        "Hết hạn",
        "",
    ],
    [
        3,
        "Biên bản hội đàm về cửa khẩu",
        "Trung Quốc (Bằng Tường)",
        "2018",
        "Cấp tỉnh",
        "không thời hạn",
        "Tạm dừng",
        "",
    ],
    # A date that does not exist, and a place the register does not know (Đông Hưng, in Guangxi).
    [
        4,
        "Kế hoạch hợp tác phòng, chống dịch bệnh qua biên giới",
        "Trung Quốc (Đông Hưng)",
        "29/2/2023",
        "Sở, ngành",
        "2 năm",
        "Còn hiệu lực",
        "",
    ],
    # A near spelling of a partner the register knows (Ô-xtrây-li-a, Australia).
    [
        5,
        "Bản ghi nhớ hợp tác giáo dục và đào tạo",
        "Ốt-xtrây-li-a",
        "20/11/2022",
        "Sở, ngành",
        "05 năm",
        "Đang hiệu lực",
        "",
    ],
]


def agreement_list(rows=AGREEMENT_ROWS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Thỏa thuận"
    sheet.append(["UBND TỈNH LẠNG SƠN"])
    sheet.append(["DANH MỤC THỎA THUẬN QUỐC TẾ CẤP TỈNH"])
    sheet.merge_cells("A2:H2")
    sheet.append([])
    sheet.append(AGREEMENT_HEADINGS)
    for row in rows:
        sheet.append(row)
    sheet.append([f"Tổng cộng: {len(rows)} thỏa thuận"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def two_row_delegation_list():
    """Headings on two rows: "Trưởng đoàn" over "Họ tên | Chức vụ", "Thời gian" over
    "Từ ngày | Đến ngày" (tests/fixtures/office/make_fixtures.py, saved by LibreOffice)."""
    return (pathlib.Path(__file__).parent / "fixtures" / "office" / "doan_vao_2_dong.xlsx").read_bytes()


PROJECT_HEADINGS = [
    "STT",
    "Tên dự án",
    "Nhà tài trợ",
    "Vốn cam kết (USD)",
    "Giải ngân năm 2022 (triệu đồng)",
    "Giải ngân năm 2023 (triệu đồng)",
    "Lũy kế giải ngân",
    "Ghi chú",
]
PROJECT_ROWS = [
    [1, "Dự án cấp nước sạch nông thôn huyện Cao Lộc", "Ngân hàng Thế giới", 1200000, 134.525, "2.500,5", 2635.025, ""],
    [2, "Dự án nâng cao năng lực y tế cơ sở", "Quỹ toàn cầu", "500.000", None, 84.248, 84.248, "Chuyển tiếp"],
    [3, "Dự án trường học vùng cao", "Ngân hàng Thế giới", 300000, "nhiều", 1000, 1000, ""],
]


def project_list(rows=PROJECT_ROWS):
    """A list of ODA projects with money per year in columns, one of them a running total."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Dự án ODA"
    sheet.append(["DANH SÁCH CÁC DỰ ÁN ODA TRÊN ĐỊA BÀN TỈNH"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PROJECT_HEADINGS))
    sheet.append([])
    sheet.append(PROJECT_HEADINGS)
    for row in rows:
        sheet.append(row)
    sheet.append(["", "Tổng cộng", "", 2000000, 134.525, 3584.748, 3719.273, ""])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
