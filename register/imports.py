"""Admin imports built from the columns of ``<app>/columns.py``: the file an
export writes, edited in Excel, comes back column for column.

``ColumnResource`` is a django-import-export ``ModelResource`` whose fields are
the columns (readonly ones left out: publication and review state are never
set from a file). It adds what the register needs around import-export's flow:

- headers are recognised in Vietnamese or English, accents and case aside; a
  sheet with unknown headers or without a required one is refused as a whole;
- a row with a record number or a code updates that record; an unknown record
  number, or a record twice in the file, is the row's error;
- such a row must bring back the version the export wrote, and is refused if
  the record changed since (register/import_versions.py); a new row that looks like
  an existing record is saved only if the clerk ticks "import anyway"
  (register/import_duplicates.py);
- related records are matched by name through indexes built once per import
  (register/import_cells.py), and existing records are loaded in one query per 500
  rows with their relations: no query per row beyond the row's own writes;
- errors carry the row number Excel shows (the header is row 1) and the
  column's header; any bad row rolls the whole import back, dry run or not;
- the preview (dry run) writes nothing at all, unless ``preview_writes``:
  writing each row only to roll it back cost 12 queries a row (the record,
  its audit trail, its links, the tallies' triggers) and held the tallies'
  row locks for the whole preview: 10,000 delegations took 500 s and made
  other users' saves wait. Only resources whose rows may read what an earlier
  row of the same file creates (a partner's parent, a project's transactions)
  still write in the rolled-back transaction.
"""

from collections import OrderedDict

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from import_export.resources import ModelResource
from import_export.results import Error

from offices.scope import has_province, records_of, writing_province
from register import import_bulk, import_duplicates, import_versions, review
from register.import_cells import NameIndex
from register.import_fields import ColumnField, ImportDiff
from register.import_headers import HeaderMatching
from register.import_rows import ROW_NUMBER, ColumnInstanceLoader, ImportFileError, ImportResult
from register.publishable import ReviewState


def only_new_rows(resource, dataset):
    """Whether no row of ``dataset`` names a record number (each adds a record)."""
    header = resource.header_of("id")
    if not header or header not in (dataset.headers or []):
        return True
    return all(value in (None, "") for value in dataset[header])


