"""The reference rows every record points at: our local units in all 34
provinces, and a partner hierarchy of countries, regions, cities, counties,
border posts, embassies, international organisations, NGOs and companies.

A few thousand rows, built once per run with plain fold(); ids are given by
the caller so that paths ("/12/40/311/") can be written without a second pass."""

from datetime import date

from common.collation import vietnamese_key
from common.text import search_blob

from .names import DEMO_PROVINCE, DEPARTMENTS, PLACE_WORDS, PROVINCES

# (ISO code, Vietnamese name, English name, regions: [(Vietnamese, English, native)])
COUNTRIES = (
    ("CN", "Trung Quốc", "China", (
        ("Khu tự trị dân tộc Choang Quảng Tây", "Guangxi Zhuang Autonomous Region", "广西壮族自治区"),
        ("Vân Nam", "Yunnan", "云南省"), ("Quảng Đông", "Guangdong", "广东省"), ("Hải Nam", "Hainan", "海南省"),
        ("Quý Châu", "Guizhou", "贵州省"), ("Tứ Xuyên", "Sichuan", "四川省"), ("Hồ Nam", "Hunan", "湖南省"),
        ("Chiết Giang", "Zhejiang", "浙江省"), ("Giang Tô", "Jiangsu", "江苏省"), ("Phúc Kiến", "Fujian", "福建省"),
    )),
    ("LA", "Lào", "Laos", (
        ("Viêng Chăn", "Vientiane", ""), ("Luông Pha Băng", "Luang Prabang", ""), ("Hủa Phăn", "Houaphanh", ""),
        ("Xiêng Khoảng", "Xiangkhouang", ""), ("Chăm Pa Sắc", "Champasak", ""), ("Phông Sa Lỳ", "Phongsaly", ""),
    )),
    ("KH", "Campuchia", "Cambodia", (
        ("Xiêm Riệp", "Siem Reap", ""), ("Công Pông Chàm", "Kampong Cham", ""), ("Ta Keo", "Takeo", ""),
    )),
    ("JP", "Nhật Bản", "Japan", (
        ("Tô-ky-ô", "Tokyo", "東京都"), ("Ô-sa-ka", "Osaka", "大阪府"), ("Phu-cu-ô-ca", "Fukuoka", "福岡県"),
    )),
    ("KR", "Hàn Quốc", "South Korea", (
        ("Gyeonggi", "Gyeonggi", "경기도"), ("Busan", "Busan", "부산광역시"), ("Jeju", "Jeju", "제주특별자치도"),
    )),
    ("FR", "Pháp", "France", (("Vùng Île-de-France", "Île-de-France", ""), ("Vùng Occitanie", "Occitanie", ""))),
    ("DE", "Đức", "Germany", (("Bang Bayern", "Bavaria", "Bayern"), ("Bang Sachsen", "Saxony", "Sachsen"))),
    ("US", "Hoa Kỳ", "United States", (("Bang California", "California", ""), ("Bang Texas", "Texas", ""))),
    ("AU", "Úc", "Australia", (("Bang New South Wales", "New South Wales", ""), ("Bang Victoria", "Victoria", ""))),
    ("RU", "Nga", "Russia", (("Tỉnh Primorsky", "Primorsky Krai", "Приморский край"),)),
    ("TH", "Thái Lan", "Thailand", (("Tỉnh Nong Khai", "Nong Khai", "หนองคาย"), ("Tỉnh Udon Thani", "Udon Thani", ""))),
    ("SG", "Xinh-ga-po", "Singapore", ()),
    ("BE", "Bỉ", "Belgium", (("Vùng Flanders", "Flanders", "Vlaanderen"),)),
    ("NL", "Hà Lan", "Netherlands", ()),
    ("GB", "Vương quốc Anh", "United Kingdom", ()),
    ("CA", "Ca-na-đa", "Canada", (("Tỉnh Québec", "Quebec", "Québec"),)),
    ("IN", "Ấn Độ", "India", ()),
    ("CU", "Cu Ba", "Cuba", ()),
    ("MN", "Mông Cổ", "Mongolia", ()),
    ("NZ", "Niu Di-lân", "New Zealand", ()),
)  # fmt: skip

