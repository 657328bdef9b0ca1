"""Vietnamese first: the catalogue is complete and compiled, and no English
label of this project's models reaches a Vietnamese reader."""

import gettext
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

from lang_son_affairs.lib.formatting import large_amount, vnd
from lang_son_affairs.lib.models import DatePrecision, format_partial_date

APPS = ["partners", "sources", "delegations", "agreements", "projects"]
# Labels that read the same in both languages.
SAME_IN_BOTH = {"ODA", "Pingxiang", "Euro (EUR)", "đồng (VND)", "dd/mm/yyyy", "Search: Bằng Tường, Pingxiang, 凭祥…"}


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
