"""The admin's words in Vietnamese, and the right ones: the person who made a
change is "Người thực hiện" in the review and change-history tables (the
delegation form's "Who" section stays "Thành phần", its members); the by-year
filters are lower case like every other filter ("Theo năm"); and django-axes'
login attempts, which ships no Vietnamese, read in Vietnamese too."""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils.html import strip_tags

from agreements.models import Agreement, AgreementKind
from delegations.models import Delegation, Direction
from projects.models import Project, ProjectKind
from register import review
from tests.conftest import cite


def words(response):
    """The page's text, each run of spaces as one."""
    return re.sub(r"\s+", " ", strip_tags(response.text))


def header_cells(response):
    return [
        re.sub(r"\s+", " ", strip_tags(cell)).strip()
        for cell in re.findall(r"<th[^>]*>(.*?)</th>", response.text, re.S)
    ]


@pytest.fixture
def reviewed(approver, db):
    record = Delegation.objects.create(
        direction=Direction.OUTBOUND, title="Đoàn đi Bằng Tường", start_date=dt.date(2024, 4, 3)
    )
    cite(record)
    record._history_user = approver
    record.title = "Đoàn đi Bằng Tường (sửa)"
    record.save()
    for action in ("submit", "approve"):
        review.apply(record, action, approver)
    return record


def test_the_review_and_history_tables_name_the_person_who_acted(client, approver, reviewed):
    client.force_login(approver)
    for name in ("review", "history"):
        page = client.get(reverse(f"admin:delegations_delegation_{name}", args=[reviewed.pk]))
        assert page.status_code == 200
        headers = header_cells(page)
        assert "Người thực hiện" in headers, (name, headers)
        assert "Thành phần" not in headers and "Who" not in headers
    # The delegation's form keeps "Thành phần" for its section on who took part.
    form = client.get(reverse("admin:delegations_delegation_change", args=[reviewed.pk]))
    assert "Thành phần" in words(form)


def test_the_by_year_filters_are_lower_case_like_the_others(client, staff, db):
    Delegation.objects.create(direction=Direction.INBOUND, title="Đoàn vào", start_date=dt.date(2024, 4, 3))
    Agreement.objects.create(title="Biên bản", kind=AgreementKind.MINUTES, signed_on=dt.date(2024, 4, 4))
    Project.objects.create(kind=ProjectKind.ODA, title="Dự án", actual_start=dt.date(2020, 1, 1))
    client.force_login(staff)
    for model, title in (
        ("delegations_delegation", "năm"),
        ("agreements_agreement", "năm ký"),
        ("projects_project", "năm bắt đầu"),
    ):
        text = words(client.get(reverse(f"admin:{model}_changelist")))
        assert f"Theo {title} " in text, model
        assert "Theo Năm" not in text, model
        assert "Theo tình trạng " in text or "Theo trạng thái " in text, model  # the others, in lower case


def test_the_login_attempts_admin_is_in_vietnamese(client, superuser):
    AccessAttempt.objects.create(
        username="canbo",
        ip_address="203.0.113.7",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="username=canbo",
        failures_since_start=2,
    )
    client.force_login(superuser)
    index = words(client.get(reverse("admin:index")))
    assert "Theo dõi đăng nhập" in index and "Lượt đăng nhập" in index and "Nhật ký đăng nhập" in index
    assert not re.search(r"\bAxes\b|Access attempts|Access logs|Access failures", index)

    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    headers = header_cells(listing)
    for wanted in ("Thời điểm đăng nhập", "Địa chỉ IP", "Tên đăng nhập", "Đường dẫn", "Số lần đăng nhập sai"):
        assert wanted in headers, (wanted, headers)
    text = words(listing)
    assert "Theo tình trạng khóa" in text and "lần thử còn lại" in text
    english = (
        "Attempt Time",
        "IP Address",
        "User Agent",
        "Failed Logins",
        "Path",
        "Status",
        "Locked Out",
        "Attempt Remaining",
    )
    assert not [word for word in english if re.search(rf"\b{word}\b", text)]

    attempt = AccessAttempt.objects.get()
    form = words(client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])))
    assert "Dữ liệu biểu mẫu" in form and "Thông tin kỹ thuật" in form
    assert "Form Data" not in form and "Meta Data" not in form
