"""Read the answers mailbox: visitors' replies attach to their requests (run by cron, or `--enqueue` for the worker)."""

import imaplib

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from acvs.mailing import incoming, tasks


class Command(BaseCommand):
    help = "Attach visitors' replies from the answers IMAP mailbox (ACVS_IMAP_*) to their requests."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Queue the task for the worker instead.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = tasks.fetch_answers_mail.enqueue()
            self.stdout.write(f"Queued task {result.id}.")
            return
        try:
            report = incoming.fetch_mailbox()
        except (ImproperlyConfigured, OSError, imaplib.IMAP4.error) as error:
            raise CommandError(f"The answers mailbox could not be read: {error}") from error
        self.stdout.write(f"{report.read} message(s) read, {report.attached} attached to their request.")
        for subject in report.unmatched:
            self.stdout.write(f"Left unread (no answer matches): {subject}")
