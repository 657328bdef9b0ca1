"""Country names in Vietnamese, for the ISO 3166 codes partners carry.

Django's own country list has no reliable Vietnamese; the register needs only
the countries it deals with (the articles' and the synthetic generator's). A
country's own partner row ("Trung Quốc", kind country) names it first where there
is one; this table names the rest; an unknown code shows as itself."""

from django.db.models import Case, Min, Q, Value, When

from common.collation import vietnamese_key

COUNTRY_NAMES = {
    "AU": "Úc",
    "BE": "Bỉ",
    "BN": "Bru-nây",
    "CA": "Ca-na-đa",
    "CH": "Thụy Sĩ",
    "CN": "Trung Quốc",
    "CU": "Cu Ba",
    "DE": "Đức",
    "DK": "Đan Mạch",
    "ES": "Tây Ban Nha",
    "FI": "Phần Lan",
    "FR": "Pháp",
    "GB": "Vương quốc Anh",
    "ID": "In-đô-nê-xi-a",
    "IN": "Ấn Độ",
    "IT": "I-ta-li-a",
    "JP": "Nhật Bản",
    "KH": "Campuchia",
    "KP": "Triều Tiên",
    "KR": "Hàn Quốc",
    "LA": "Lào",
    "LU": "Lúc-xăm-bua",
    "MM": "Mi-an-ma",
    "MN": "Mông Cổ",
    "MY": "Ma-lai-xi-a",
    "NL": "Hà Lan",
    "NO": "Na Uy",
    "NZ": "Niu Di-lân",
    "PH": "Phi-líp-pin",
    "RU": "Nga",
    "SE": "Thụy Điển",
    "SG": "Xinh-ga-po",
    "TH": "Thái Lan",
    "TW": "Đài Loan (Trung Quốc)",
    "US": "Hoa Kỳ",
    "VN": "Việt Nam",
}


def country_name(code, names=None):
    """The Vietnamese name of ``code``: from ``names`` (the partner rows' names, see
    ``country_names()``) first, then the table, else the code itself; "" for none."""
    if not code:
        return ""
    return (names or {}).get(code) or COUNTRY_NAMES.get(code) or code


def country_names(user=None):
    """{code: Vietnamese name} for every country a partner ``user`` may see belongs to
    (every partner when no user is given), in Vietnamese
    alphabetical order of the names: the country's own partner row names it (the first
    by name if a code has two), else the table. One GROUP BY over the partners."""
    from partners.models import Partner, PartnerKind

    partners = Partner.objects.all() if user is None else Partner.objects.visible_to(user)
    rows = (
        partners.exclude(country="")
        .values("country")
        .annotate(name=Min("name", filter=Q(kind=PartnerKind.COUNTRY)))
        .values_list("country", "name")
        .order_by()
    )
    names = {code: name or country_name(code) for code, name in rows}
    return dict(sorted(names.items(), key=lambda item: (vietnamese_key(item[1]), item[0])))


def by_country_name(names, field="country"):
    """An ORDER BY expression that puts rows in the order of ``names`` ({code: name}
    in the order wanted, as ``country_names()`` gives them), other codes after, no
    country last: a CASE over the few dozen codes, evaluated per row, so no index
    serves it; the partner list it orders holds a few thousand rows nationally."""
    whens = [When(**{field: code}, then=Value(rank)) for rank, code in enumerate(names)]
    whens.append(When(**{field: ""}, then=Value(len(names) + 1)))
    return Case(*whens, default=Value(len(names)))
