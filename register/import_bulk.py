"""The new records of an import batch written together (register/imports.py).

Saved one by one, each new delegation cost about a dozen statements: its INSERT
(whose statement-level tally triggers recount its day, month and year), its
audit record, a SELECT of its derived search column and one of its links for
that record, each partner link's INSERT (triggers again), a second audit record
for the links and its linked rows. Profiled on PostgreSQL, the triggers fired
twice a row were most of the database's time. Here the batch's new records are
kept until its last row is checked, then written with one INSERT for the
records, one per many-to-many column for their links (so each tally trigger
runs once a batch, over the batch's rows, and stays exact: it recounts from
the records), and their audit trail with ``bulk_history_create``: one "created"
record per row, which names its partners and the user who imported it.

What ``save()`` does beyond the INSERT is done here too: the search column and
the sort keys. A model whose ``save()`` does more (a class of its own defining
``save``), or whose save signals or simple-history's have other receivers, is
saved row by row as before (``may_defer``).
"""

from django.db.models.signals import m2m_changed, post_save, pre_save
from simple_history import signals as history_signals
from simple_history.models import HistoricalRecords

from common.sort_keys import SortKeyModel, _fill
from offices.records import ProvinceRecord
from register.publishable import SearchableModel

# The classes whose save() this module repeats (see the module docstring).
KNOWN_SAVES = {SortKeyModel, SearchableModel, ProvinceRecord}


def may_defer(model):
    """Whether the new records of ``model`` may be written in bulk: its save()
    does only what ``prepare`` does, and only simple-history listens to its saves."""
    for cls in model.__mro__:
        if "save" in cls.__dict__ and cls not in KNOWN_SAVES and cls.__module__ != "django.db.models.base":
            return False
    if pre_save.has_listeners(model):
        return False
    # bulk_history_create sends none of simple-history's own signals.
    for name in ("create_historical_record", "create_historical_m2m_records"):
        for when in ("pre", "post"):
            if getattr(history_signals, f"{when}_{name}").receivers:
                return False
    listeners = [(post_save, model)] + [(m2m_changed, f.remote_field.through) for f in model._meta.many_to_many]
    for signal, sender in listeners:
        sync, asynchronous = signal._live_receivers(sender)
        for receiver in [*sync, *asynchronous]:
            bound = getattr(receiver, "func", receiver)  # simple-history's m2m receiver is a partial
            if not isinstance(getattr(bound, "__self__", None), HistoricalRecords):
                return False
    return hasattr(model, "history")


def prepare(instance):
    """What save() sets before its INSERT: the province, the sort keys, the search column."""
    if isinstance(instance, ProvinceRecord):
        instance.stamp_province()
    if isinstance(instance, SortKeyModel):
        _fill(instance, instance.SORT_KEYS)
    if isinstance(instance, SearchableModel):
        instance.search_text = instance.build_search_text()


def write(model, pending, user):
    """Inserts the new records of ``pending`` ([(instance, {many-to-many field
    name: [records]})], instances prepared), their links and their audit trail."""
    if not pending:
        return
    instances = [instance for instance, _links in pending]
    model._default_manager.bulk_create(instances)  # the pks come back (RETURNING)
    through_rows = {}
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = []
        for instance, links in pending:
            for pk in sorted({record.pk for record in links.get(field.name, ())}):
                rows.append(through(**{f"{source}_id": instance.pk, f"{target}_id": pk}))
        through_rows[field] = through._default_manager.bulk_create(rows) if rows else []
    history = model.history.bulk_history_create(instances, default_user=user)
    by_record = {row.id: row for row in history}  # a historical row's id is its record's
    for field in getattr(model.history.model, "_history_m2m_fields", ()):
        historical = HistoricalRecords.m2m_models[field]
        names = [f.attname for f in field.remote_field.through._meta.fields]
        source = f"{field.m2m_field_name()}_id"
        historical._default_manager.bulk_create(
            historical(history=by_record[getattr(row, source)], **{name: getattr(row, name) for name in names})
            for row in through_rows.get(field, [])
        )
