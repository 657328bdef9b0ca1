"""`manage.py backup` and `manage.py restore`: one archive with the data and the
media files; a round trip into an empty database compares equal, Vietnamese
text, photos and every microsecond included; a damaged, hostile or edited
(re-checksummed) archive restores nothing, unless told to trust it."""

import datetime as dt
import hashlib
import io
import json
import tarfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from agreements import agreement_tally, signed_partner_tally
from delegations.models import Delegation, DelegationPhoto
from operations.backups import EXCLUDED, FORMAT, SIGNATURE
from projects import project_tally, transaction_tally
from reports import tally

pytestmark = pytest.mark.django_db(transaction=True)

BACKUP_KEY = "test-only-backup-key-0123456789"


@pytest.fixture(autouse=True)
def _backup_key(settings):
    settings.BACKUP_KEY = BACKUP_KEY


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def snapshot():
    """Every row, as dumpdata writes it, in a stable order."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        # The tallies are derived (recounted on restore): test_round_trip checks them apart.
        exclude=[
            *["contenttypes", "auth.permission", "sessions", "reports.delegationtally", "reports.partnertally"],
            "reports.agreementdaytally",
            "projects.transactiontally",
            "projects.projecttally",
            "agreements.agreementtally",
        ],
        natural_foreign=True,
        natural_primary=True,
        stdout=out,
    )
    return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in json.loads(out.getvalue()))


def media_files(settings):
    root = settings.MEDIA_ROOT
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def register(seeded, staff, settings):
    delegation = Delegation.objects.first()
    delegation.outcome = "Đoàn làm việc với Sở Ngoại vụ Quảng Tây về cửa khẩu Hữu Nghị – 友谊关."
    delegation.save()
    DelegationPhoto.objects.create(
        delegation=delegation, image=SimpleUploadedFile("anh.jpg", jpeg_bytes()), caption="Hội đàm tại Bằng Tường"
    )
    return delegation


def wipe(settings):
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(settings.MEDIA_ROOT.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def test_round_trip_restores_every_row_and_file(register, settings, tmp_path):
    before_rows, before_files = snapshot(), media_files(settings)
    assert len(before_files) == 2  # the photo and its thumbnail
    assert any('"model": "delegations.historicaldelegation"' in row for row in before_rows)  # the audit trail
    archive = tmp_path / "backup.tar.gz"

    out = io.StringIO()
    call_command("backup", output=str(archive), stdout=out)
    assert "Backup written" in out.getvalue()
    wipe(settings)
    assert not Delegation.objects.exists() and media_files(settings) == {}

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "restored" in out.getvalue()
    assert snapshot() == before_rows
    assert tally.differences() == []  # The dashboard's figures match the restored records.
    # So do the period report's agreements, projects and disbursed figures.
    assert transaction_tally.differences() == [] and project_tally.differences() == []
    assert agreement_tally.differences() == [] and signed_partner_tally.differences() == []
    assert media_files(settings) == before_files
    assert Delegation.objects.get(pk=register.pk).outcome.endswith("友谊关.")


def test_restore_refuses_a_database_that_is_not_empty(register, settings, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    before = snapshot()
    with pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert snapshot() == before


def test_dry_run_verifies_without_writing(register, settings, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    wipe(settings)
    out = io.StringIO()
    call_command("restore", str(archive), dry_run=True, stdout=out)
    assert "would restore" in out.getvalue()
    assert not Delegation.objects.exists()


def rewrite(archive, target, change):
    """Copy ``archive`` to ``target`` with ``change(name, bytes) -> bytes``
    applied to each member, and extra members from ``change.extra``."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as sink:
        for member in source.getmembers():
            body = change(member.name, source.extractfile(member).read())
            info = tarfile.TarInfo(member.name)
            info.size = len(body)
            sink.addfile(info, io.BytesIO(body))
        for name, body in getattr(change, "extra", {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            sink.addfile(info, io.BytesIO(body))


def test_a_damaged_archive_restores_nothing(register, settings, tmp_path):
    archive, damaged = tmp_path / "backup.tar.gz", tmp_path / "damaged.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    def flip_a_photo_byte(name, body):
        return body[:-3] + b"XYZ" if name.startswith("media/photos/") and "thumbs" not in name else body

    rewrite(archive, damaged, flip_a_photo_byte)
    wipe(settings)
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(damaged), stdout=io.StringIO())
    assert not Delegation.objects.exists()
    assert media_files(settings) == {}


def test_an_archive_with_a_path_escaping_the_media_folder_is_refused(register, settings, tmp_path):
    archive, hostile = tmp_path / "backup.tar.gz", tmp_path / "hostile.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    def add_escape(name, body):
        if name == "manifest.json":
            manifest = json.loads(body)
            manifest["media"].append({"name": "../../settings.py", "size": 3, "sha256": "0" * 64})
            return json.dumps(manifest).encode()
        return body

    add_escape.extra = {"media/../../settings.py": b"bad"}
    rewrite(archive, hostile, add_escape)
    wipe(settings)
    # Past the signature (which the edit broke), the path check itself holds.
    with pytest.raises(CommandError, match="unsafe file name"):
        call_command("restore", str(hostile), trust_unsigned=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert not (settings.MEDIA_ROOT.parent.parent / "settings.py").exists()
    assert not Delegation.objects.exists()


@pytest.mark.no_office  # restored only into an empty database
def test_a_file_that_is_not_an_archive_is_refused(db, tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_text("không phải bản sao lưu")
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(bogus), stdout=io.StringIO())


def test_manifest_counts_rows_and_names_the_format(register, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
    assert manifest["format"] == FORMAT
    assert manifest["models"]["delegations.delegation"] == Delegation.objects.count()
    assert manifest["models"]["delegations.delegationphoto"] == 1


def every_column_of_every_table():
    """Every row of every table the archive carries, every column as stored.
    Rows of models with a natural key (users, groups, permissions, content
    types) travel without their ids (dumpdata --natural-primary), and so do
    the rows of many-to-many tables: those ids are left out, and references
    to such rows are compared by natural key."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in {"sessions.session", *EXCLUDED}
    ]
    natural = {
        model: {obj.pk: obj.natural_key() for obj in model._base_manager.all()}
        for model in apps.get_models()
        if hasattr(model, "natural_key")
    }
    tables = {}
    for model in models:
        renumbered = model in natural or model._meta.auto_created
        fields = [f for f in model._meta.concrete_fields if not (f.primary_key and renumbered)]
        rows = model._base_manager.values_list(*(f.attname for f in fields))
        tables[model._meta.db_table] = sorted(
            (
                tuple(
                    natural[f.related_model].get(value, value) if f.related_model in natural else value
                    for f, value in zip(fields, row, strict=True)
                )
                for row in rows
            ),
            key=repr,
        )
    return tables


def test_round_trip_keeps_every_column_of_every_table_exactly(register, settings, tmp_path):
    # A timestamp whose microseconds DjangoJSONEncoder would cut to milliseconds.
    stamp = dt.datetime(2026, 12, 5, 14, 50, 35, 468034, tzinfo=dt.UTC)
    Delegation.objects.filter(pk=register.pk).update(updated_at=stamp)
    before = every_column_of_every_table()
    assert sum(len(rows) for rows in before.values()) > 100
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    wipe(settings)

    call_command("restore", str(archive), stdout=io.StringIO())
    after = every_column_of_every_table()
    assert Delegation.objects.get(pk=register.pk).updated_at == stamp
    for table, rows in before.items():
        assert after[table] == rows, table


def edit_data(archive, target, edit):
    """An attacker's edit: change data.json and recompute its checksum in the manifest."""
    edited = {}

    def change(name, body):
        if name == "data.json":
            edited["data"] = json.dumps(edit(json.loads(body))).encode()
            return edited["data"]
        return body

    rewrite(archive, tmp := target.with_suffix(".step"), change)

    def fix_checksum(name, body):
        if name == "manifest.json":
            manifest = json.loads(body)
            manifest["data_sha256"] = hashlib.sha256(edited["data"]).hexdigest()
            return json.dumps(manifest).encode()
        return body

    rewrite(tmp, target, fix_checksum)


def approve_drafts_and_promote(rows):
    for row in rows:
        if row["model"] == "delegations.delegation":
            row["fields"].update(review_state="approved", is_public=True)
        if row["model"] == "auth.user" and row["fields"]["username"] == "staff":
            row["fields"].update(is_superuser=True)
    return rows


@pytest.fixture
def edited_archive(register, settings, tmp_path):
    Delegation.objects.update(review_state="draft", is_public=False)
    archive, edited = tmp_path / "backup.tar.gz", tmp_path / "edited.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    edit_data(archive, edited, approve_drafts_and_promote)
    wipe(settings)
    return edited


def test_an_archive_edited_with_its_checksum_recomputed_is_refused(edited_archive):
    with pytest.raises(CommandError, match="Chữ ký .* không khớp") as refused:
        call_command("restore", str(edited_archive), stdout=io.StringIO())
    assert "signature" in str(refused.value) and "--trust-unsigned" in str(refused.value)
    assert not Delegation.objects.exists()
    assert not get_user_model().objects.exists()


def test_with_trust_unsigned_the_edited_archive_is_restored(edited_archive):
    err = io.StringIO()
    call_command("restore", str(edited_archive), trust_unsigned=True, stdout=io.StringIO(), stderr=err)
    assert "--trust-unsigned" in err.getvalue()
    assert Delegation.objects.filter(review_state="approved", is_public=True).exists()
    assert get_user_model().objects.get(username="staff").is_superuser


def test_an_unsigned_archive_is_refused(register, settings, tmp_path):
    archive, unsigned = tmp_path / "backup.tar.gz", tmp_path / "unsigned.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as source, tarfile.open(unsigned, "w:gz") as sink:
        for member in source.getmembers():
            if member.name != SIGNATURE:
                sink.addfile(member, source.extractfile(member))
    wipe(settings)
    with pytest.raises(CommandError, match="không có chữ ký"):
        call_command("restore", str(unsigned), dry_run=True, stdout=io.StringIO())


def test_an_archive_signed_with_another_key_is_refused(register, settings, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    wipe(settings)
    settings.BACKUP_KEY = "another-key"
    with pytest.raises(CommandError, match="signed with another key"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert not Delegation.objects.exists()


def test_production_refuses_to_back_up_without_a_key(register, settings, tmp_path):
    settings.BACKUP_KEY, settings.DEBUG = "", False
    with pytest.raises(CommandError, match="DJANGO_BACKUP_KEY"):
        call_command("backup", output=str(tmp_path / "backup.tar.gz"), stdout=io.StringIO())
    assert not (tmp_path / "backup.tar.gz").exists()


def test_development_signs_with_a_key_derived_from_the_secret_key(register, settings, tmp_path):
    settings.BACKUP_KEY, settings.DEBUG = "", True
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    out = io.StringIO()
    call_command("restore", str(archive), dry_run=True, stdout=out)
    assert "would restore" in out.getvalue()
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    with pytest.raises(CommandError, match="does not match"):
        call_command("restore", str(archive), dry_run=True, stdout=io.StringIO())
