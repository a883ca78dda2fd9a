from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kinerja.agreements.exports import signed_agreements, write_agreements


class Command(BaseCommand):
    help = "Write every signed agreement (latest signed version per unit) of a year as PDF."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="Directory to write into (created).")
        parser.add_argument("--government", help="Slug of one government (default: all).")

    def handle(self, *args: Any, **options: Any) -> None:
        agreements = signed_agreements(
            year=options["year"], government_slug=options.get("government")
        )
        if not agreements:
            raise CommandError(
                f"Tidak ada perjanjian kinerja bertanda tangan untuk tahun {options['year']}."
            )
        written = write_agreements(agreements, Path(options["out"]))
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(
            self.style.SUCCESS(f"{len(written)} perjanjian ditulis ke {options['out']}.")
        )
