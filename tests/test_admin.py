"""Staff data entry in the admin: every page opens, lists cost a fixed number
of queries, search ignores accents, a delegation is entered on one screen,
and the publication actions follow the change permission."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from agreements.models import Agreement, AgreementKind, AgreementUpdate, Partnership, PartnershipKind
from delegations.models import Delegation, DelegationMember, DelegationPhoto, Direction
from partners.models import CooperationMechanism, LocalUnit, LocalUnitKind, Partner, PartnerKind, Sector
from projects.models import ExchangeRate, ParticipantRole, Project, ProjectKind, ProjectParticipant, Transaction
from register.publishable import ReviewState
from sources.models import Citation, Indicator, ReportedFigure, Source, Unit
from tests.conftest import make_user

SOURCE_BODY = (
    "Đoàn công tác của thành phố Bằng Tường sang thăm và làm việc tại Lạng Sơn. "
    "Hai bên thống nhất đẩy mạnh hợp tác cửa khẩu."
)
CITATION_PREFIX = "sources-citation-content_type-object_id"


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Tests run with DEBUG off but without collectstatic: the manifest storage
    # would refuse to name admin/css/base.css.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def management_form(prefix, total=0, initial=0):
    """The hidden fields every inline formset on an admin page posts."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def delegation_post(members=(), citations=(), **fields):
    """A complete POST for the delegation add page: the delegation's fields,
    its member rows, no photo and its citation rows."""
    data = {
        "direction": Direction.INBOUND,
        "title": "Đoàn thành phố Bằng Tường thăm Lạng Sơn",
        "purpose": "working_visit",
        "level": "",
        "status": "completed",
        "start_date": "2024-04-03",
        "end_date": "2024-04-04",
        "date_precision": "day",
        "size": "",
        "review_state": ReviewState.DRAFT,
        **management_form("members", len(members)),
        **management_form("photos"),
        **management_form(CITATION_PREFIX, len(citations)),
    }
    data.update(fields)
    for i, member in enumerate(members):
        for key, value in member.items():
            data[f"members-{i}-{key}"] = value
    for i, citation in enumerate(citations):
        for key, value in citation.items():
            data[f"{CITATION_PREFIX}-{i}-{key}"] = value
    return data


def partner_tree():
    """China -> Guangxi -> Chongzuo -> Pingxiang (Bằng Tường)."""
    china = Partner.objects.create(name="Trung Quốc", name_en="China", name_native="中国", kind=PartnerKind.COUNTRY)
    guangxi = Partner.objects.create(
        name="Quảng Tây", name_en="Guangxi", name_native="广西", kind=PartnerKind.REGION, country="CN", parent=china
    )
    chongzuo = Partner.objects.create(
        name="Sùng Tả",
        name_en="Chongzuo",
        name_native="崇左市",
        kind=PartnerKind.PREFECTURE_CITY,
        country="CN",
        parent=guangxi,
    )
    pingxiang = Partner.objects.create(
        name="Bằng Tường",
        name_en="Pingxiang",
        name_native="凭祥市",
        aliases="Bằng Tường thị",
        kind=PartnerKind.COUNTY,
        country="CN",
        parent=chongzuo,
    )
    return china, guangxi, chongzuo, pingxiang


