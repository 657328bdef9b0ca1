"""One archive holds the whole register: the data (every table but those
Django rebuilds itself) and the media files, with a manifest of counts and
checksums. `manage.py backup` writes it; `manage.py restore` loads it into an
empty database. The archive format:

    manifest.json   format, creation time, database vendor, rows per model,
                    each media file's size and SHA-256
    manifest.json.hmac
                    HMAC-SHA256 of manifest.json with the backup key, which
                    is kept outside the archive (DJANGO_BACKUP_KEY): a checksum
                    anyone can recompute after editing data.json; the
                    signature only the key's holder can
    data.json       `dumpdata` with natural keys (users by username,
                    permissions by codename), so it loads into any database;
                    times to the microsecond (common/exact_json.py)
    media/...       the uploaded files, under their stored names
"""

import datetime as dt
import hashlib
import hmac
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections import Counter
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from agreements import agreement_tally, signed_partner_tally
from projects import project_tally, transaction_tally
from reports import tally

FORMAT = "lang-son-affairs-backup/1"
SIGNATURE = "manifest.json.hmac"
# dumpdata's JSON without the loss of microseconds (common/exact_json.py); read back by Django's JSON.
SERIALIZATION_FORMAT = "exact-json"
serializers.register_serializer(SERIALIZATION_FORMAT, "common.exact_json")

# Rebuilt by `migrate` (content types, permissions), recounted from the records
# on restore (the delegation and partner tallies, reports/tally.py) or not worth keeping.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "reports.delegationtally",
    "reports.partnertally",
    "reports.agreementdaytally",
    "projects.transactiontally",  # recounted too (projects/transaction_tally.py, project_tally.py)
    "projects.projecttally",
    "agreements.agreementtally",  # agreements/agreement_tally.py
    "agreements.signedpartnertally",  # agreements/signed_partner_tally.py
]
# Tables that must be empty before a restore: the office profile, the register, the accounts.
REGISTER_APPS = (
    "offices",
    "partners",
    "sources",
    "delegations",
    "agreements",
    "projects",
    "planning",
    "conferences",
    "passports",
)


class BackupError(Exception):
    """A message for the person running the command."""


def signing_key():
    """The key that signs and verifies archives: DJANGO_BACKUP_KEY. Without
    it, a development machine (DEBUG on) derives one from SECRET_KEY; production
    refuses, because its archives must stay verifiable on a new machine and
    after SECRET_KEY is rotated, so their key is kept (and written down) apart."""
    if settings.BACKUP_KEY:
        return settings.BACKUP_KEY.encode()
    if settings.DEBUG:
        return hmac.new(settings.SECRET_KEY.encode(), b"lang-son-affairs backup signing", hashlib.sha256).digest()
    raise BackupError(
        "Chưa đặt khoá ký bản sao lưu: đặt biến môi trường DJANGO_BACKUP_KEY (một chuỗi bí mật dài, "
        "cất giữ ngoài máy chủ). / No backup signing key: set DJANGO_BACKUP_KEY (a long secret, "
        "also kept off the server)."
    )


def _signature(body, key):
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def _verify_signature(archive_path, body, signature):
    """Refuse an archive whose manifest is not signed with our key. The
    manifest holds the checksum of data.json and of every media file, so the
    signature covers them all."""
    if signature is None:
        raise BackupError(
            f"Bản sao lưu {archive_path} không có chữ ký: không khôi phục. / {archive_path} is not signed; "
            "nothing was restored. Use --trust-unsigned only for an archive you know to be genuine."
        )
    if not hmac.compare_digest(signature.strip(), _signature(body, signing_key()).encode()):
        raise BackupError(
            f"Chữ ký của bản sao lưu {archive_path} không khớp: tệp đã bị sửa, hoặc được ký bằng khoá khác "
            f"(DJANGO_BACKUP_KEY); không khôi phục. / The signature of {archive_path} does not match: the "
            "archive was altered or signed with another key (DJANGO_BACKUP_KEY); nothing was restored. "
            "Use --trust-unsigned only for an archive you know to be genuine."
        )


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root):
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _dump(path):
    """dumpdata inside one read-only snapshot, so rows saved meanwhile cannot
    leave a delegation without its members in the archive."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        call_command(
            "dumpdata",
            format=SERIALIZATION_FORMAT,
            exclude=EXCLUDED,
            natural_foreign=True,
            natural_primary=True,
            output=str(path),
            verbosity=0,
        )


def _counts(data_path):
    with open(data_path, encoding="utf-8") as stream:
        return dict(sorted(Counter(obj["model"] for obj in json.load(stream)).items()))


def write_backup(output):
    """Write the archive to ``output`` (a temporary name first, then renamed,
    so a half-written archive never carries the final name). Returns the manifest."""
    key = signing_key()  # before any work: no key, no backup
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        data_path = Path(scratch) / "data.json"
        _dump(data_path)
        files = _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "models": _counts(data_path),
            "data_sha256": _sha256(data_path),
            "media": [
                {"name": p.relative_to(media_root).as_posix(), "size": p.stat().st_size, "sha256": _sha256(p)}
                for p in files
            ],
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            for name, content in (("manifest.json", body), (SIGNATURE, _signature(body, key).encode())):
                info = tarfile.TarInfo(name)
                info.size, info.mtime = len(content), int(dt.datetime.now().timestamp())
                archive.addfile(info, io.BytesIO(content))
            archive.add(data_path, arcname="data.json")
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}", recursive=False)
        os.replace(partial, output)
    return manifest


def _safe_media_name(name):
    """A stored media name, or an error: no absolute paths, no `..`, no links."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupError(f"The archive holds an unsafe file name: {name!r}.")
    return pure


