"""`manage.py distribute`: a migrated database on a Citus coordinator into the national
layout (kinerja/core/distribution.py, decision 0018). Safe to run again: it changes only what
is not yet in place."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from kinerja.core.distribution import distribute, is_citus


class Command(BaseCommand):
    help = (
        "Sebarkan basis data yang sudah dimigrasi pada koordinator Citus menurut pemerintah "
        "(tabel referensi, tabel terdistribusi yang berkolokasi, kunci dengan government_id)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--shards",
            type=int,
            choices=range(1, 1025),
            metavar="N",
            help="Jumlah shard saat tabel pertama disebar (bawaan: citus.shard_count, 32).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Hanya periksa: keluar dengan galat bila masih ada yang perlu diubah.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        if not is_citus(connection):
            raise CommandError(
                "Bukan koordinator Citus: ekstensi citus tidak ada di basis data ini "
                "(CREATE EXTENSION citus; lalu daftarkan worker dengan citus_add_node)."
            )
        verbose = options["verbosity"] > 1
        try:
            report = distribute(
                connection,
                dry_run=options["check"],
                shards=options["shards"],
                say=(lambda line: self.stdout.write(f"… {line}")) if verbose else (lambda _: None),
            )
        except (DatabaseError, ValueError) as exc:
            raise CommandError(
                f"Distribusi gagal (jalankan lagi setelah diperbaiki): {exc}"
            ) from exc
        for line in report.lines():
            if line.startswith("  ") and not verbose and len(report.changes) > 20:
                continue
            self.stdout.write(line)
        if report.local_tenant_tables:
            raise CommandError(
                "Tabel tenant yang belum tersebar: " + ", ".join(report.local_tenant_tables)
            )
        if options["check"] and report.changes:
            raise CommandError(f"{len(report.changes)} perubahan belum dijalankan.")