@pytest.fixture
def records(db):
    """One object of every model the admin edits, linked as staff would link them."""
    *_, pingxiang = partner_tree()
    province = LocalUnit.objects.create(name="UBND tỉnh Lạng Sơn", kind=LocalUnitKind.PROVINCE, code="20")
    mechanism = CooperationMechanism.objects.create(name="Hội đàm đầu Xuân")
    mechanism.partners.add(pingxiang)
    sector = Sector.objects.create(code="33110", name="Thương mại")
    source = Source.objects.create(title="Báo Lạng Sơn", body=SOURCE_BODY, published_on=dt.date(2024, 4, 5))
    figure = ReportedFigure.objects.create(
        indicator=Indicator.INBOUND_DELEGATIONS,
        value=Decimal("1"),
        unit=Unit.COUNT,
        period_end=dt.date(2024, 4, 5),
        scope=province,
        source=source,
        excerpt="Đoàn công tác của thành phố Bằng Tường",
    )
    delegation = Delegation.objects.create(
        direction=Direction.INBOUND, title="Đoàn thành phố Bằng Tường thăm Lạng Sơn", start_date=dt.date(2024, 4, 3)
    )
    delegation.partners.add(pingxiang)
    DelegationMember.objects.create(delegation=delegation, name="Lý Minh", is_leader=True)
    agreement = Agreement.objects.create(
        title="Biên bản hội đàm cửa khẩu", kind=AgreementKind.MINUTES, code="01/BB", signed_on=dt.date(2024, 4, 4)
    )
    agreement.partners.add(pingxiang)
    AgreementUpdate.objects.create(agreement=agreement, date=dt.date(2024, 6, 1), note="Đã triển khai.")
    partnership = Partnership.objects.create(
        local_unit=province, partner=pingxiang, kind=PartnershipKind.SISTER_CITY, established_on=dt.date(2010, 1, 1)
    )
    project = Project.objects.create(kind=ProjectKind.ODA, code="WB-HIV", title="Phòng chống HIV/AIDS")
    ProjectParticipant.objects.create(project=project, partner=pingxiang, role=ParticipantRole.FUNDING)
    Transaction.objects.create(project=project, kind="disbursement", date=dt.date(2010, 12, 31), amount=84248000)
    rate = ExchangeRate.objects.create(currency="USD", date=dt.date(2024, 1, 2), vnd_per_unit=Decimal("24300"))
    Citation.objects.create(
        content_object=delegation, source=source, excerpt="Đoàn công tác của thành phố Bằng Tường sang thăm"
    )
    return {
        "partner": pingxiang,
        "localunit": province,
        "cooperationmechanism": mechanism,
        "sector": sector,
        "source": source,
        "reportedfigure": figure,
        "delegation": delegation,
        "agreement": agreement,
        "partnership": partnership,
        "project": project,
        "exchangerate": rate,
    }


ADMIN_MODELS = [
    ("partners", "partner"),
    ("partners", "localunit"),
    ("partners", "cooperationmechanism"),
    ("partners", "sector"),
    ("sources", "source"),
    ("sources", "reportedfigure"),
    ("delegations", "delegation"),
    ("agreements", "agreement"),
    ("agreements", "partnership"),
    ("projects", "project"),
    ("projects", "exchangerate"),
]


@pytest.mark.parametrize(("app_label", "model_name"), ADMIN_MODELS)
def test_staff_opens_the_list_the_add_page_and_the_change_page(staff_client, records, app_label, model_name):
    obj = records[model_name]
    changelist = staff_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    add = staff_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    change = staff_client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]))
    assert (changelist.status_code, add.status_code, change.status_code) == (200, 200, 200)
    assert reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]) in changelist.text
    # Searching with the list's own search box works for every list.
    searched = staff_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"), {"q": "bang tuong 2024"})
    assert searched.status_code == 200


@pytest.mark.parametrize(
    ("app_label", "model_name"),
    [pair for pair in ADMIN_MODELS if pair[1] not in {"sector", "source", "reportedfigure", "exchangerate"}],
)
def test_every_cited_record_offers_the_citation_inline(staff_client, records, app_label, model_name):
    response = staff_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert f'name="{CITATION_PREFIX}-TOTAL_FORMS"' in response.text


RECORD_ADMINS = [
    ("delegations", "delegation"),
    ("agreements", "agreement"),
    ("projects", "project"),
    ("partners", "partner"),
]


