"""The ``title_sort`` column: the Vietnamese sort key of a record's title
(common/collation.py), kept by the model like ``search_text`` (common/sort_keys.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.sort_keys import SortKeyModel, SortKeyQuerySet, fill_sort_key


class TitleSortedQuerySet(SortKeyQuerySet):
    """Bulk writes fill ``title_sort`` too, as save() does."""


class TitleSortedModel(SortKeyModel):
    """Keeps ``title_sort``, the Vietnamese sort key of ``title``, up to date on save.
    Its queryset should derive from ``TitleSortedQuerySet`` for the bulk writes;
    ``queryset.update(title=...)`` and raw SQL must set it themselves."""

    SORT_KEYS = {"title_sort": "title"}

    title_sort = models.TextField(_("title sort key"), blank=True, default="", editable=False)

    class Meta:
        abstract = True


def fill_title_sort(model, using, batch=5000):
    """Writes ``title_sort`` for every row of ``model`` (the migrations that add the
    column), ``batch`` rows at a time; see ``fill_sort_key``. Returns the count."""
    return fill_sort_key(model, using, "title_sort", "title", batch=batch)
