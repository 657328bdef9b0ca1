"""Reading and using the audit trail (django-simple-history).

``changes()`` turns a record's historical rows into what a person reads:
who, when, created / changed / deleted, and each field from what to what, in
words (choice labels, related names, dd/mm/yyyy; a date the record knows only
to the month or the year as the record shows it, "tháng 10/2011"). ``restore()`` brings a
deleted record back from its last historical row, with the inline rows and
links deleted with it. ``version()`` is the number a change form carries so
that a stale save is refused (see register/record_admin.py)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common.partial_dates import format_partial_date
from common.tabular import Column
from offices.models import OfficeProfile
from offices.profile import profile_for
from offices.scope import records_of
from register import versions

# Kept by the model for its own use, not worth a line in the history.
# A model's sort keys (its SORT_KEYS, common/sort_keys.py) are left out likewise.
QUIET_FIELDS = {"search_text", "updated_at", "created_at", "path", versions.COLUMN}
KIND = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
# Inline rows deleted within this time of their record count as deleted with it.
CASCADE_WINDOW = dt.timedelta(seconds=10)


@dataclass
class Change:
    when: dt.datetime
    who: object
    kind: str
    history_type: str
    fields: list = field(default_factory=list)  # (label, old, new)
    links_changed: bool = False


def has_history(model):
    return hasattr(model, "history") and hasattr(model.history, "model")


def tracked_fields(model):
    """The fields a change lists: not the quiet ones, nor those the audit trail does not keep
    (its ``excluded_fields``: columns kept by triggers, such as a project's ``iati_lacks``)."""
    quiet = QUIET_FIELDS | set(getattr(model, "SORT_KEYS", {}))
    kept = {f.attname for f in model.history.model._meta.concrete_fields} if has_history(model) else None
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in quiet and (kept is None or f.attname in kept)
    ]


def version(record):
    """The id of the record's newest historical row (0 when it has none)."""
    if record is None or record.pk is None or not has_history(type(record)):
        return 0
    return record.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def version_expression(model):
    """``version()`` as SQL, for every row of a query at once (the exports'
    version column): the newest historical row's id, 0 when there is none. Read
    from the record's own ``audit_version`` where it keeps it (register/versions.py:
    a lookup in the history per row made an export of 100,000 rows 2.5 times slower)."""
    if any(f.name == versions.COLUMN for f in model._meta.concrete_fields):
        return Coalesce(F(versions.COLUMN), Value(0), output_field=models.BigIntegerField())
    newest = model.history.filter(id=OuterRef("pk")).order_by("-history_id").values("history_id")[:1]
    return Coalesce(Subquery(newest), Value(0), output_field=models.IntegerField())


def version_column(model):
    """The exports' "Version" column: a file edited and imported again must carry
    the version each record had when it was exported, so that an import refuses
    to overwrite a record changed since (register/import_versions.py)."""
    return Column(
        key="version", header=_("Version"), kind="int", readonly=True, width=10, source=version_expression(model)
    )


def newest_change(record):
    """(who, when) of the record's newest historical row; (None, None) without one."""
    row = record.history.order_by("-history_id").select_related("history_user").first()
    return (row.history_user, row.history_date) if row else (None, None)


def _names(fields, rows):
    """One query per related model: the names of every foreign key value shown.
    A province is named from the cached office profiles (offices/profile.py), without one."""
    wanted, keys = defaultdict(set), {}
    for f in fields:
        if f.is_relation:
            keys[f.related_model] = f.target_field.attname  # "province_code" for a province, else "id"
            wanted[f.related_model].update(getattr(r, f.attname) for r in rows if getattr(r, f.attname) is not None)
    names = {}
    for model, ids in wanted.items():
        if not ids:
            continue
        if model is OfficeProfile:
            names[model] = {code: str(profile_for(code) or code) for code in ids}
            continue
        key = keys[model]
        names[model] = {
            getattr(obj, key): str(obj) for obj in model._default_manager.filter(models.Q((f"{key}__in", ids)))
        }
    return names


def partial_dates(model):
    """{date field: its precision field} for the dates ``model`` shows to a precision:
    its ``PARTIAL_DATES``, each governed by ``date_precision`` unless the model names
    another field in ``DATE_PRECISION_FIELD``."""
    precision = getattr(model, "DATE_PRECISION_FIELD", "date_precision")
    return dict.fromkeys(getattr(model, "PARTIAL_DATES", ()), precision)


