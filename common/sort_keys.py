"""Sort-key columns: the Vietnamese sort key (common/collation.py) of a text field,
kept in a column of its own like ``search_text``, so that ordering by it is
Vietnamese order and an index range ("Đức" after "Dương", not after "Zambia").

A model names its keys and their sources in ``SORT_KEYS`` ({"name_sort": "name"})
and declares the columns itself; ``common/title_sort.py`` is the one for titles."""

from django.db import models

from common.collation import vietnamese_key


def _fill(obj, sort_keys):
    for column, source in sort_keys.items():
        setattr(obj, column, vietnamese_key(getattr(obj, source)))


class SortKeyQuerySet(models.QuerySet):
    """Bulk writes fill the model's ``SORT_KEYS`` too, as save() does."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            _fill(obj, self.model.SORT_KEYS)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        changed = {column: source for column, source in self.model.SORT_KEYS.items() if source in fields}
        if changed:
            for obj in objs:
                _fill(obj, changed)
            fields.extend(column for column in changed if column not in fields)
        return super().bulk_update(objs, fields, *args, **kwargs)


class SortKeyModel(models.Model):
    """Keeps each column of ``SORT_KEYS`` ({column: source field}) up to date on save.
    Its queryset should derive from ``SortKeyQuerySet`` for the bulk writes;
    ``queryset.update(name=...)`` and raw SQL must set the key themselves."""

    SORT_KEYS: dict = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        _fill(self, self.SORT_KEYS)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            missing = [column for column in self.SORT_KEYS if column not in update_fields]
            kwargs["update_fields"] = [*update_fields, *missing]
        super().save(*args, **kwargs)


# Tables this large have their indexes rebuilt after the fill (see fill_sort_key).
REINDEX_FROM = 50_000


def fill_sort_key(model, using, column, source, batch=5000):
    """Writes ``column``, the key of ``source``, for every row of ``model`` (the
    migrations that add the column; they pass their historical model, which has no
    ``SORT_KEYS``): the sources read in id order, ``batch`` at a time, and written
    back by one UPDATE per batch on PostgreSQL (the tallies' statement-level
    triggers then run once a batch, not once a row), one per row on SQLite.

    Rewriting every row leaves each index of a large table with an entry for the
    old version of every row: the trigram index of a million delegations doubled
    and its searches took 55 ms instead of 8 until rebuilt. So on PostgreSQL, past
    ``REINDEX_FROM`` rows, the table's indexes are rebuilt before the migration
    ends (about a minute at a million rows). Returns the count."""
    from django.db import connections

    connection = connections[using]
    quote = connection.ops.quote_name
    table, column_sql = quote(model._meta.db_table), quote(column)
    done, last = 0, 0
    while True:
        rows = list(
            model._base_manager.using(using).filter(pk__gt=last).order_by("pk").values_list("pk", source)[:batch]
        )
        if not rows:
            if connection.vendor == "postgresql" and done >= REINDEX_FROM:
                with connection.cursor() as cursor:
                    cursor.execute(f"REINDEX TABLE {table}")
            return done
        keys = [(pk, vietnamese_key(text)) for pk, text in rows]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                values = ", ".join(["(%s, %s)"] * len(keys))
                cursor.execute(
                    f"UPDATE {table} AS t SET {column_sql} = v.key FROM (VALUES {values}) AS v(id, key) "  # noqa: S608 - the names are the model's
                    "WHERE t.id = v.id",
                    [value for pair in keys for value in pair],
                )
            else:
                cursor.executemany(
                    f"UPDATE {table} SET {column_sql} = %s WHERE id = %s",  # noqa: S608 - the names are the model's
                    [(key, pk) for pk, key in keys],
                )
        done, last = done + len(rows), rows[-1][0]
