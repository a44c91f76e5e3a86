"""Rebuild the observatory's rollups from the raw rows (after a bulk load, or to check the incremental refresh)."""

import time

from django.core.management.base import BaseCommand

from acvs.observatory import services


class Command(BaseCommand):
    help = (
        "Rebuild every office's daily and monthly figures from its requests and visitor counts, and (without "
        "--office) the published offers per département and type."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", type=int, action="append", help="Only this office's id (repeatable).")

    def handle(self, *args, office, **options):
        started = time.monotonic()
        written = services.recount(office)
        self.stdout.write(f"Observatory: {written} daily figures in {time.monotonic() - started:.1f} s.")