def _show(f, value, names, precision=None):
    """``value`` of field ``f`` in words; ``precision`` for a partial date (the
    precision stored in the same historical row)."""
    if value is None or value == "":
        return "—"
    if precision and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return str(format_partial_date(value, precision))
    if f.is_relation:
        return names.get(f.related_model, {}).get(value, f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    text = str(value)
    return text if len(text) <= 300 else text[:297] + "…"


def diff(fields, old, new, names):
    """[(label, old value, new value)] for each field that differs between the
    historical rows ``old`` (None for a creation) and ``new``. A partial date is
    shown to the precision its own row stored."""
    partial = partial_dates(getattr(new, "instance_type", type(new)))

    def shown(f, row):
        precision = getattr(row, partial[f.name]) if f.name in partial else None
        return _show(f, getattr(row, f.attname), names, precision)

    out = []
    for f in fields:
        before, after = (getattr(old, f.attname) if old is not None else None), getattr(new, f.attname)
        if before != after and not (old is None and after in (None, "")):
            out.append((capfirst(f.verbose_name), shown(f, old) if old else "—", shown(f, new)))
    return out


def changes(record, limit=50):
    """The record's history, newest first (three queries: the rows with their
    users, then the names of the related records they mention)."""
    model = type(record)
    rows = list(
        model.history.filter(id=record.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    fields = tracked_fields(model)
    names = _names(fields, rows)
    result = []
    for i, row in enumerate(rows[:limit]):
        previous = rows[i + 1] if i + 1 < len(rows) else None
        changed = diff(fields, previous, row, names) if row.history_type != "-" else []
        result.append(
            Change(
                when=row.history_date,
                who=row.history_user,
                kind=KIND[row.history_type],
                history_type=row.history_type,
                fields=changed,
                links_changed=row.history_type == "~" and not changed,
            )
        )
    return result


def changes_since(record, since_version):
    """What changed in ``record`` after its historical row ``since_version``:
    [(label, then, now)], and who made the newest change."""
    model = type(record)
    rows = list(model.history.filter(id=record.pk, history_id__gte=since_version).order_by("history_id"))
    if not rows:
        return [], None
    fields = tracked_fields(model)
    names = _names(fields, rows)
    then = rows[0] if rows[0].history_id == since_version else None
    newest = model.history.filter(pk=rows[-1].pk).select_related("history_user").first()
    return diff(fields, then, rows[-1], names), newest.history_user


def _of_user(model, rows, user):
    """Historical rows of ``model`` narrowed to what ``user`` may read by province
    (offices.scope.records_of: the rows keep the record's ``province``); all of
    them without a user (a command, a test)."""
    return rows if user is None else records_of(rows, user, model)


def deleted(model, limit=200, user=None):
    """Records of ``model`` deleted and not restored since: their last historical
    rows, of ``user``'s province only when given, each with its ``label``."""
    gone = _of_user(model, model.history.filter(history_type="-"), user)
    gone = gone.exclude(id__in=model._default_manager.values("pk"))
    rows = list(gone.select_related("history_user").order_by("-history_date")[:limit])
    for row in rows:
        row.label = _label(model, row)
    return rows


def _label(model, row):
    """The deleted record's name; when its name is made of records deleted since (a
    twinning pair's unit or partner), its kind and number, and that it cannot say more."""
    try:
        return str(row.instance)
    except ObjectDoesNotExist:
        return _("%(kind)s no. %(number)s (a record its name is made of was deleted since)") % {
            "kind": capfirst(model._meta.verbose_name),
            "number": row.id,
        }


class RestoreBlocked(Exception):
    """A deleted record cannot come back yet: a record it points to is gone too. The
    message says which, for the user (restore that one first)."""


def _missing_targets(model, record, links):
    """Sentences naming what ``record`` (about to be restored) points to that no longer
    exists: its foreign keys, and the records of its links (``links``: field -> ids)."""
    missing = []
    for f in model._meta.concrete_fields:
        value = getattr(record, f.attname)
        target = f.target_field.attname if f.is_relation else None
        if target and value is not None and not f.related_model._default_manager.filter(**{target: value}).exists():
            missing.append((f.verbose_name, [value]))
    for name, ids in links.items():
        f = model._meta.get_field(name)
        found = set(f.related_model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        if set(ids) - found:
            missing.append((f.verbose_name, sorted(set(ids) - found)))
    return [
        _("its %(field)s (no. %(numbers)s)") % {"field": field, "numbers": ", ".join(map(str, numbers))}
        for field, numbers in missing
    ]


def _children(model):
    """Inline models with an audit trail and a foreign key to ``model`` (members, photos...)."""
    for rel in model._meta.related_objects:
        if rel.one_to_many and has_history(rel.related_model) and rel.on_delete is models.CASCADE:
            yield rel.related_model, rel.field.attname


@transaction.atomic
def restore(model, pk, user):
    """Bring back a deleted record as it was, with the inline rows and the
    links deleted with it. Returns the record; raises LookupError if there is
    nothing to restore, or nothing ``user`` may restore: a record of another
    province is never brought back by a user of this one."""
    if model._default_manager.filter(pk=pk).exists():
        raise LookupError("the record exists")
    last = (
        _of_user(model, model.history.filter(id=pk, history_type="-"), user)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if last is None:
        raise LookupError("no deletion in the history")
    # Links are read from the last row before the deletion (by the time the
    # deletion is logged, Django has already removed them), and before the
    # restoring save adds a row of its own.
    alive = model.history.filter(id=pk).exclude(history_type="-").order_by("-history_date", "-history_id").first()
    record = last.instance
    links = {}
    for m2m in getattr(model, "_history_m2m_fields", ()) if alive else ():
        target = model._meta.get_field(m2m).m2m_reverse_field_name()
        links[m2m] = [getattr(row, f"{target}_id") for row in getattr(alive, m2m).all()]
    # A record pointing to one deleted since would be refused by the database (a 500):
    # the user is told which, to restore it first; nothing is written.
    missing = _missing_targets(model, record, links)
    if missing:
        raise RestoreBlocked(
            _("Cannot be restored yet: %(missing)s was deleted since. Restore it first.")
            % {"missing": "; ".join(missing)}
        )
    record._history_user = user
    record.save(force_insert=True)
    for m2m, ids in links.items():
        getattr(record, m2m).set(ids)
    since = last.history_date - CASCADE_WINDOW
    for child_model, fk in _children(model):
        rows = child_model.history.filter(**{fk: pk}, history_type="-", history_date__gte=since)
        for row in rows.order_by("history_id"):
            if not child_model._default_manager.filter(pk=row.id).exists():
                child = row.instance
                child._history_user = user
                child.save(force_insert=True)
    return record
