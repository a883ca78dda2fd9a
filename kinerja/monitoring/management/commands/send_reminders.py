from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kinerja.accounts.tasks import schedule_digests
from kinerja.monitoring.services import reminders_send
from kinerja.monitoring.tasks import schedule_reminders


class Command(BaseCommand):
    help = (
        "Kirim pengingat ke perangkat daerah yang belum melaporkan realisasi triwulan yang "
        "batas waktunya sudah lewat (sekali per PD dan triwulan)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule-only",
            action="store_true",
            help=(
                "Jangan kirim sekarang; jadwalkan pengingat harian (pukul 07.00) di antrean "
                "tugas yang dijalankan db_worker."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule_only"]:
            queued = schedule_reminders()
            self.stdout.write(
                "Pengingat harian dijadwalkan." if queued else "Pengingat harian sudah terjadwal."
            )
            # The morning digest of notices, for those who chose it, runs in the same queue.
            schedule_digests()
            return
        sent = reminders_send()
        self.stdout.write(f"{sent} pengingat terkirim.")
