"""Backup and restore of the database and the stored files (signed documents, evidence),
as one archive (docs/operations.md).

The archive is a tar file holding:
- `manifest.json`: format, time, database vendor, the applied migrations, and the size and
  SHA-256 of every stored file;
- `database.pgdump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite's
  online backup), a consistent snapshot taken while the application runs;
- `media/…`: the stored files.

Restore checks every file against the manifest before it writes anything, restores into an
empty database (or replaces one when asked), and puts the files back.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

FORMAT = "kinerja-backup/1"


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore (the password through the environment)."""
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _files(media_root: Path) -> list[Path]:
    if not media_root.exists():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def backup(*, output: Path, connection: Any, media_root: Path) -> dict[str, Any]:
    """Write the archive; returns its manifest."""
    from django.db.migrations.recorder import MigrationRecorder

    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if vendor == "postgresql":
            dump = work / "database.pgdump"
            args, env = _pg_env(connection.settings_dict)
            subprocess.run(  # noqa: S603 - a fixed program from PATH, arguments from settings
                [  # noqa: S607 - pg_dump of the server's version, found on PATH
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    *args,
                    "--file",
                    str(dump),
                    str(connection.settings_dict["NAME"]),
                ],
                check=True,
                env=env,
                capture_output=True,
            )
        elif vendor == "sqlite":
            dump = work / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:  # pragma: no cover - the two supported databases
            raise BackupError(f"Basis data {vendor} tidak didukung untuk cadangan.")
        files = [
            {
                "path": p.relative_to(media_root).as_posix(),
                "size": p.stat().st_size,
                "sha256": _sha256(p),
            }
            for p in _files(media_root)
        ]
        migrations = sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        )
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": {"vendor": vendor, "file": dump.name, "sha256": _sha256(dump)},
            "migrations": migrations,
            "files": files,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for entry in files:
                relative = str(entry["path"])
                tar.add(media_root / relative, arcname=f"media/{relative}")
        partial.replace(output)  # never a half-written archive under the final name
    return manifest


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"Arsip memuat entri yang tidak aman: {member.name}")
        members.append(member)
    return members


def restore(
    *, archive: Path, database_url: str, media_root: Path, replace: bool = False
) -> dict[str, Any]:
    """Restore an archive into the database at `database_url` and the files into
    `media_root`. Refuses a database or a media folder that is not empty unless `replace`."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r") as tar:
            tar.extractall(work, members=_safe_members(tar))  # noqa: S202 - members checked
        manifest_path = work / "manifest.json"
        if not manifest_path.exists():
            raise BackupError("Arsip ini bukan cadangan Kinerja (tidak ada manifest.json).")
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Format cadangan tidak dikenal: {manifest.get('format')}")
        dump = work / manifest["database"]["file"]
        if _sha256(dump) != manifest["database"]["sha256"]:
            raise BackupError("Salinan basis data dalam arsip rusak (SHA-256 berbeda).")
        for entry in manifest["files"]:
            path = work / "media" / entry["path"]
            if not path.is_file() or _sha256(path) != entry["sha256"]:
                raise BackupError(f"Berkas {entry['path']} dalam arsip rusak atau hilang.")

        if any(media_root.iterdir()) if media_root.exists() else False:
            if not replace:
                raise BackupError(
                    f"Folder berkas {media_root} tidak kosong; pakai --replace untuk menimpanya."
                )
            shutil.rmtree(media_root)
        _restore_database(manifest["database"]["vendor"], dump, database_url, replace=replace)
        media_root.mkdir(parents=True, exist_ok=True)
        source = work / "media"
        if source.exists():
            shutil.copytree(source, media_root, dirs_exist_ok=True)
    return manifest


def _restore_database(vendor: str, dump: Path, database_url: str, *, replace: bool) -> None:
    import dj_database_url

    settings_dict = dj_database_url.parse(database_url)
    engine = str(settings_dict["ENGINE"])
    if vendor == "postgresql":
        if "postgresql" not in engine:
            raise BackupError("Cadangan PostgreSQL hanya dipulihkan ke PostgreSQL.")
        args, env = _pg_env(settings_dict)  # type: ignore[arg-type]
        name = str(settings_dict["NAME"])
        if not replace and _pg_has_tables(database_url):
            raise BackupError(f"Basis data {name} tidak kosong; pakai --replace untuk menimpanya.")
        subprocess.run(  # noqa: S603 - a fixed program from PATH, arguments from settings
            [  # noqa: S607 - pg_restore of the server's version, found on PATH
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                *(["--clean", "--if-exists"] if replace else []),
                *args,
                "--dbname",
                name,
                str(dump),
            ],
            check=True,
            env=env,
            capture_output=True,
        )
    elif vendor == "sqlite":
        if "sqlite" not in engine:
            raise BackupError("Cadangan SQLite hanya dipulihkan ke SQLite.")
        target = Path(urlparse(database_url).path)
        if database_url.startswith("sqlite:////"):
            target = Path("/" + database_url.removeprefix("sqlite:////"))
        if target.exists() and target.stat().st_size > 0 and not replace:
            raise BackupError(f"Basis data {target} sudah ada; pakai --replace untuk menimpanya.")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dump, target)
    else:  # pragma: no cover
        raise BackupError(f"Basis data {vendor} tidak didukung.")


def _pg_has_tables(database_url: str) -> bool:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    return bool(row and row[0])