class ColumnResource(HeaderMatching, ModelResource):
    """A resource whose fields are ``columns`` (see the module docstring)."""

    columns = ()
    code_field = None  # a field that finds an existing record as well as its number ("code")
    select_related = ()  # foreign keys of the columns, read by the preview
    prefetch_related = ()  # many-to-many columns, compared and shown by the preview
    # Headers a file may carry that this resource reads itself (a transaction's project).
    extra_columns = ()
    # Whether the preview saves each row inside a transaction rolled back at the
    # end (see the module docstring); otherwise it validates without writing.
    preview_writes = False
    # Whether a saving import writes its new records together once all its rows
    # are checked (register/import_bulk.py); only for models whose rows never read
    # what an earlier row of the file creates.
    bulk_new = False

    class Meta:
        fields = ()
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        instance_loader_class = ColumnInstanceLoader

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields = OrderedDict(
            (column.key, ColumnField(column, readonly=column.key == "id"))
            for column in self.columns
            if not column.readonly
        )
        self.present = None
        self.indexes = {}
        self.progress = None  # called with each row's number, by an import run as a job
        self.pending = None  # the new records awaiting their bulk write (bulk_new)
        self.dry_run = False
        # The possible duplicates the clerk chose to import anyway (register/import_duplicates.py),
        # and, for a save in batches, those its preview found ({row number: record numbers}).
        self.duplicates_choice, self.known_duplicates = None, None

    @classmethod
    def get_result_class(cls):
        return ImportResult

    @classmethod
    def get_diff_class(cls):
        return ImportDiff

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name_plural).capitalize()

    def get_queryset(self):
        queryset = super().get_queryset().select_related(*self.select_related).prefetch_related(*self.prefetch_related)
        return self.of_user(queryset)

    def of_user(self, queryset):
        """``queryset`` narrowed to what the importing user may read by province
        (offices.scope.records_of): a row names, updates, links to and is compared
        with the records of the user's province only; a number of another
        province's record is "no record number ..."."""
        user = getattr(self, "user", None)
        return queryset if user is None else records_of(queryset, user)

    def get_import_fields(self):
        # Asked five times a row: computed once per set of headers.
        cached = getattr(self, "_import_fields", None)
        if cached is not None and cached[0] is self.present:
            return cached[1]
        fields = super().get_import_fields()
        if self.present is not None:
            fields = [field for field in fields if field.column_name in self.present]
        self._import_fields = (self.present, fields)
        return fields

    # --- the import ---------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # Nothing is saved while any row is bad, in the dry run and in the real one.
        kwargs["rollback_on_validation_errors"] = True
        self.dry_run = dry_run
        try:
            self.match_headers(dataset)
        except ImportFileError as error:
            result = self.get_result_class()()
            result.append_base_error(Error(error))
            return result
        if dry_run and not self.preview_writes:
            # No transaction, no savepoint per row, and save_instance() skips the
            # save (import-export's own dry run without transactions).
            kwargs.pop("rollback_on_validation_errors")
            result = self.import_data_inner(dataset, True, raise_errors, False, False, **kwargs)
        else:
            result = super().import_data(dataset, dry_run, raise_errors, use_transactions, **kwargs)
        result.labels = {key: field.column_name for key, field in self.fields.items()}
        version = import_versions.version_column(self)
        if version is not None:
            result.labels[version.key] = str(version.header)
        return result

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        model = self._meta.model
        defer = self.bulk_new and not dry_run and not self.preview_writes and import_bulk.may_defer(model)
        self.pending = [] if defer else None
        # A new row written in bulk writes nothing while it is checked: no savepoint a row
        # (two round trips each on PostgreSQL) when the file only adds records. The
        # import's own transaction still holds everything (import_data()).
        per_row = using_transactions and not (defer and only_new_rows(self, dataset))
        try:
            result = super().import_data_inner(dataset, dry_run, raise_errors, per_row, collect_failed_rows, **kwargs)
            if self.pending and not (result.has_errors() or result.has_validation_errors()):
                pending, self.pending = self.pending, None
                try:
                    with transaction.atomic(using=self.get_db_connection_name()):
                        import_bulk.write(model, [(row.instance, links) for row, links in pending], self.user)
                except DatabaseError:
                    # Refused together (a constraint, a conflict): saved again one
                    # row at a time, so that the refusal is told on its row.
                    return super().import_data_inner(
                        dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
                    )
                for row, _links in pending:
                    row.add_instance_info(row.instance)  # its record number, known now
        finally:
            self.pending = None
        return result

    def import_row(self, row, instance_loader, **kwargs):
        self.deferred, self.row_duplicates, self.duplicate_skipped = None, [], False
        row_result = super().import_row(row, instance_loader, **kwargs)
        model = self._meta.model
        row_result.duplicates = [(pk, import_duplicates.change_url(model, pk)) for pk in self.row_duplicates]
        row_result.duplicate_skipped = self.duplicate_skipped
        if self.deferred is not None:
            row_result.instance = self.deferred  # kept (retain_instance_in_row_result or not) for the bulk write
            self.pending.append((row_result, self.deferred._import_links))
        return row_result

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A new row that looks like an existing record (register/import_duplicates.py)
        is marked in the preview, and skipped by the saving import unless the
        clerk chose to import it anyway."""
        if instance.pk is None and not import_validation_errors:
            if self.known_duplicates is not None and not self.dry_run:
                # Saved in batches: the records of earlier batches are no duplicates.
                self.row_duplicates = self.known_duplicates.get(row.get(ROW_NUMBER), [])
            else:
                self.row_duplicates = import_duplicates.find(self, instance)
            chosen = import_duplicates.allowed(self.duplicates_choice, row)
            if self.row_duplicates and not self.dry_run and not chosen:
                self.duplicate_skipped = True
                return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def similar_records(self, instance):
        """Record numbers of existing records a new row resembles beyond its title
        (a delegation: same direction, start date and partner)."""
        return []

    def do_instance_save(self, instance, is_create):
        if is_create and self.pending is not None:
            import_bulk.prepare(instance)
            instance._import_links = {}
            self.deferred = instance
            return
        super().do_instance_save(instance, is_create)

    def index(self, model):
        """The name index of a related model, built once per import."""
        if model not in self.indexes:
            self.indexes[model] = self.build_index(model)
        return self.indexes[model]

    def build_index(self, model):
        return NameIndex(model, self.of_user(model._default_manager.all()))  # one query

    def column_texts(self, key):
        """The distinct texts of one column of the file being imported."""
        header = self.header_of(key)
        if header not in (self.dataset.headers or []):
            return []
        return sorted({str(v).strip() for v in self.dataset[header] if v not in (None, "")})

    def name_indexes(self, column):
        return [self.index(column.related_model)]

    def before_import(self, dataset, **kwargs):
        self.dataset = dataset
        if "import_duplicates" in kwargs:
            choice = kwargs["import_duplicates"]
            # Looked up once a row: a set, not the list of the posted form.
            self.duplicates_choice = choice if choice == import_duplicates.ALL or not choice else frozenset(choice)
        self.__dict__.pop("_title_index", None)
        # The review workflow applies to imports as to forms (register/review.py).
        self.user = kwargs.get("user")
        self.scope = review.unit_scope(self.user) if self.user is not None else None
        self.may_review = self.user is not None and review.may_review(self.user)
        # What a province's user imports lands in their province (docs/PROVINCES.md).
        self.province = writing_province(self.user) if self.user is not None else None
        for field in self.get_import_fields():
            if field.column.kind in {"name", "names"}:
                field.widget.indexes = self.name_indexes(field.column)

    def after_import(self, dataset, result, **kwargs):
        # ModelResource resets the table's id sequence here, for files that bring
        # their own ids; ours never insert one (a record number must exist already).
        pass

    def after_import_row(self, row, row_result, **kwargs):
        row_result.number = ImportResult.sheet_row(kwargs["row_number"], row)
        if self.progress is not None:
            self.progress(kwargs["row_number"])

    def get_instance(self, instance_loader, row):
        return instance_loader.get_instance(row)

    def after_init_instance(self, instance, new, row, **kwargs):
        if new and getattr(self, "province", None) is not None:
            if has_province(type(instance)):
                instance.province_id = self.province
            elif hasattr(instance, "created_in_id"):
                instance.created_in_id = self.province
        instance._import_names = {}
        instance._import_current = {} if new else self.current_names(instance)

    def current_names(self, instance):
        """The records in each many-to-many column now, from the loader's prefetch."""
        current = {}
        for field in self.fields.values():
            if field.column.kind == "names" and field.column.model_field is not None:
                records = getattr(instance, field.column.key).all()
                current[field.column.key] = sorted(records, key=lambda r: r.pk)
        return current

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """``full_clean()`` with the model's own ``clean()`` (dates in order, amounts
        not negative), but without the checks that cost a query per row: the
        database constraints (each one a SELECT; ``clean()`` states the same
        rules and the database still enforces them), and the existence of
        related records (the name indexes found them)."""
        errors = {**self.workflow_errors(instance), **(import_validation_errors or {})}
        exclude = set(errors) | {f.name for f in instance._meta.fields if f.is_relation}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def workflow_errors(self, instance):
        """What the review workflow refuses: staff update drafts only, and a staff
        member limited to a unit imports only that unit's records."""
        if getattr(self, "user", None) is None or not hasattr(instance, "review_state"):
            return {}
        errors = {}
        if instance.pk and not self.may_review and instance.review_state != ReviewState.DRAFT:
            errors["id"] = _(
                "Record %(number)s is “%(state)s”: only drafts can be changed by import. "
                "Ask an approver to return it to draft first."
            ) % {"number": instance.pk, "state": instance.get_review_state_display()}
        field = getattr(type(instance), "UNIT_SCOPE", None)
        if self.scope is not None and field:
            model_field = instance._meta.get_field(field)
            if model_field.many_to_many:
                chosen = {r.pk for r in instance._import_names.get(field, [])}
            else:
                chosen = {getattr(instance, model_field.attname)} - {None}
            stored_elsewhere = (
                instance.pk
                and not type(instance).objects.filter(pk=instance.pk, **{f"{field}__in": self.scope}).exists()
            )
            if not chosen & self.scope or stored_elsewhere:
                errors[field] = _("You may only enter records of your own unit.")
        return errors

    def save_m2m(self, instance, row, **kwargs):
        if not kwargs.get("using_transactions") and kwargs.get("dry_run"):
            return
        if getattr(instance, "_import_links", None) is not None:  # a new record written in bulk
            instance._import_links.update(instance._import_names)  # keyed, as save_names reads them, by field name
            return
        for key, records in instance._import_names.items():
            self.save_names(instance, self.fields[key].column, records)

    def save_names(self, instance, column, records):
        """Writes only the difference: an unchanged list costs nothing."""
        current = {r.pk for r in instance._import_current.get(column.key, [])}
        wanted = {r.pk for r in records}
        manager = getattr(instance, column.key)
        if current - wanted:
            manager.remove(*(current - wanted))
        if wanted - current:
            manager.add(*(wanted - current))