ORGANISATIONS = (
    ("Chương trình Phát triển Liên hợp quốc", "UNDP", "international_org"),
    ("Quỹ Nhi đồng Liên hợp quốc", "UNICEF", "international_org"),
    ("Tổ chức Y tế Thế giới", "WHO", "international_org"),
    ("Tổ chức Lương thực và Nông nghiệp Liên hợp quốc", "FAO", "international_org"),
    ("Ngân hàng Thế giới", "World Bank", "bank"),
    ("Ngân hàng Phát triển châu Á", "ADB", "bank"),
    ("Cơ quan Hợp tác Quốc tế Nhật Bản", "JICA", "government_body"),
    ("Cơ quan Hợp tác Quốc tế Hàn Quốc", "KOICA", "government_body"),
    ("Cơ quan Phát triển Pháp", "AFD", "government_body"),
    ("Quỹ Toàn cầu phòng chống AIDS, Lao và Sốt rét", "Global Fund", "international_org"),
    ("Ngân hàng Đầu tư Cơ sở hạ tầng châu Á", "AIIB", "bank"),
    ("Liên minh châu Âu", "European Union", "international_org"),
)
# Sino-Vietnamese readings of border-region places, for the Chinese cities and counties.
CN_PLACES = (
    "Bằng Tường", "Ninh Minh", "Long Châu", "Đông Hưng", "Sùng Tả", "Nam Ninh", "Bách Sắc", "Khâm Châu",
    "Phòng Thành", "Liễu Châu", "Quế Lâm", "Ngọc Lâm", "Hạ Lôi", "Đại Tân", "Tĩnh Tây", "Na Pha", "Thiên Đẳng",
    "Phù Tuy", "Bắc Hải", "Hà Trì", "Văn Sơn", "Hà Khẩu", "Mông Tự", "Côn Minh", "Hồng Hà", "Quảng Châu",
)  # fmt: skip
NGO_WORDS = ("Tầm nhìn", "Cứu trợ", "Hy vọng", "Vì trẻ em", "Sức khỏe", "Nước sạch", "Giáo dục", "Phát triển")
COMPANY_WORDS = ("Thương mại", "Logistics", "Xuất nhập khẩu", "Đầu tư", "Nông sản", "Điện tử", "Dệt may", "Cơ khí")

# How many of each kind hang under one region: a national register has thousands of partners.
CITIES_PER_REGION = 8
COUNTIES_PER_CITY = 4
NGOS_PER_COUNTRY = 12
COMPANIES_PER_COUNTRY = 40


class Node:
    """One generated partner or local unit, as plain values."""

    __slots__ = ("id", "values", "weight")

    def __init__(self, id, values, weight=1.0):
        self.id, self.values, self.weight = id, values, weight


def partner_rows(first_id):
    """Partners in id order, parents before children. Guangxi and its cities
    weigh most, so that one partner has a dossier with very many records."""
    rows, next_id = [], [first_id]

    def add(name, name_en, kind, country, parent, native="", aliases="", weight=1.0):
        pid = next_id[0]
        next_id[0] += 1
        path = f"{parent.values['path'] if parent else '/'}{pid}/"
        values = {
            "id": pid, "name": name, "name_en": name_en, "name_native": native, "aliases": aliases, "kind": kind,
            "country": country, "parent_id": parent.id if parent else None, "path": path, "latitude": None,
            "longitude": None, "notes": "", "search_text": search_blob(name, name_en, native, aliases),
            "name_sort": vietnamese_key(name), "iati_ref": "",
            # Reference data, reviewed and published like the seeded rows (issue 13), and shared by every
            # province (docs/PROVINCES.md): entered by none of them.
            "is_public": True, "review_state": "approved", "created_in": None,
        }  # fmt: skip
        node = Node(pid, values, weight)
        rows.append(node)
        return node

    for code, name, name_en, regions in COUNTRIES:
        near = code in ("CN", "LA", "KH")
        country = add(name, name_en, "country", code, None, weight=4.0 if near else 1.0)
        add(f"Đại sứ quán {name} tại Việt Nam", f"Embassy of {name_en}", "embassy", code, country)
        for index, (rname, ren, rnative) in enumerate(regions):
            hub = code == "CN" and index == 0
            region = add(
                rname, ren, "region", code, country, native=rnative, weight=60.0 if hub else 6.0 if near else 1.5
            )
            for c in range(CITIES_PER_REGION):
                word = CN_PLACES[(index * 7 + c * 3) % len(CN_PLACES)] if code == "CN" else f"{ren} {c + 1}"
                city = add(f"Thành phố {word} ({rname})", f"{word} City", "prefecture_city", code, region,
                           weight=6.0 if hub else 2.0 if near else 0.5)  # fmt: skip
                for k in range(COUNTIES_PER_CITY):
                    county_word = (
                        CN_PLACES[(index * 11 + c * 5 + k * 3 + 1) % len(CN_PLACES)]
                        if code == "CN"
                        else f"{word}-{k + 1}"
                    )
                    county = add(f"Huyện {county_word} – {word}", f"{county_word} County", "county", code, city,
                                 weight=2.0 if hub else 1.0 if near else 0.2)  # fmt: skip
                    if near and k == 0:
                        add(f"Trạm kiểm soát biên phòng {county_word}", f"{county_word} border station",
                            "border_post", code, county, weight=3.0 if hub else 0.5)  # fmt: skip
        for n in range(NGOS_PER_COUNTRY):
            word = NGO_WORDS[n % len(NGO_WORDS)]
            add(f"Tổ chức {word} {name} số {n + 1}", f"{word} Foundation {n + 1}", "ngo", code, country, weight=0.3)
        for n in range(COMPANIES_PER_COUNTRY):
            word = COMPANY_WORDS[n % len(COMPANY_WORDS)]
            add(
                f"Công ty {word} {name_en} {n + 1}",
                f"{name_en} {word} Co. {n + 1}",
                "company",
                code,
                country,
                weight=0.2,
            )
    for name, short, kind in ORGANISATIONS:
        add(name, short, kind, "", None, aliases=short, weight=3.0)
    add("Bộ Ngoại giao", "Ministry of Foreign Affairs", "vn_central_body", "VN", None, weight=2.0)
    add("Bộ Công Thương", "Ministry of Industry and Trade", "vn_central_body", "VN", None, weight=1.0)
    return rows


