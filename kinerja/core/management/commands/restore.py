"""`manage.py restore ARCHIVE [--replace]`: put a backup back into the database named by
DATABASE_URL and the files into the media folder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from kinerja.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Pulihkan cadangan (arsip dari `backup`) ke basis data DATABASE_URL dan folder berkas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Timpa basis data dan folder berkas yang tidak kosong.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url:
            default = settings.DATABASES["default"]
            database_url = f"sqlite:///{default['NAME']}"
        connections.close_all()  # the restore replaces what this process would have read
        try:
            manifest = restore(
                archive=Path(options["archive"]),
                database_url=database_url,
                media_root=Path(settings.MEDIA_ROOT),
                replace=options["replace"],
            )
        except (BackupError, OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            message = str(exc)
            if detail:
                message += "\n" + detail.decode(errors="replace")[-2000:]
            raise CommandError(message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Dipulihkan dari cadangan {manifest['created_at']}: basis data "
                f"{manifest['database']['vendor']}, {len(manifest['files'])} berkas "
                "(SHA-256 diperiksa)."
            )
        )
