"""Rebuild the days marked dirty now, whatever task was meant to: a scheduler runs it every few minutes, so that marks
left by a lost task (a worker killed, a queue emptied) are drained even when no new write enqueues a drain."""

import time

from django.core.management.base import BaseCommand

from acvs.observatory import services


class Command(BaseCommand):
    help = "Rebuild the observatory's figures of the days marked dirty (periodic; safe beside the workers)."

    def handle(self, *args, **options):
        started = time.monotonic()
        rebuilt = services.drain()
        self.stdout.write(f"Observatory: {rebuilt} days rebuilt in {time.monotonic() - started:.1f} s.")