ABOLISHED = date(2025, 6, 30)


def local_unit_rows(first_id, home=DEMO_PROVINCE, codes=None):
    """Each province: its People's Committee, Party committee, Council, ten
    departments, eight districts (abolished on 30/06/2025, succeeded by the
    province) and twenty communes. Weights favour the departments that send
    and receive most delegations, and the office's own province ``home``. Each
    unit belongs to its own province (offices/records.py): ``codes`` maps each
    name of PROVINCES to its code (generate.province_codes); without it, none."""
    codes = codes or {}
    rows, next_id = [], [first_id]

    def add(name, name_en, kind, parent, weight, valid_to=None, successor=None):
        uid = next_id[0]
        next_id[0] += 1
        values = {
            "id": uid, "name": name, "name_en": name_en, "aliases": "", "kind": kind, "code": "",
            "parent_id": parent.id if parent else None, "valid_from": None, "valid_to": valid_to,
            "successor_id": successor.id if successor else None, "notes": "",
            "search_text": search_blob(name, name_en, ""), "is_public": True, "review_state": "approved",
            "province": code,  # the province of the loop below, whose units are being added
        }  # fmt: skip
        node = Node(uid, values, weight)
        rows.append(node)
        return node

    for p, province in enumerate(PROVINCES):
        code = codes.get(province)
        scale = 8.0 if province == home else 3.0 if p in (0, 6, 10, 12, 26) else 1.0
        ubnd = add(f"UBND tỉnh {province}", f"{province} Provincial People's Committee", "province", None, 4 * scale)
        add(f"Tỉnh ủy {province}", f"{province} Provincial Party Committee", "party", None, 2 * scale)
        add(f"HĐND tỉnh {province}", f"{province} Provincial People's Council", "council", ubnd, scale)
        for name, name_en in DEPARTMENTS:
            add(f"{name} {province}", f"{name_en}, {province}", "department", ubnd, 2 * scale)
        for d in range(8):
            word = PLACE_WORDS[(p * 5 + d * 3) % len(PLACE_WORDS)]
            district = add(f"Huyện {word}, {province}", f"{word} District, {province}", "district", ubnd, scale / 2,
                           valid_to=ABOLISHED, successor=ubnd)  # fmt: skip
            for c in range(2):
                cword = PLACE_WORDS[(p * 3 + d * 7 + c * 11) % len(PLACE_WORDS)]
                add(f"Xã {cword}, {word}, {province}", f"{cword} Commune", "commune", district, scale / 8)
        for c in range(4):
            cword = PLACE_WORDS[(p * 13 + c * 5) % len(PLACE_WORDS)]
            add(f"Phường {cword}, {province}", f"{cword} Ward", "commune", ubnd, scale / 6)
    return rows
