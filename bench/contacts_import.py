"""Contact import benchmark on PostgreSQL: a 100,000-line CSV file read, checked (dry run) and committed.

    uv run python bench/contacts_import.py                 # 100,000 lines; 20,000 contacts already in the office
    uv run python bench/contacts_import.py --lines 10000

The office already holds contacts (a fifth of the file's lines merge into them) and another office as many (never
touched); a few lines repeat or share an address with an earlier line. Each step runs as the worker runs it, in the
office's tenancy scope. Target: dry run + commit of 100,000 lines <= 60 s (issue 12).
"""

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # import acvs and bench as packages

from bench.contacts import FIRST, LANGUAGES, LAST  # noqa: E402
from bench.search import create_pg_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/acvs_contacts_import"
TARGET_S = 60.0
PLACES = [("83240", "Cavalaire-sur-Mer"), ("83420", "La Croix-Valmer"), ("04800", "Gréoux-les-Bains"),
          ("75001", "Paris"), ("69001", "Lyon"), ("13001", "Marseille"), ("", "")]  # fmt: skip
COUNTRIES = ["France", "FR", "Allemagne", "DE", "BE", "NL", "Italie"]
TAGS = ["salon 2026", "fidèle", "presse", "groupe", "randonnée", ""]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"a PostgreSQL database ({DEFAULT_URL})")
    parser.add_argument("--lines", type=int, default=100_000, help="lines of the file")
    parser.add_argument("--existing", type=int, default=20_000, help="contacts the office (and another) already hold")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("this benchmark needs PostgreSQL")
    return args


def email(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]}.{LAST[i % len(LAST)]}.{i}@example.org"


def build_file(lines: int, existing: int, rng: random.Random) -> bytes:
    rows = ["Nom;Courriel;Téléphone;Code postal;Commune;Pays;Langue;Étiquettes;Newsletter"]
    for n in range(lines):
        draw = rng.random()
        if draw < 0.2:
            i = rng.randrange(existing)  # a contact the office holds
        elif draw < 0.23 and n:
            i = existing + rng.randrange(n)  # someone earlier in the file
        else:
            i = existing + n
        postcode, commune = rng.choice(PLACES)
        phone = f"06{i % 100_000_000:08d}" if rng.random() < 0.5 else ""
        rows.append(";".join([
            f"{FIRST[i % len(FIRST)].title()} {LAST[i % len(LAST)].title()}", email(i), phone, postcode, commune,
            rng.choice(COUNTRIES), rng.choice(LANGUAGES), rng.choice(TAGS), rng.choice(["oui", "non", ""]),
        ]))  # fmt: skip
    return ("\n".join(rows) + "\n").encode("utf-8")


def prepare(existing: int):
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from acvs.contacts.models import Contact, ContactEmail
    from acvs.network.models import Department, Membership, Office, Role, User
    from bench import dataset

    call_command("migrate", verbosity=0, interactive=False)
    dataset.load_reference()
    with scopes_disabled():
        department = Department.objects.get(code="83")
        offices = [
            Office.objects.get_or_create(slug=slug, defaults={"name": name, "department": department})[0]
            for slug, name in (("bench-import", "Office importateur"), ("bench-import-other", "Autre office"))
        ]
        user, _ = User.objects.get_or_create(username="bench-import")
        Membership.objects.get_or_create(user=user, office=offices[0], defaults={"role": Role.AGENT})
        Contact.objects.filter(office__in=offices).delete()
        for office in offices:
            for start in range(0, existing, 10_000):
                contacts = Contact.objects.bulk_create(
                    Contact(office=office, name="") for _ in range(min(10_000, existing - start))
                )
                ContactEmail.objects.bulk_create(
                    ContactEmail(office=office, contact=c, email=email(start + k)) for k, c in enumerate(contacts)
                )
    return offices[0], user


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "acvs.settings"
    os.environ["DATABASE_URL"] = args.database_url
    create_pg_database(args.database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from acvs.contacts import importing
    from acvs.contacts.models import Contact
    from acvs.core.tenancy import scope_for
    from acvs.network.models import Membership

    office, user = prepare(args.existing)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    content = build_file(args.lines, args.existing, random.Random(2026))
    settings.ACVS_CONTACT_IMPORT_INLINE_LINES = args.lines  # time the work itself, as the worker does it
    print(f"Contact import, {args.lines:,} lines ({len(content) / 1e6:.1f} MB), {args.existing:,} contacts held:")
    with scope_for(office=office):
        m = Membership.objects.select_related("office", "user").get(user=user, office=office)
        times = {}
        start = time.perf_counter()
        run = importing.import_upload(membership=m, name="bench.csv", content=content, source="Bench")
        times["read"] = time.perf_counter() - start
        start = time.perf_counter()
        run = importing.import_map(membership=m, run=run, columns=run.columns, origin="Bench", consent_text="Oui")
        times["dry run"] = time.perf_counter() - start
        counts = run.counts()
        start = time.perf_counter()
        run = importing.import_commit(membership=m, run=run)
        times["commit"] = time.perf_counter() - start
        assert run.status == "committed", run.status
        created = Contact.objects.filter(office=office).count() - args.existing
    for step, seconds in times.items():
        print(f"  {step:<8} {seconds:6.1f} s")
    total = times["dry run"] + times["commit"]
    print(f"  lines: {counts}; contacts created {created:,}")
    verdict = "ok" if total <= TARGET_S else "SLOW"
    print(f"  dry run + commit {total:.1f} s (target <= {TARGET_S:.0f} s) {verdict}; read + dry run + commit "
          f"{sum(times.values()):.1f} s")  # fmt: skip
    print(f"  {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    return 0 if total <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