@pytest.mark.parametrize(("app_label", "model_name"), RECORD_ADMINS)
def test_record_lists_and_forms_link_the_stylesheet_that_fits_them_on_the_screen(
    staff_client, records, app_label, model_name
):
    # static/css/admin.css: inline inputs fill their columns, list cells wrap.
    obj = records[model_name]
    for url in (
        reverse(f"admin:{app_label}_{model_name}_changelist"),
        reverse(f"admin:{app_label}_{model_name}_add"),
        reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]),
    ):
        assert 'href="/static/css/admin.css"' in staff_client.get(url).text, url


@pytest.mark.parametrize(("app_label", "model_name"), RECORD_ADMINS[:3])
def test_record_lists_show_seven_columns_ending_with_review_state_and_publication(
    staff_client, records, app_label, model_name
):
    html = staff_client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).text
    columns = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', html)
    assert columns[0] == "title"
    assert columns[-2:] == ["review_state", "is_public"]
    assert len(columns) == 7


def test_transactions_are_entered_stacked_a_few_fields_to_a_line(staff_client, records):
    # As an eleven-column table the project form was 2,400 px wide.
    html = staff_client.get(reverse("admin:projects_project_change", args=[records["project"].pk])).text
    group = re.search(r'<div class="js-inline-admin-formset inline-group"\s+id="transactions-group"[^>]*>', html)
    assert group and 'data-inline-type="stacked"' in group.group(0)
    # The date's one box says its precision too ("2010" or "12/2010"): no precision box beside it.
    assert 'class="form-row field-kind field-date"' in html


