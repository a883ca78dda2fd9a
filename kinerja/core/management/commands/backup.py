"""`manage.py backup [ARCHIVE]`: the database and every stored file in one archive."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from kinerja.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Cadangkan basis data dan semua berkas tersimpan ke satu arsip .tar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive",
            nargs="?",
            help="Berkas arsip (default: var/backups/kinerja-<waktu>.tar).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        archive = Path(
            options["archive"]
            or Path(settings.BASE_DIR) / "var" / "backups" / f"kinerja-{stamp}.tar"
        )
        try:
            manifest = backup(
                output=archive, connection=connection, media_root=Path(settings.MEDIA_ROOT)
            )
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Cadangan ditulis: {archive} ({manifest['database']['vendor']}, "
                f"{len(manifest['files'])} berkas, {archive.stat().st_size:,} bita)"
            )
        )
