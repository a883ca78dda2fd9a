from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kinerja.accounts.models import Government
from kinerja.sampledata.demo import DEMO_PASSWORD, DEMO_SLUG, DEMO_USERS, load_demo
from kinerja.sampledata.demo_cascade import CASCADE_PERSONAS


class Command(BaseCommand):
    help = "Load the demo government (a city modelled on Kota Malang) with one account per role."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off. Demo accounts must never reach a real database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Demo accounts belong only in a demo database (DEBUG is off).")
        if Government.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("Demo government already loaded.")
        else:
            gov = load_demo()
            self.stdout.write(self.style.SUCCESS(f"Loaded {gov.name}."))
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, role, unit, _who in DEMO_USERS:
            where = f" ({unit})" if unit else ""
            self.stdout.write(f"  {username:<16} {role.label}{where}")
        for username, what in CASCADE_PERSONAS:
            self.stdout.write(f"  {username:<16} {what}")
