"""Backup and restore: one command each. A backup restored into an empty database gives
every row back unchanged and every signed document byte for byte (same SHA-256)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from kinerja.agreements.models import Agreement
from kinerja.documents.models import DocumentFile
from kinerja.monitoring.models import Realisation
from tests.agreements.test_services import signed
from tests.monitoring.conftest import verified

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def _target(tmp_path: Path) -> tuple[str, dict]:
    """An empty database of the same kind as the test database: its URL and settings."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        return f"sqlite:///{path}", {**source, "NAME": str(path)}
    import psycopg

    name = f"{source['NAME']}_restored"
    admin = f"postgresql://{source['USER']}@{source['HOST']}:{source['PORT'] or 5432}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://{source['USER']}@{source['HOST']}:{source['PORT'] or 5432}/{name}"
    return url, {**source, "NAME": name}


def _drop(settings_dict: dict) -> None:
    if connection.vendor != "postgresql":
        return
    import psycopg

    s = settings_dict
    admin = f"postgresql://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{s["NAME"]}" WITH (FORCE)')


def _tables(wrapper) -> dict[str, list[tuple]]:
    """Every row of every table of the application, in primary-key order."""
    rows = {}
    with wrapper.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            pk = model._meta.pk.column
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY "{pk}"')  # noqa: S608
            rows[table] = [tuple(r) for r in cursor.fetchall()]
    return rows


def _restore(archive: Path, url: str, media: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), *extra],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "KINERJA_MEDIA_ROOT": str(media)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_backup_restored_into_an_empty_database_is_identical(world, region, tmp_path):
    agreement = signed(world)
    verified(world, world.indicator_a, 1, "12.5")
    verified(world, world.indicator_b, 2, "7", by="operator_b")
    files = list(DocumentFile.objects.all())
    assert files and Realisation.objects.count() == 2

    archive = tmp_path / "cadangan.tar"
    call_command("backup", str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert all(f"media/{f.file.name}" in names for f in files)

    url, target = _target(tmp_path)
    media = tmp_path / "restored-media"
    try:
        done = _restore(archive, url, media)
        assert done.returncode == 0, done.stderr
        assert "SHA-256" in done.stdout

        # Every signed document: the restored file has the SHA-256 recorded when it was
        # stored (and the restored database records the same).
        restored = type(connections["default"])(target, alias="restored")
        try:
            with restored.cursor() as cursor:
                cursor.execute('SELECT "file", "sha256" FROM "documents_documentfile"')
                stored = dict(cursor.fetchall())
            assert stored == {f.file.name: f.sha256 for f in files}
            for name, digest in stored.items():
                assert hashlib.sha256((media / name).read_bytes()).hexdigest() == digest
            # Every figure, every row of every table: the same.
            assert _tables(restored) == _tables(connection)
        finally:
            restored.close()
        assert Agreement.objects.get(pk=agreement.pk).status == "signed"

        # Restoring over a database that is not empty is refused without --replace.
        again = _restore(archive, url, tmp_path / "other-media")
        assert again.returncode != 0
        assert "tidak kosong" in again.stderr or "sudah ada" in again.stderr
    finally:
        _drop(target)


def test_a_damaged_archive_is_refused_before_anything_is_written(world, region, tmp_path):
    signed(world)
    archive = tmp_path / "cadangan.tar"
    call_command("backup", str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115
    damaged = tmp_path / "rusak.tar"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    url = f"sqlite:///{tmp_path / 'never.sqlite3'}"
    done = _restore(damaged, url, tmp_path / "never-media")
    assert done.returncode != 0 and "rusak" in done.stderr
    assert not (tmp_path / "never.sqlite3").exists()
    assert not (tmp_path / "never-media").exists()
    assert settings.MEDIA_ROOT  # the source's files stay where they were
