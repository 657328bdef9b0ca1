"""The ``title_sort`` column: the Vietnamese sort key of a record's title
(lib/collation.py), kept by the model like ``search_text``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lang_son_affairs.lib.collation import vietnamese_key


class TitleSortedQuerySet(models.QuerySet):
    """Bulk writes fill ``title_sort`` too, as save() does."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.title_sort = vietnamese_key(obj.title)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if "title" in fields:
            for obj in objs:
                obj.title_sort = vietnamese_key(obj.title)
            if "title_sort" not in fields:
                fields.append("title_sort")
        return super().bulk_update(objs, fields, *args, **kwargs)


class TitleSortedModel(models.Model):
    """Keeps ``title_sort``, the Vietnamese sort key of ``title``, up to date on save.
    Its queryset should derive from ``TitleSortedQuerySet`` for the bulk writes;
    ``queryset.update(title=...)`` and raw SQL must set it themselves."""

    title_sort = models.TextField(_("title sort key"), blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.title_sort = vietnamese_key(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title_sort" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "title_sort"]
        super().save(*args, **kwargs)


def fill_title_sort(model, using, batch=5000):
    """Writes ``title_sort`` for every row of ``model`` (the migrations that add the
    column): the titles read in id order, ``batch`` at a time, and written back by
    one UPDATE per batch on PostgreSQL (the tallies' statement-level triggers then
    run once a batch, not once a row), one per row on SQLite. Returns the count."""
    from django.db import connections

    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    done, last = 0, 0
    while True:
        rows = list(
            model._base_manager.using(using).filter(pk__gt=last).order_by("pk").values_list("pk", "title")[:batch]
        )
        if not rows:
            return done
        keys = [(pk, vietnamese_key(title)) for pk, title in rows]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                values = ", ".join(["(%s, %s)"] * len(keys))
                cursor.execute(
                    f"UPDATE {table} AS t SET title_sort = v.key FROM (VALUES {values}) AS v(id, key) "  # noqa: S608 - the table name is the model's
                    "WHERE t.id = v.id",
                    [value for pair in keys for value in pair],
                )
            else:
                cursor.executemany(
                    f"UPDATE {table} SET title_sort = %s WHERE id = %s",  # noqa: S608 - the table name is the model's
                    [(key, pk) for pk, key in keys],
                )
        done, last = done + len(rows), rows[-1][0]