def in_english(client):
    """The client with English chosen, as the language switcher chooses it (the site ignores Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.no_office  # the neutral title of an install with no office yet
def test_the_admin_is_titled_as_the_register(staff_client, db):
    # No office profile yet (a fresh install): a neutral title; tests/test_offices.py has the profile's.
    response = in_english(staff_client).get(reverse("admin:index"))
    assert "<title>Data entry | Foreign-affairs register</title>" in response.text


def test_delegation_change_page_shows_members_and_citation(staff_client, records):
    response = staff_client.get(reverse("admin:delegations_delegation_change", args=[records["delegation"].pk]))
    assert 'value="Lý Minh"' in response.text
    assert "Đoàn công tác của thành phố Bằng Tường sang thăm" in response.text


def test_partner_change_page_shows_the_hierarchy_above_it(staff_client, records):
    response = staff_client.get(reverse("admin:partners_partner_change", args=[records["partner"].pk]))
    assert "Trung Quốc</a> › <a" in response.text
    assert "Sùng Tả</a> › Bằng Tường" in response.text


def test_source_change_page_lists_the_records_citing_it(staff_client, records):
    response = staff_client.get(reverse("admin:sources_source_change", args=[records["source"].pk]))
    delegation_url = reverse("admin:delegations_delegation_change", args=[records["delegation"].pk])
    assert f'<a href="{delegation_url}">Đoàn thành phố Bằng Tường thăm Lạng Sơn</a>' in response.text


def make_delegations(count):
    partners = [Partner.objects.create(name=f"Đối tác {i}", kind=PartnerKind.COUNTY) for i in range(3)]
    host = LocalUnit.objects.create(name="Sở Ngoại vụ", kind=LocalUnitKind.DEPARTMENT)
    for i in range(count):
        delegation = Delegation.objects.create(
            direction=Direction.OUTBOUND, title=f"Đoàn {i}", start_date=dt.date(2024, 1, 1), host_unit=host
        )
        delegation.partners.set(partners)


def delegation_list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:delegations_delegation_changelist"))
    assert response.status_code == 200
    return response, len(queries)


def test_delegation_list_costs_the_same_queries_for_3_or_30_rows(staff_client):
    make_delegations(3)
    response, few = delegation_list_queries(staff_client)
    assert response.text.count("Đối tác 0, Đối tác 1, Đối tác 2") == 3
    make_delegations(27)
    response, many = delegation_list_queries(staff_client)
    assert response.text.count("Đối tác 0, Đối tác 1, Đối tác 2") == 30
    assert many == few


def test_delegation_list_query_count_is_pinned(staff_client, django_assert_num_queries):
    make_delegations(30)
    # 1 the session, 2 the user, 3-4 the user's and the group's permissions,
    # 5 the staff profile (is the user limited to one unit?), 6 the first and
    # last start dates (the year filter's choices), 7 the mechanism filter's
    # choices, 8 the row count (up to 10.001), 9 the page of delegations,
    # 10 the partners of the page's delegations.
    with django_assert_num_queries(10):
        response = staff_client.get(reverse("admin:delegations_delegation_changelist"))
    assert response.status_code == 200


def test_the_year_filter_offers_every_year_and_keeps_one(staff_client):
    host = LocalUnit.objects.create(name="Sở Ngoại vụ", kind=LocalUnitKind.DEPARTMENT)
    for year in (2019, 2024):
        Delegation.objects.create(title=f"Đoàn năm {year}", start_date=dt.date(year, 6, 1), host_unit=host)
    url = reverse("admin:delegations_delegation_changelist")

    everything = staff_client.get(url).text
    one_year = staff_client.get(url, {"start_date_year": "2019"}).text
    nonsense = staff_client.get(url, {"start_date_year": "x'; DROP"})

    assert all(f"?start_date_year={year}" in everything for year in range(2019, 2025))
    assert "Đoàn năm 2019" in one_year and "Đoàn năm 2024" not in one_year
    assert nonsense.status_code == 200 and "Đoàn năm 2024" in nonsense.text


def test_past_the_count_cap_the_change_list_says_more_than(staff_client, monkeypatch):
    from common import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 10)
    make_delegations(12)

    response = staff_client.get(reverse("admin:delegations_delegation_changelist"))

    assert response.status_code == 200
    assert "hơn 10 đoàn" in response.text
    assert response.text.count("Đối tác 0, Đối tác 1, Đối tác 2") == 12  # The page still shows every row.


def test_below_the_count_cap_the_change_list_counts_exactly(staff_client):
    make_delegations(12)

    response = staff_client.get(reverse("admin:delegations_delegation_changelist"))

    assert "12 đoàn" in response.text and "hơn 12" not in response.text


def test_search_without_accents_finds_the_partner(staff_client, records):
    response = staff_client.get(reverse("admin:partners_partner_changelist"), {"q": "bang tuong"})
    assert ">Bằng Tường</a>" in response.text
    assert ">Quảng Tây</a>" not in response.text


@pytest.mark.parametrize("query", ["bang tuong", "BẰNG TƯỜNG", "pingxiang", "凭祥", '"bang tuong thi"'])
def test_partner_search_covers_every_spelling(staff_client, records, query):
    response = staff_client.get(reverse("admin:partners_partner_changelist"), {"q": query})
    assert ">Bằng Tường</a>" in response.text


def test_search_without_accents_finds_the_delegation(staff_client, records):
    Delegation.objects.create(direction=Direction.OUTBOUND, title="Đoàn đi Nam Ninh")
    response = staff_client.get(reverse("admin:delegations_delegation_changelist"), {"q": "bang tuong"})
    assert ">Đoàn thành phố Bằng Tường thăm Lạng Sơn</a>" in response.text
    assert "Đoàn đi Nam Ninh" not in response.text


def test_search_still_finds_codes_through_the_search_fields(staff_client, records):
    response = staff_client.get(reverse("admin:projects_project_changelist"), {"q": "WB-HIV"})
    assert ">Phòng chống HIV/AIDS</a>" in response.text


def test_partner_autocomplete_ignores_accents(staff_client, records):
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "delegations", "model_name": "delegation", "field_name": "partners", "term": "bang"},
    )
    assert response.status_code == 200
    names = [row["text"] for row in response.json()["results"]]
    assert names == ["Bằng Tường"]


def test_staff_enters_a_delegation_with_members_and_a_citation_on_one_screen(staff_client, records):
    source, pingxiang = records["source"], records["partner"]
    data = delegation_post(
        members=[
            {"name": "Nguyễn Văn A", "position": "Phó Chủ tịch", "is_leader": "on", "order": "1"},
            {"name": "Trần Thị B", "position": "Chuyên viên", "order": "2"},
        ],
        citations=[{"source": source.pk, "excerpt": "Hai bên thống nhất đẩy mạnh hợp tác cửa khẩu."}],
        title="Đoàn Bằng Tường sang dự hội chợ",
        partners=[pingxiang.pk],
    )
    response = staff_client.post(reverse("admin:delegations_delegation_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    delegation = Delegation.objects.get(title="Đoàn Bằng Tường sang dự hội chợ")
    assert list(delegation.members.values_list("name", "is_leader")) == [
        ("Nguyễn Văn A", True),
        ("Trần Thị B", False),
    ]
    assert delegation.size is None  # left blank: unknown, not counted from the member list
    assert list(delegation.partners.all()) == [pingxiang]
    citation = Citation.objects.get(content_type=ContentType.objects.get_for_model(Delegation), object_id=delegation.pk)
    assert (citation.source, citation.excerpt) == (source, "Hai bên thống nhất đẩy mạnh hợp tác cửa khẩu.")
    assert delegation.search_text.startswith("doan bang tuong")


def test_staff_moves_the_head_of_delegation_to_another_member(staff_client, records):
    delegation = records["delegation"]
    first = delegation.members.get()
    second = DelegationMember.objects.create(delegation=delegation, name="Hoàng Lan", order=2)
    data = delegation_post(
        title=delegation.title,
        size="2",
        **{
            **management_form("members", total=2, initial=2),
            "members-0-id": first.pk,
            "members-0-delegation": delegation.pk,
            "members-0-name": first.name,
            "members-0-order": "0",
            "members-1-id": second.pk,
            "members-1-delegation": delegation.pk,
            "members-1-name": second.name,
            "members-1-is_leader": "on",
            "members-1-order": "2",
            **management_form(CITATION_PREFIX, total=1, initial=1),
            f"{CITATION_PREFIX}-0-id": Citation.objects.get().pk,
            f"{CITATION_PREFIX}-0-source": records["source"].pk,
            f"{CITATION_PREFIX}-0-excerpt": Citation.objects.get().excerpt,
        },
    )
    response = staff_client.post(reverse("admin:delegations_delegation_change", args=[delegation.pk]), data)
    assert response.status_code == 302
    assert list(delegation.members.filter(is_leader=True).values_list("name", flat=True)) == ["Hoàng Lan"]


def changelist_action(client, model, action, objs):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return client.post(url, {"action": action, "_selected_action": [obj.pk for obj in objs]})


def test_a_reader_without_change_permission_cannot_publish(client, records):
    reader = make_user("reader", "official", is_staff=True)
    client.force_login(reader)
    listing = client.get(reverse("admin:delegations_delegation_changelist"))
    assert listing.status_code == 200
    assert "approve_and_publish" not in listing.text
    changelist_action(client, Delegation, "approve_and_publish", [records["delegation"]])
    records["delegation"].refresh_from_db()
    assert records["delegation"].is_public is False


def test_lists_show_review_state_and_publication_filters(staff_client, records):
    response = in_english(staff_client).get(reverse("admin:agreements_agreement_changelist"))
    assert "By review state" in response.text
    assert "By published" in response.text
    # Staff submit; approving is the approvers' (tests/test_review.py).
    assert "submit_for_review" in response.text
    assert "approve_and_publish" not in response.text


def jpeg_upload(name="anh.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_staff_uploads_a_photo_and_sees_its_thumbnail(staff_client, records):
    delegation = records["delegation"]
    citation = Citation.objects.get()
    member = delegation.members.get()
    data = delegation_post(
        title=delegation.title,
        **{
            **management_form("members", total=1, initial=1),
            "members-0-id": member.pk,
            "members-0-delegation": delegation.pk,
            "members-0-name": member.name,
            "members-0-is_leader": "on",
            "members-0-order": "0",
            **management_form("photos", total=1),
            "photos-0-image": jpeg_upload(),
            "photos-0-caption": "Hội đàm tại cửa khẩu",
            "photos-0-order": "0",
            **management_form(CITATION_PREFIX, total=1, initial=1),
            f"{CITATION_PREFIX}-0-id": citation.pk,
            f"{CITATION_PREFIX}-0-source": citation.source_id,
            f"{CITATION_PREFIX}-0-excerpt": citation.excerpt,
        },
    )
    response = staff_client.post(reverse("admin:delegations_delegation_change", args=[delegation.pk]), data)
    assert response.status_code == 302
    photo = DelegationPhoto.objects.get(delegation=delegation)
    assert photo.thumbnail.name.startswith("photos/thumbs/")
    page = staff_client.get(reverse("admin:delegations_delegation_change", args=[delegation.pk]))
    assert f'<img src="{photo.thumbnail.url}" alt="Hội đàm tại cửa khẩu"' in page.text


def test_twinning_pairs_are_found_by_either_side_without_accents(staff_client, records):
    url = reverse("admin:agreements_partnership_changelist")
    change_url = reverse("admin:agreements_partnership_change", args=[records["partnership"].pk])
    assert change_url in staff_client.get(url, {"q": "bang tuong"}).text
    assert change_url in staff_client.get(url, {"q": "lang son"}).text
    assert change_url not in staff_client.get(url, {"q": "nam ninh"}).text


def test_reported_figures_are_found_by_their_source(staff_client, records):
    # ReportedFigure has no folded column: Django's own search over related names.
    url = reverse("admin:sources_reportedfigure_changelist")
    change_url = reverse("admin:sources_reportedfigure_change", args=[records["reportedfigure"].pk])
    assert change_url in staff_client.get(url, {"q": "Báo Lạng"}).text
    assert change_url not in staff_client.get(url, {"q": "Nhân Dân"}).text


# --- Vietnamese where Django's own catalogue falls short (register/admin_messages.py) ---


def test_a_refused_save_is_explained_in_vietnamese_once_per_field(staff_client, db):
    data = delegation_post(start_date="31/02/2024", end_date="01/01/2020", size="-3")
    response = staff_client.post(reverse("admin:delegations_delegation_add"), data)
    assert response.status_code == 200
    assert "Vui lòng sửa lỗi được nêu dưới đây." in response.text
    assert "Please correct" not in response.text
    # The start date could not be read: that is its one message, not "enter the start date as well".
    assert response.context["adminform"].form.errors["start_date"] == [
        "31/02/2024 không phải là một ngày có thật (tháng 2/2024 có 29 ngày)"
    ]
    assert response.context["adminform"].form.errors["size"] == ["Giá trị này phải lớn hơn hoặc bằng 0."]


def test_a_missing_start_date_is_still_asked_for(staff_client, db):
    response = staff_client.post(reverse("admin:delegations_delegation_add"), delegation_post(start_date=""))
    assert response.context["adminform"].form.errors["start_date"] == [
        "Hãy nhập cả ngày bắt đầu khi đã có ngày kết thúc."
    ]


def test_the_admin_pages_an_official_sees_read_vietnamese(staff_client, records):
    changelist = staff_client.get(reverse("admin:delegations_delegation_changelist")).text
    change = staff_client.get(reverse("admin:delegations_delegation_change", args=[records["delegation"].pk])).text
    index = staff_client.get(reverse("admin:index")).text
    for english in ["Show counts", "Skip to main content", "Toggle theme", "Please correct", "Model name"]:
        assert english not in changelist + change + index
    assert "Hiện số lượng" in changelist and "Thực hiện" in changelist
    assert "Chuyển đến nội dung chính" in index and "Loại dữ liệu" in index
    assert ">Lịch sử</a>" in change and "Bản ghi nhớ" not in change  # a memorandum of understanding
    assert "Thêm đoàn" in changelist and "Thêm vào" not in changelist + index
