"""New rows of an import that look like records already in the register.

A clerk who imports the list a colleague already typed in doubles every
delegation. A new row whose title is an existing record's title but for case
and accents (common/text.py's ``fold``), or, for a delegation, with the same
direction, start date and a partner in common (``DelegationResource``), is a
possible duplicate: the preview names the records it resembles, with a link,
and the row is saved only if the clerk ticks "import anyway" for it or for all
of them. Otherwise the confirmed import skips it; nothing is saved silently.

The existing records are read once per import, for the titles the file holds
(the folded title is the first line of a record's ``search_text``), not once
per row.
"""

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from common.text import fold
from register.import_rows import ROW_NUMBER

CHUNK = 200  # titles per query
ALL = "all"  # every possible duplicate imported anyway


def title_field(model):
    """The field a record is known by ("title", else "name"), or None."""
    names = {f.name for f in model._meta.get_fields()}
    first = (getattr(model, "SEARCH_FIELDS", ()) or (None,))[0]
    for name in ("title", "name"):
        if name in names and name == first and "search_text" in names:
            return name
    return None


def chosen(data):
    """The rows the clerk chose to import anyway, from a posted form: ``ALL``,
    or a list of spreadsheet row numbers."""
    if data.get("import_all_duplicates"):
        return ALL
    return sorted({int(value) for value in data.getlist("import_anyway") if str(value).isdigit()})


def allowed(choice, row):
    if choice == ALL:
        return True
    if not choice:
        return False
    return row.get(ROW_NUMBER) in (choice if isinstance(choice, (set, frozenset)) else set(choice))


def change_url(model, pk):
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
    except NoReverseMatch:
        return ""


class TitleIndex:
    """{folded title: [record numbers]} of the existing records whose folded
    title is one of the file's."""

    def __init__(self, rows, field, texts):
        self.field, self.by_title = field, {}
        folded = sorted({fold(text) for text in texts} - {""})
        for start in range(0, len(folded), CHUNK):
            query = Q()
            for key in folded[start : start + CHUNK]:
                query |= Q(search_text=key) | Q(search_text__startswith=f"{key}\n")
            for pk, title in rows.filter(query).values_list("pk", field):
                self.by_title.setdefault(fold(title), []).append(pk)

    def find(self, instance):
        return self.by_title.get(fold(getattr(instance, self.field, "")), [])


def find(resource, instance):
    """The existing records a new row resembles, by record number (sorted)."""
    model = type(instance)
    if not hasattr(resource, "_title_index"):
        field = title_field(model)
        texts = resource.column_texts(field) if field else []
        rows = resource.of_user(model._default_manager.all())  # the user's province's (register/imports.py)
        resource._title_index = TitleIndex(rows, field, texts) if field else None
    found = set(resource._title_index.find(instance)) if resource._title_index else set()
    found |= set(resource.similar_records(instance))
    return sorted(found)
