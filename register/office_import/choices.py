"""The office's words for the register's choices: "Còn hiệu lực" is "in_force"."""

import re
from collections.abc import Iterable

from django.apps import apps
from django.utils import translation

from common.text import fold
from register.office_import.words import SYNONYMS

__all__ = ["SYNONYMS", "choice_for", "choice_words"]

PUNCTUATION = re.compile(r"[^\w\s]|_")
LABEL_WITH_NOTE = re.compile(r"^(.*?)\s*\((.*)\)$")


def _compact(text):
    """fold() without punctuation and extra spaces: "Sở, ngành" -> "so nganh"."""
    return " ".join(PUNCTUATION.sub(" ", fold(text)).split())


def choice_for(value, synonyms: dict[object, Iterable[str]]):
    """The stored value whose words hold ``value``: the folded text first,
    then the text without punctuation. None when unknown or when the words
    point at two values (the caller asks the clerk)."""
    if value is None:
        return None
    value = str(int(value) if isinstance(value, float) and value.is_integer() else value)
    for key in (fold, _compact):
        wanted = key(value)
        if not wanted:
            return None
        found = {stored for stored, words in synonyms.items() if any(key(str(word)) == wanted for word in words)}
        if len(found) == 1:
            return found.pop()
        if len(found) > 1:
            return None
    return None


def _label_words(label):
    """A label and, for "Outbound (đoàn ra)", "Outbound" and "đoàn ra" too."""
    words = {label}
    if match := LABEL_WITH_NOTE.match(label):
        words |= {match[1], match[2]}
    return words


def choice_words(model_field):
    """Every word for each stored value of ``model_field`` ("agreements.agreement.status"):
    the stored value, the model's labels in Vietnamese and English (the
    register's own export writes the Vietnamese ones) and ``SYNONYMS``."""
    app_label, model_name, field_name = model_field.split(".")
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    words = {value: {str(value)} for value, _label in field.flatchoices}
    for language in ("vi", "en"):
        with translation.override(language):
            for value, label in field.flatchoices:
                words[value] |= _label_words(str(label))
    for value, synonyms in SYNONYMS.get(model_field, {}).items():
        words.setdefault(value, set()).update(synonyms)
    return words
