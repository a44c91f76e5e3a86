"""Contacts benchmark: the prospect file's list on PostgreSQL, one office's page (25 rows) and count for a text search
and for segments, with other offices' contacts beside it in the same tables.

    uv run python bench/contacts.py                              # 100,000 contacts for the office, 100,000 others
    uv run python bench/contacts.py --reuse --compare bench/baseline-contacts.json

The rows are written once (--reuse keeps them when the counts match), then VACUUM ANALYZE. Each query runs as the
list page runs it: in the office's tenancy scope, count then first page. Target: p95 <= 100 ms (issue 12).
"""

import argparse
import datetime
import json
import os
import platform
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # import acvs and bench as packages

from bench.search import create_pg_database, quantiles, timed  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/acvs_contacts"
TARGET_P95_MS = 100.0
FIRST = [
    "anna",
    "jean",
    "marie",
    "pierre",
    "lucas",
    "emma",
    "hans",
    "sofia",
    "luca",
    "giulia",
    "pieter",
    "sanne",
    "oliver",
    "amelia",
    "carlos",
    "lucia",
]
LAST = [
    "martin",
    "bernard",
    "dubois",
    "schmidt",
    "muller",
    "rossi",
    "bianchi",
    "jansen",
    "devries",
    "smith",
    "jones",
    "garcia",
    "lopez",
    "weber",
]
LANGUAGES = ["fr"] * 6 + ["de", "de", "nl", "en", "it", "es"]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"a PostgreSQL database ({DEFAULT_URL})")
    parser.add_argument("--contacts", type=int, default=100_000, help="contacts of the measured office")
    parser.add_argument("--others", type=int, default=100_000, help="contacts of another office, same tables")
    parser.add_argument("--reuse", action="store_true", help="keep the rows when the counts match")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query (default 30)")
    parser.add_argument("--save-baseline", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--compare", metavar="FILE", help="compare with a baseline; exit 1 when p95 grew by > 20%%")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("this benchmark needs PostgreSQL")
    return args


def fill(office, count: int, rng: random.Random) -> None:
    from django.utils import timezone

    from acvs.contacts.models import ConsentEvent, Contact, ContactEmail

    now = timezone.now()
    batch = 10_000
    for start in range(0, count, batch):
        contacts = [
            Contact(
                office=office, name=f"{rng.choice(FIRST).title()} {rng.choice(LAST).title()}",
                language=rng.choice(LANGUAGES), country=rng.choice(["FR", "FR", "DE", "BE", "NL", "IT"]),
                last_contact_at=now - datetime.timedelta(days=rng.randrange(1100)),
            )
            for _ in range(min(batch, count - start))
        ]  # fmt: skip
        Contact.objects.bulk_create(contacts)
        ContactEmail.objects.bulk_create(
            ContactEmail(office=office, contact=c, email=f"{c.name.lower().replace(' ', '.')}.{c.pk}@example.org")
            for c in contacts
        )
        ConsentEvent.objects.bulk_create(
            ConsentEvent(office=office, contact=c, purpose="newsletter", given=rng.random() < 0.7, at=now,
                         method="counter", text="J’accepte.")
            for c in contacts
            if rng.random() < 0.5
        )  # fmt: skip
        print(f"  {office.slug}: {start + len(contacts):,} contacts", flush=True)


def prepare(args) -> tuple:
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from acvs.contacts.models import Contact
    from acvs.network.models import Department, Office

    call_command("migrate", verbosity=0, interactive=False)
    with scopes_disabled():
        department, _ = Department.objects.get_or_create(code="83", defaults={"name": "Var"})
        offices = [
            Office.objects.get_or_create(slug=slug, defaults={"name": name, "department": department})[0]
            for slug, name in (("bench-measured", "Office mesuré"), ("bench-other", "Autre office"))
        ]
        wanted = {offices[0].pk: args.contacts, offices[1].pk: args.others}
        have = {o.pk: Contact.objects.filter(office=o).count() for o in offices}
        if not (args.reuse and have == wanted):
            Contact.objects.filter(office__in=offices).delete()
            rng = random.Random(2026)
            for office in offices:
                fill(office, wanted[office.pk], rng)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    return offices


def measure(office, repeat: int) -> dict:
    from django.core.paginator import Paginator

    from acvs.contacts import selectors
    from acvs.core.tenancy import scope_for

    since = datetime.date.today() - datetime.timedelta(days=365)
    cases = {
        "name": {"q": "schmidt"},
        "email": {"q": "anna.weber"},
        "newsletter": {"consent": "newsletter"},
        "segment": {"language": "de", "country": "DE", "since": since, "consent": "newsletter"},
        "all": {},
    }
    results = {}
    with scope_for(office=office):
        for key, criteria in cases.items():

            def run(criteria=criteria):
                page = Paginator(selectors.search(criteria), 25).get_page(1)
                return page.paginator.count, list(page.object_list)

            count = run()[0]
            samples = [timed(run) for _ in range(repeat)]
            p50, p95 = quantiles(samples)
            results[key] = {"count": count, "p50_ms": round(p50, 2), "p95_ms": round(p95, 2)}
            verdict = "ok" if p95 <= TARGET_P95_MS else "SLOW"
            print(f"  {key:<12} {count:>8,} found   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {verdict}", flush=True)
    return results


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "acvs.settings"
    os.environ["DATABASE_URL"] = args.database_url
    create_pg_database(args.database_url)
    import django

    django.setup()
    offices = prepare(args)
    print(f"Contacts list, first page + count, {args.contacts:,} contacts (+{args.others:,} of another office):")
    results = measure(offices[0], args.repeat)
    meta = {"contacts": args.contacts, "others": args.others, "date": datetime.date.today().isoformat(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"}  # fmt: skip
    if args.save_baseline:
        Path(args.save_baseline).write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    if args.compare:
        baseline = json.loads(Path(args.compare).read_text(encoding="utf-8"))["results"]
        worse = [k for k, r in results.items() if k in baseline and r["p95_ms"] > baseline[k]["p95_ms"] * 1.2]
        for key, r in results.items():
            if key in baseline:
                print(f"  {key:<12} p95 {baseline[key]['p95_ms']:7.1f} -> {r['p95_ms']:7.1f} ms")
        return 1 if worse else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
