"""`manage.py generate_data --scale city|province|national`: synthetic governments for
load and scale measurements (see kinerja/sampledata/synthetic.py for their shape)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kinerja.accounts.models import Government
from kinerja.sampledata import synthetic


class Command(BaseCommand):
    help = (
        "Isi basis data dengan pemerintah daerah sintetis (city: 1, province: 40, national: 550)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(synthetic.SCALES), default="city")
        parser.add_argument(
            "--governments",
            type=int,
            default=None,
            help="Jumlah pemerintah daerah (menggantikan jumlah menurut --scale).",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Hapus dulu semua pemerintah daerah sintetis."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["governments"] or synthetic.SCALES[options["scale"]]
        if count < 1:
            self.stderr.write("Jumlah pemerintah daerah harus paling sedikit 1.")
            sys.exit(2)
        if options["reset"]:
            deleted = self._reset()
            self.stdout.write(f"{deleted} pemerintah daerah sintetis dihapus.")
        shape = synthetic.shape()
        self.stdout.write(
            f"{count} pemerintah daerah × {shape.units} PD, {shape.indicators} indikator, "
            f"{shape.realisations} realisasi bulanan"
        )
        started = time.monotonic()
        bar = ProgressBar(self.stderr, started)
        made = synthetic.generate(count, progress=bar)
        bar.finish()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Selesai: {len(made)} dibuat, {count - len(made)} sudah ada, {elapsed:.1f} detik."
            )
        )

    def _reset(self) -> int:
        from django.db import connection

        qs = Government.objects.filter(slug__startswith=synthetic.SLUG_PREFIX)
        ids = list(qs.values_list("pk", flat=True))
        if not ids:
            return 0
        if connection.vendor == "postgresql":
            # Deleting millions of rows through the ORM's cascade would take hours; the
            # synthetic rows are removed table by table, children first.
            from kinerja.monitoring.models import Realisation
            from kinerja.planning.models import IndicatorTarget

            with connection.cursor() as cursor:
                for model in (Realisation, IndicatorTarget):
                    cursor.execute(
                        f"DELETE FROM {model._meta.db_table} WHERE government_id = ANY(%s)",  # noqa: S608
                        [ids],
                    )
        from kinerja.accounts.models import User

        User.objects.filter(government_id__in=ids).delete()
        qs.delete()
        return len(ids)


class ProgressBar:
    """A one-line progress bar on a terminal, a line per tenth elsewhere (CI logs)."""

    def __init__(self, stream: Any, started: float) -> None:
        self.stream = stream
        self.started = started
        self.tty = stream.isatty()
        self.last_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        fraction = done / total
        elapsed = time.monotonic() - self.started
        eta = elapsed / fraction - elapsed if fraction else 0
        width = 30
        filled = int(width * fraction)
        line = (
            f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
            f"{fraction:5.1%} {elapsed:6.1f} s, sisa ±{eta:5.0f} s"
        )
        if self.tty:
            self.stream.write("\r" + line, ending="")
            self.stream.flush()
        elif int(fraction * 10) != self.last_tenth:
            self.last_tenth = int(fraction * 10)
            self.stream.write(line)

    def finish(self) -> None:
        if self.tty:
            self.stream.write("")
