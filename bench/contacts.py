"""Contacts benchmark: the prospect file's list on PostgreSQL, one office's page (25 rows) and count for a text search
and for segments, with other offices' contacts beside it in the same tables; then the list page itself over HTTP.

    uv run python bench/contacts.py                    # 100,000 contacts for the office, 2,000,000 in the tables
    uv run python bench/contacts.py --reuse --compare bench/baseline-contacts-2m.json
    uv run python bench/contacts.py --reuse --explain name newsletter   # EXPLAIN (ANALYZE, BUFFERS), then stop

The rows are written once by the database (generate_series, the contacts tables' secondary indexes built after the
load; --reuse keeps them when the counts match), then VACUUM ANALYZE. Each query runs as the list page runs it: in
the office's tenancy scope, its first page and total (selectors.list_page). Target: p95 <= 100 ms (issue 12)."""

import argparse
import datetime
import json
import os
import platform
import sys
from contextlib import contextmanager
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
    parser.add_argument("--total", type=int, default=2_000_000, help="contacts in the tables, all offices (2,000,000)")
    parser.add_argument("--reuse", action="store_true", help="keep the rows when the counts match")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query (default 30)")
    parser.add_argument("--explain", nargs="*", metavar="KEY", help="print the plans (EXPLAIN ANALYZE) and stop")
    parser.add_argument("--save-baseline", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--compare", metavar="FILE", help="compare with a baseline; exit 1 when p95 grew by > 20%%")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("this benchmark needs PostgreSQL")
    return args


COMMUNES = 35_000  # about as many as France has


def fill_communes(department) -> None:
    """Communes for the contacts' addresses (a text search also looks for the words in communes' names)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO network_commune (insee, name, department_id, postcodes, population, epci_name, latitude,
                                         longitude)
            SELECT lpad(i::text, 5, '0'), 'Commune ' || i, %s, '83000', 1000, '', 43.1, 6.1
            FROM generate_series(1, %s) AS i
            ON CONFLICT DO NOTHING
            """,
            [department.pk, COMMUNES],
        )


def fill(office, count: int, seed: float) -> None:
    """One office's contacts written by the database itself (generate_series): most in a commune, an email and a phone
    each, a newsletter consent event for half of them, and a later change of mind for one in ten of those."""
    from django.db import connection

    first = "{" + ",".join(FIRST) + "}"
    last = "{" + ",".join(LAST) + "}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(
            """
            INSERT INTO contacts_contact (office_id, kind, name, address, postcode, country, language, source,
                                          created_at, updated_at, version, last_contact_at, commune_id)
            SELECT %s, 'person',
                   initcap(f[1 + floor(random() * cardinality(f))::int]) || ' '
                       || initcap(l[1 + floor(random() * cardinality(l))::int]),
                   '', '', (ARRAY['FR', 'FR', 'DE', 'BE', 'NL', 'IT'])[1 + floor(random() * 6)::int],
                   (ARRAY['fr', 'fr', 'fr', 'fr', 'fr', 'fr', 'de', 'de', 'nl', 'en', 'it', 'es'])
                       [1 + floor(random() * 12)::int],
                   'import', now(), now(), 1, now() - floor(random() * 1100) * interval '1 day',
                   CASE WHEN random() < 0.6 THEN lpad((1 + floor(random() * %s))::int::text, 5, '0') END
            FROM generate_series(1, %s), (SELECT %s::text[] AS f, %s::text[] AS l) AS words
            """,
            [office.pk, COMMUNES, count, first, last],
        )
        cursor.execute(
            """
            INSERT INTO contacts_contactemail (office_id, contact_id, email, soft_bounces, undeliverable_reason)
            SELECT office_id, id, lower(replace(name, ' ', '.')) || '.' || id || '@example.org', 0, ''
            FROM contacts_contact WHERE office_id = %s
            """,
            [office.pk],
        )
        cursor.execute(
            """
            INSERT INTO contacts_contactphone (office_id, contact_id, phone)
            SELECT office_id, id, '+336' || lpad((id %% 100000000)::text, 8, '0') FROM contacts_contact
            WHERE office_id = %s
            """,
            [office.pk],
        )
        cursor.execute(
            """
            INSERT INTO contacts_consentevent (office_id, contact_id, purpose, given, at, method, origin, text, pending)
            SELECT office_id, id, 'newsletter', random() < 0.7, now() - interval '400 days', 'counter', '',
                   'J’accepte.', false
            FROM contacts_contact WHERE office_id = %s AND random() < 0.5
            """,
            [office.pk],
        )
        cursor.execute(
            """
            INSERT INTO contacts_consentevent (office_id, contact_id, purpose, given, at, method, origin, text, pending)
            SELECT office_id, contact_id, purpose, NOT given, at + floor(random() * 300) * interval '1 day',
                   'agent', '', 'Changement d’avis.', false
            FROM contacts_consentevent WHERE office_id = %s AND random() < 0.1
            """,
            [office.pk],
        )
    print(f"  {office.slug}: {count:,} contacts", flush=True)


