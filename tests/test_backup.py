"""`manage.py backup` and `manage.py restore`: one archive with the data and the
media files; a round trip into an empty database compares equal, Vietnamese
text and photos included; a damaged or hostile archive restores nothing."""

import io
import json
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from agreements import agreement_tally, signed_partner_tally
from delegations.models import Delegation, DelegationPhoto
from lang_son_affairs.backups import FORMAT
from projects import project_tally, transaction_tally
from reports import tally

pytestmark = pytest.mark.django_db(transaction=True)


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
    with pytest.raises(CommandError, match="unsafe file name"):
        call_command("restore", str(hostile), stdout=io.StringIO())
    assert not (settings.MEDIA_ROOT.parent.parent / "settings.py").exists()
    assert not Delegation.objects.exists()


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
