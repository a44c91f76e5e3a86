import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from acvs.demo import loader
from acvs.demo.network import PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo network of Var and Alpes-de-Haute-Provence: offices, users of every role and about 3,000 "
        "invented offers. Run load_reference first. Does nothing if the demo is already there, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--offers", type=int, default=3000, help="Number of offers to create (default 3000).")
        parser.add_argument("--reset", action="store_true", help="Delete the previous demo data first.")
        parser.add_argument("--no-photos", action="store_true", help="Do not draw and attach illustrations.")
        parser.add_argument(
            "--years",
            type=int,
            default=2,
            help="Years of counter activity up to today (default 2: the observatory "
            "compares a year with the one before).",
        )

    def handle(self, *args, offers, reset, no_photos, years, **options):
        started = time.monotonic()
        summary = loader.load(count=offers, reset=reset, with_photos=not no_photos, years=years)
        if summary is None:
            self.stdout.write(
                self.style.WARNING("Demo data already loaded (office 'cavalaire' exists): nothing done. Use --reset.")
            )
            return
        # The season of activity was bulk-written: the observatory's figures are counted from it once.
        call_command("observatory_recount", stdout=self.stdout)
        self.stdout.write(f"Offers: {summary.offers}   Providers: {summary.providers}")
        for label, n in summary.families:
            if n:
                self.stdout.write(f"  {label:<42} {n:>5}")
        self.stdout.write("")
        width = max(len(u) for u, _, _ in summary.logins)
        self.stdout.write(f"{'Username':<{width}}  {'Role':<32}  Office")
        for username, role, office in summary.logins:
            self.stdout.write(f"{username:<{width}}  {role:<32}  {office}")
        self.stdout.write(f"\nPassword for every account: {PASSWORD}")
        self.stdout.write(self.style.SUCCESS(f"Demo loaded in {time.monotonic() - started:.1f} s."))