def prepare(args) -> tuple:
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django_scopes import scopes_disabled

    from acvs.contacts.models import Contact
    from acvs.network.models import Department, Office

    call_command("migrate", verbosity=0, interactive=False)
    others = max(0, args.total - args.contacts) // args.contacts
    with scopes_disabled():
        department, _ = Department.objects.get_or_create(code="83", defaults={"name": "Var"})
        slugs = [("bench-measured", "Office mesuré")] + [
            (f"bench-other-{i}", f"Autre office {i}") for i in range(others)
        ]
        offices = [
            Office.objects.get_or_create(slug=slug, defaults={"name": name, "department": department})[0]
            for slug, name in slugs
        ]
        wanted = {o.pk: args.contacts for o in offices}
        have = dict(Contact.objects.filter(office__in=offices).values_list("office").annotate(n=Count("pk")))
        if not (args.reuse and have == wanted):
            with connection.cursor() as cursor:
                # The benchmark's own database: every office's contacts go (a DELETE of millions takes minutes).
                cursor.execute("TRUNCATE contacts_contact CASCADE")
            fill_communes(department)
            with indexes_rebuilt_after():
                for i, office in enumerate(offices):
                    fill(office, args.contacts, seed=(i + 1) / (len(offices) + 1))
            after_fill()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    return offices


@contextmanager
def indexes_rebuilt_after():
    """Write the rows without the contacts tables' secondary indexes, then build those again (from their own
    definitions): building a trigram index once is minutes faster than updating it row by row."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE left(i.tablename, 9) = 'contacts_' AND i.schemaname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)


def after_fill() -> None:
    """Derived tables the application keeps row by row, rebuilt at once after the bulk load."""
    from acvs.contacts.models import refresh_current

    refresh_current()


CASES = {
    "name": {"q": "schmidt"},
    "email": {"q": "anna.weber"},
    "email_exact": {"q": "{email}"},
    "phone": {"q": "06 {digits}"},
    "newsletter": {"consent": "newsletter"},
    "segment": {"language": "de", "country": "DE", "since": "{since}", "consent": "newsletter"},
    "all": {},
}


def cases(office) -> dict:
    """The queries, with values taken from the office's own rows (an existing address, the start of a phone)."""
    from django_scopes import scopes_disabled

    from acvs.contacts.models import ContactEmail, ContactPhone

    with scopes_disabled():
        email = ContactEmail.objects.filter(office=office, email__startswith="anna.weber.").order_by("pk").first()
        phone = ContactPhone.objects.filter(office=office).order_by("pk")[500]
    values = {
        "email": email.email, "digits": phone.phone.as_e164[4:10],
        "since": (datetime.date.today() - datetime.timedelta(days=365)).isoformat(),
    }  # fmt: skip
    return {key: {k: v.format(**values) for k, v in criteria.items()} for key, criteria in CASES.items()}


