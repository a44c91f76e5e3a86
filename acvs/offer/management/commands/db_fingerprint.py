import json

from django.core.management.base import BaseCommand

from acvs.offer.fingerprint import fingerprint


class Command(BaseCommand):
    help = (
        "Print a fingerprint of the data as JSON: row counts of every table, results of a few searches, checksums "
        "of the media files. Two databases (a source and its restored backup) must print the same."
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(fingerprint(), indent=1, sort_keys=True, default=str))
