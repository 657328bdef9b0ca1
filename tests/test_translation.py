"""Vietnamese first: the catalogue is complete and compiled, and no English
label of this project's models reaches a Vietnamese reader."""

import gettext
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

from common.formatting import large_amount, vnd
from common.partial_dates import DatePrecision, format_partial_date
from offices.provinces import province_choices

APPS = ["offices", "partners", "sources", "delegations", "agreements", "projects"]
# Labels that read the same in both languages.
SAME_IN_BOTH = {"ODA", "Pingxiang", "Euro (EUR)", "đồng (VND)", "dd/mm/yyyy", "Search: Bằng Tường, Pingxiang, 凭祥…"}
# The provinces' names, as the official list writes them ("04 – Cao Bằng").
SAME_IN_BOTH |= {label for _code, label in province_choices()}


def _po_entries():
    """(msgid, msgstr) pairs of locale/vi/LC_MESSAGES/django.po, plurals by their first form."""
    text = (Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries, current, key = [], {}, None
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if current.get("msgid"):
                entries.append((current["msgid"], current.get("msgstr", current.get("msgstr[0]", ""))))
            current, key = {}, None
        elif line.startswith(("msgid ", "msgstr ", "msgstr[0] ", "msgid_plural ")):
            key, _, rest = line.partition(" ")
            current[key] = rest.strip()[1:-1]
        elif line.startswith('"') and key:
            current[key] += line.strip()[1:-1]
    return entries


def test_every_message_of_the_catalogue_is_translated():
    untranslated = [msgid for msgid, msgstr in _po_entries() if not msgstr]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source():
    base = Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES"
    with open(base / "django.mo", "rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    msgids = {msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8") for msgid, _ in _po_entries()}
    compiled = {k if isinstance(k, str) else k[0] for k in catalog}
    assert msgids <= compiled


@pytest.mark.parametrize("app_label", APPS)
def test_no_field_or_choice_label_stays_english_in_vietnamese(app_label):
    left_english = []
    for model in apps.get_app_config(app_label).get_models():
        if model.__name__.startswith("Historical"):
            # The audit trail's tables (django-simple-history) are never shown by their
            # labels: the history pages name the record's own fields.
            continue
        labels = [model._meta.verbose_name, model._meta.verbose_name_plural]
        for field in model._meta.get_fields():
            if hasattr(field, "verbose_name") and getattr(field, "concrete", True) is not False:
                labels.append(field.verbose_name)
            for _value, label in getattr(field, "flatchoices", None) or []:
                labels.append(label)
        for label in labels:
            with translation.override("en"):
                english = str(label)
            with translation.override("vi"):
                vietnamese = str(label)
            if english == vietnamese and english not in SAME_IN_BOTH and not english.isupper():
                left_english.append(f"{model.__name__}: {english}")
    # Django's own automatic fields (id, content_type...) are translated by Django.
    assert [x for x in left_english if not x.endswith((": ID", ": id"))] == []


def test_vietnamese_numbers_money_and_partial_dates():
    import datetime as dt

    with translation.override("vi"):
        assert vnd(134525000) == "134.525.000 ₫"
        assert large_amount(224500000, "USD") == "224,5 triệu USD"
        assert large_amount(700_000_000_000, "VND") == "700 tỷ đồng"
        assert format_partial_date(dt.date(2011, 10, 1), DatePrecision.MONTH) == "tháng 10/2011"
        assert format_partial_date(dt.date(2024, 4, 3), DatePrecision.DAY) == "03/04/2024"
        assert format_partial_date(dt.date(2010, 1, 1), DatePrecision.YEAR) == "năm 2010"


def test_the_django_admin_strings_the_project_overrides_are_vietnamese():
    from register import admin_messages

    with translation.override("vi"):
        left_english = [
            msgid for msgid in admin_messages.MISSING if isinstance(msgid, str) and translation.gettext(msgid) == msgid
        ]
        assert left_english == []
        assert translation.ngettext("Please correct the error below.", "Please correct the errors below.", 2) == (
            "Vui lòng sửa lỗi được nêu dưới đây."
        )
        # Django's own catalogue says "Bản ghi nhớ" (a memorandum of understanding) and "Thêm vào" (add to).
        assert translation.gettext("History") == "Lịch sử"
        assert translation.gettext("Add %(name)s") % {"name": "đoàn"} == "Thêm đoàn"
        assert translation.gettext("Add") == "Thêm"


def test_validation_messages_have_no_space_before_the_full_stop():
    with translation.override("vi"):
        for msgid in [
            "Ensure this value is greater than or equal to %(limit_value)s.",
            "Ensure this value is less than or equal to %(limit_value)s.",
        ]:
            assert (translation.gettext(msgid) % {"limit_value": 1900}).endswith(" 1900.")


def test_the_domestic_category_has_one_vietnamese_name():
    from delegations.models import Direction

    with translation.override("vi"):
        names = {
            str(Direction.DOMESTIC.label),
            translation.gettext("Domestic"),
            translation.gettext("Domestic working visits"),
        }
    assert names == {"Đoàn công tác của lãnh đạo Trung ương, tỉnh"}


# --- The site's language: Vietnamese unless the user picks another (register/language.py) ---


def test_a_browser_asking_for_english_still_gets_vietnamese(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="vi"' in response.text
    assert response.headers["Content-Language"] == "vi"


def test_the_language_switcher_chooses_english_and_back(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/").headers["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").headers["Content-Language"] == "vi"


def test_a_language_cookie_the_site_does_not_offer_falls_back_to_vietnamese(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/").headers["Content-Language"] == "vi"