def explain(office, only: list[str]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each query's statements for its first page, as the list page sends them."""
    from django.conf import settings
    from django.db import connection

    from acvs.contacts import selectors
    from acvs.core.tenancy import scope_for

    with scope_for(office=office):
        for key, criteria in cases(office).items():
            if only and key not in only:
                continue
            found = selectors.search(criteria)
            if "q" in criteria:  # selectors.list_page beyond the cap: the page along the name index, the count to
                cap = settings.ACVS_CONTACT_EXACT_COUNT_MAX  # the cap (LIMIT) when the estimate is near it
                walk = selectors.search(criteria, walk=True)
                statements = (("page", walk[:26]), ("count", found.values("pk").order_by()[: cap + 1]))
            else:
                statements = (("count", found.values("pk").order_by()), ("page", found[:25]))
            for label, query in statements:
                sql, params = query.query.sql_with_params()
                if label == "count":
                    sql = f"SELECT COUNT(*) FROM ({sql}) AS counted"
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                print(f"--- {key} ({label})\n{plan}\n", flush=True)


def measure(office, repeat: int) -> dict:
    from acvs.contacts import selectors
    from acvs.core.tenancy import scope_for

    results = {}
    with scope_for(office=office):
        for key, criteria in cases(office).items():

            def run(criteria=criteria):  # as the list view calls it
                walk = selectors.search(criteria, walk=True) if "q" in criteria else None
                page = selectors.list_page(selectors.search(criteria), 1, 25, by_text="q" in criteria, walk=walk)
                return page.paginator.count, list(page.object_list)

            count = run()[0]
            samples = [timed(run) for _ in range(repeat)]
            p50, p95 = quantiles(samples)
            results[key] = {"count": count, "p50_ms": round(p50, 2), "p95_ms": round(p95, 2)}
            verdict = "ok" if p95 <= TARGET_P95_MS else "SLOW"
            print(f"  {key:<12} {count:>8,} found   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {verdict}", flush=True)
    return results


PAGES = {"page_all": {}, "page_name": {"q": "schmidt"}, "page_newsletter": {"consent": "newsletter"}}


def measure_pages(office, repeat: int) -> dict:
    """The list page itself, through Django's test client as an agent of the office (middleware, template)."""
    from django.test import Client
    from django.urls import reverse

    from acvs.network.models import Membership, Role, User

    user = User.objects.filter(username="bench-contacts").first() or User.objects.create_user(
        username="bench-contacts", password="bench-contacts-password-0123"
    )
    Membership.objects.get_or_create(user=user, office=office, defaults={"role": Role.AGENT})
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    results = {}
    for key, params in PAGES.items():

        def get(params=params):
            response = client.get(reverse("contacts:list"), params)
            assert response.status_code == 200, response.status_code

        get()
        p50, p95 = quantiles([timed(get) for _ in range(repeat)])
        results[key] = {"p50_ms": round(p50, 2), "p95_ms": round(p95, 2)}
        verdict = "ok" if p95 <= TARGET_P95_MS else "SLOW"
        print(f"  {key:<16}          p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {verdict}", flush=True)
    return results


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "acvs.settings"
    os.environ["DATABASE_URL"] = args.database_url
    create_pg_database(args.database_url)
    import django

    django.setup()
    offices = prepare(args)
    if args.explain is not None:
        explain(offices[0], args.explain)
        return 0
    print(f"Contacts list, first page + count, {args.contacts:,} contacts of {args.total:,} in the tables:")
    results = measure(offices[0], args.repeat)
    print("The list page (HTTP through the test client, rendered):")
    results |= measure_pages(offices[0], args.repeat)
    meta = {"contacts": args.contacts, "total": args.total, "date": datetime.date.today().isoformat(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
            "load_average": [round(x, 1) for x in os.getloadavg()]}  # fmt: skip
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