def read_backup(archive_path, scratch, trust_unsigned=False):
    """Unpack and verify ``archive_path`` into ``scratch``: its signature
    (unless ``trust_unsigned``), then every file the manifest names, with its
    checksum, and nothing else. Returns the manifest."""
    try:
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 - closed by the `with` below
        members = {m.name: m for m in archive.getmembers()}
    except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
        raise BackupError(f"{archive_path} is not a readable backup archive ({error}).") from None
    scratch = Path(scratch)
    with archive:
        if "manifest.json" not in members or "data.json" not in members:
            raise BackupError(f"{archive_path} has no manifest.json or data.json: not a backup of this register.")
        body = archive.extractfile(members["manifest.json"]).read()
        if not trust_unsigned:
            signed = members.get(SIGNATURE)
            _verify_signature(archive_path, body, archive.extractfile(signed).read() if signed else None)
        manifest = json.loads(body)
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}; expected {FORMAT}.")
        expected = (
            {"manifest.json", "data.json"}
            | ({SIGNATURE} & set(members))
            | {f"media/{_safe_media_name(m['name'])}" for m in manifest["media"]}
        )
        unexpected = sorted(set(members) - expected - {"media"})
        if unexpected:
            raise BackupError(f"The archive holds files its manifest does not list: {', '.join(unexpected[:5])}.")
        for name in sorted(expected):
            member = members.get(name)
            if member is None or not member.isfile():
                raise BackupError(f"The archive lacks {name}, which its manifest lists.")
            target = scratch / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
    if _sha256(scratch / "data.json") != manifest["data_sha256"]:
        raise BackupError("data.json does not match its checksum: the archive is damaged.")
    for entry in manifest["media"]:
        if _sha256(scratch / "media" / entry["name"]) != entry["sha256"]:
            raise BackupError(f"media/{entry['name']} does not match its checksum: the archive is damaged.")
    return manifest


def database_is_empty():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if user_model.objects.exists():
        return False
    return not any(
        model.objects.exists() for app_label in REGISTER_APPS for model in apps.get_app_config(app_label).get_models()
    )


def restore_backup(archive_path, trust_unsigned=False):
    """Load the archive into this (empty, migrated) database and media folder.
    The data loads in one transaction; the media files are copied after it
    commits, and none of them may overwrite a different existing file."""
    if not database_is_empty():
        raise BackupError(
            "The database already holds records or accounts. Restore only into an empty database "
            "(a new one, migrated with `manage.py migrate`)."
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        manifest = read_backup(archive_path, scratch, trust_unsigned)
        for entry in manifest["media"]:
            existing = media_root / entry["name"]
            if existing.exists() and _sha256(existing) != entry["sha256"]:
                raise BackupError(f"{existing} exists and differs from the archive's copy; nothing was restored.")
        # The archive brings the audit trail itself: loading must not add to it
        # (loaddata's many-to-many writes would otherwise each log a change).
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(Path(scratch) / "data.json"), verbosity=0)
            # loaddata's saves went through the tally's triggers; a recount makes it
            # exact whatever order the rows came in.
            tally.rebuild()
            transaction_tally.rebuild()
            project_tally.rebuild()
            agreement_tally.rebuild()
            signed_partner_tally.rebuild()
        for entry in manifest["media"]:
            target = media_root / entry["name"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(scratch) / "media" / entry["name"], target)
    return manifest
