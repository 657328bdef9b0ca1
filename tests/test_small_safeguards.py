"""Small safeguards: the language cookie is Secure, HttpOnly and SameSite=Lax;
Django's own validator and formset messages reach users in Vietnamese; a
review reason is held to its 1,000 characters by the form, the service and the
database; an over-long address is answered by the site itself with a
Vietnamese 414 page that carries the security headers."""

import importlib.util
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import FileExtensionValidator
from django.db import IntegrityError, transaction
from django.forms import formset_factory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from delegations.models import Delegation, Direction
from register import admin_messages
from register.models import REASON_MAX_LENGTH, ReviewAction, ReviewTransition
from register.publishable import ReviewState
from tests.test_review import action, review_page, signed_in, state

# --- The language cookie ------------------------------------------------------------------------------------------


def test_the_language_cookie_is_secure_httponly_and_lax(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_the_switcher_still_switches_with_the_cookie_out_of_scripts_reach(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/").headers["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert client.get("/").headers["Content-Language"] == "vi"


# --- Django's messages in Vietnamese ------------------------------------------------------------------------------


def messages_of(error):
    return [str(message) for message in error.value.messages]


def test_a_nul_byte_in_a_text_field_is_refused_in_vietnamese():
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        forms.CharField().clean("Đoàn\x00")
    assert messages_of(error) == ["Không được có ký tự rỗng (NUL)."]


def test_a_file_of_a_refused_kind_is_named_in_vietnamese():
    upload = SimpleUploadedFile("trang.html", b"<p>x</p>")
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        FileExtensionValidator(["pdf", "jpg"])(upload)
    assert messages_of(error) == [
        "Không chấp nhận tệp có phần mở rộng “html”. Các phần mở rộng được chấp nhận: pdf, jpg."
    ]


def test_too_many_rows_in_a_formset_are_refused_in_vietnamese():
    rows = formset_factory(forms.Form, max_num=1000, validate_max=True)
    data = {"form-TOTAL_FORMS": "1001", "form-INITIAL_FORMS": "0"}
    with translation.override("vi"):
        formset = rows(data)
        assert not formset.is_valid()
        assert formset.non_form_errors() == ["Vui lòng gửi nhiều nhất 1000 dòng."]


def test_a_nul_byte_typed_into_the_admin_is_refused_in_vietnamese(client, staff):
    from tests.test_audit import edit

    draft = Delegation.objects.create(direction=Direction.OUTBOUND, title="Đoàn đi Nam Ninh", size=3)
    response = edit(signed_in(client, staff), draft, 0, title="Đoàn\x00 đi Nam Ninh")
    assert response.status_code == 200
    assert "Không được có ký tự rỗng (NUL)." in response.text
    assert "Null characters" not in response.text


def test_a_forged_form_with_thousands_of_member_rows_is_refused_in_vietnamese(staff):
    # The admin's own member rows, as its change page builds them (not the page itself:
    # drawing 2,000 empty rows again would take the test half a minute).
    from django.contrib import admin
    from django.test import RequestFactory

    from tests.test_admin import management_form

    draft = Delegation.objects.create(direction=Direction.OUTBOUND, title="Đoàn đi Nam Ninh", size=3)
    request = RequestFactory().post("/")
    request.user = staff
    model_admin = admin.site._registry[Delegation]
    inlines = model_admin.get_inline_instances(request, draft)
    members = next(inline for inline in inlines if inline.model.__name__ == "DelegationMember")
    rows = members.get_formset(request, draft)
    with translation.override("vi"):
        formset = rows(management_form("members", total=2001), instance=draft, prefix="members")
        assert not formset.is_valid()
        assert formset.non_form_errors() == ["Vui lòng gửi nhiều nhất 1000 dòng."]


def test_every_django_message_the_project_translates_is_vietnamese():
    with translation.override("vi"):
        left_english = [msgid for msgid in admin_messages.VALIDATION if isinstance(msgid, str) and _(msgid) == msgid]
        assert left_english == []
        assert ngettext("Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", 2) == (
            "Vui lòng gửi ít nhất %(num)d dòng."
        )
        one = "This password is too short. It must contain at least %d character."
        many = "This password is too short. It must contain at least %d characters."
        assert ngettext(one, many, 8) % 8 == "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự."


# --- The review reason ------------------------------------------------------------------------------------------------


@pytest.fixture
def approved(db):
    return Delegation.objects.create(
        direction=Direction.OUTBOUND,
        title="Đoàn đi Nam Ninh",
        review_state=ReviewState.APPROVED,
        is_public=True,
    )


TOO_LONG = "Sai ngày đi. " + "x" * 4987  # 5,000 characters


def test_a_reason_past_1000_characters_is_refused_on_the_review_page(client, approver, approved):
    signed_in(client, approver)
    response = client.post(review_page(approved), {"action": ReviewAction.RETURN, "reason": TOO_LONG}, follow=True)
    assert "Lý do chỉ được dài tối đa 1000 ký tự; lý do này có 5000 ký tự." in response.text
    assert state(approved) == (ReviewState.APPROVED, True)
    assert not ReviewTransition.objects.exists()


def test_a_reason_past_1000_characters_is_refused_by_the_list_action(client, approver, approved):
    response = action(signed_in(client, approver), "return_to_draft", [approved], reason=TOO_LONG)
    assert "Lý do chỉ được dài tối đa 1000 ký tự" in response.text
    assert "Chưa chọn hành động" not in response.text  # Django's own words for an action form it refused
    assert state(approved) == (ReviewState.APPROVED, True)


def test_a_reason_of_exactly_1000_characters_is_kept(client, approver, approved):
    reason = "y" * REASON_MAX_LENGTH
    signed_in(client, approver).post(review_page(approved), {"action": ReviewAction.RETURN, "reason": reason})
    assert state(approved) == (ReviewState.DRAFT, False)
    assert ReviewTransition.objects.get().reason == reason


def test_the_database_refuses_a_reason_past_1000_characters(approver, approved):
    from django.contrib.contenttypes.models import ContentType

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewTransition.objects.create(
            content_type=ContentType.objects.get_for_model(Delegation),
            object_id=approved.pk,
            action=ReviewAction.RETURN,
            from_state=ReviewState.APPROVED,
            to_state=ReviewState.DRAFT,
            published=False,
            reason="z" * (REASON_MAX_LENGTH + 1),
            user=approver,
        )


# --- Over-long addresses ----------------------------------------------------------------------------------------------


def test_a_10000_character_query_gets_a_vietnamese_414_with_the_security_headers(client, db):
    response = client.get("/delegations/?q=" + "a" * 10_000)
    assert response.status_code == 414
    assert "Địa chỉ quá dài" in response.text
    assert "10002 ký tự" in response.text
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}
    assert response["Content-Language"] == "vi"


def test_a_long_but_real_filter_address_passes(client, db):
    query = "&".join(f"partner={n}" for n in range(200))  # far past any form of the site
    assert len(query) < settings.MAX_QUERY_STRING_LENGTH
    assert client.get(f"/delegations/?{query}").status_code == 200


def test_the_admin_answers_an_over_long_query_the_same_way(client, staff):
    response = signed_in(client, staff).get(reverse("admin:index") + "?x=" + "b" * 5000)
    assert response.status_code == 414


def test_gunicorn_lets_through_every_request_line_django_answers_itself():
    path = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    config = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(config)
    # "GET /delegations/export.xlsx?<query> HTTP/1.1" must reach Django whenever the query is one it reads.
    longest_path = len("GET /admin/delegations/delegation/export.xlsx? HTTP/1.1")
    assert config.limit_request_line >= settings.MAX_QUERY_STRING_LENGTH + longest_path + 1000
    assert config.limit_request_line <= 8190  # gunicorn's largest limit short of none at all
    assert config.limit_request_field_size >= 8190


def test_record_numbers_in_admin_links_are_not_grouped_like_amounts():
    """A record number reads "#2000027", never "#2.000.027" as the Vietnamese
    locale would group an amount: clerks type it into search and compare it."""
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("vi"):
        html = render_to_string("admin/imports/duplicate_links.html", {"found": [(2000027, "/admin/x/")]})
    assert "#2000027" in html
    assert "2.000.027" not in html
