"""Read the bounces mailbox: delivery reports mark their sending and the address (run by cron, or `--enqueue`)."""

import imaplib

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from acvs.mailing import bounces, tasks


class Command(BaseCommand):
    help = "Record the delivery status notifications of the bounces IMAP mailbox (ACVS_BOUNCES_IMAP_*, ACVS_IMAP_*)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Queue the task for the worker instead.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = tasks.fetch_bounces.enqueue()
            self.stdout.write(f"Queued task {result.id}.")
            return
        try:
            report = bounces.fetch_mailbox()
        except (ImproperlyConfigured, OSError, imaplib.IMAP4.error) as error:
            raise CommandError(f"The bounces mailbox could not be read: {error}") from error
        self.stdout.write(
            f"{report.read} message(s) read, {report.recorded} bounce(s) recorded, {report.unclaimed} naming no "
            f"sending of ours, {report.not_bounces} not a bounce, {len(report.aside)} moved aside."
        )
        for subject in report.aside:
            self.stdout.write(f"Moved aside (unreadable): {subject}")
