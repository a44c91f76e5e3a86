"""Availability benchmark: 100,000 accommodation offers x 365 nights of AvailabilityNight on PostgreSQL, then time
"available for these nights, near this commune" through offers_search beside the same search as raw SQL.

    uv run python bench/availability.py                     # database acvs_bench_avail, copied from acvs_bench_100k
    uv run python bench/availability.py --reuse             # keep the nights when they are there and fresh
    make bench-availability ARGS="--reuse --compare bench/baseline-availability.json"

The offers come from the search benchmark's database (`--template`, built by bench/search.py); when it is missing,
bench/dataset.py fills the offers. Every offer is then given an accommodation type (a copy: the template is not
touched). The nights are written with COPY, the table's indexes and constraints dropped before and rebuilt after,
then VACUUM ANALYZE. Target: first page (20) + count, p95 <= 100 ms. See docs/performance.md.
"""

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # import acvs and bench as packages

from bench.search import compare, create_pg_database, quantiles, timed  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/acvs_bench_avail"
TEMPLATE = "acvs_bench_100k"
TARGET_P95_MS = 100.0
TABLE = "availability_availabilitynight"
TEMPLATES = 256  # distinct calendars, shared by the offers (the offer id differs)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"a PostgreSQL database ({DEFAULT_URL})")
    parser.add_argument("--template", default=TEMPLATE, help=f"database holding the offers to copy ({TEMPLATE})")
    parser.add_argument("--offers", type=int, default=100_000, help="offers when the template is missing (100000)")
    parser.add_argument("--nights", type=int, default=365, help="nights per offer, from today (default 365)")
    parser.add_argument("--reuse", action="store_true", help="keep the nights when they are complete and fresh")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query, after warm-up (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per query first (default 3)")
    parser.add_argument("--seed", type=int, default=20260101, help="seed of the synthetic calendars")
    parser.add_argument("--only", nargs="*", default=None, help="run only these query keys")
    parser.add_argument("--save-baseline", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--compare", metavar="FILE", help="compare with a saved baseline; exit 1 on a regression")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("this benchmark needs PostgreSQL")
    if args.repeat < 2 or not 1 <= args.nights <= 366:
        parser.error("--repeat must be >= 2 and --nights between 1 and 366")
    return args


def pg_params(url: str) -> dict:
    import dj_database_url

    cfg = dj_database_url.parse(url)
    keys = {"host": "HOST", "port": "PORT", "user": "USER", "password": "PASSWORD"}
    return {"dbname": cfg["NAME"], **{k: cfg.get(v) for k, v in keys.items() if cfg.get(v)}}


def create_from_template(url: str, template: str) -> None:
    """Create the database as a copy of the search benchmark's one (its offers) when both apply."""
    import psycopg

    params = pg_params(url)
    name = params.pop("dbname")
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            print(f"Created database {name} from {template}")
    create_pg_database(url)  # no template: an empty database, filled by bench/dataset.py


def setup_django(args) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "acvs.settings"
    os.environ["DATABASE_URL"] = args.database_url
    create_from_template(args.database_url, args.template)
    import django

    django.setup()


def prepare_offers(args) -> int:
    """Migrate, load the reference data, make sure every offer has an accommodation type; return the offer count."""
    from django.core.management import call_command
    from django.db import connection

    from acvs.offer.models import OfferType
    from bench import dataset

    print("Migrating and loading the reference data ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    dataset.load_reference()
    if not dataset.offer_count():
        dataset.fill(args.offers, args.seed)
    family = OfferType.objects.get(code="Accommodation")
    leaf = OfferType.objects.filter(ancestors=family, is_family=False).order_by("code").first()
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO offer_offer_types (offer_id, offertype_id)
               SELECT o.id, %s FROM offer_offer o
                WHERE NOT EXISTS (SELECT 1 FROM offer_offer_types ot
                                    JOIN offer_offertype_ancestors a ON a.from_offertype_id = ot.offertype_id
                                   WHERE ot.offer_id = o.id AND a.to_offertype_id = %s)""",
            [leaf.pk, family.pk],
        )
        if cursor.rowcount:
            print(f"Gave {cursor.rowcount:,} offers the accommodation type {leaf.code}")
            cursor.execute("ANALYZE offer_offer_types")
        cursor.execute("SELECT count(*) FROM offer_offer")
        return cursor.fetchone()[0]


def calendars(seed: int, first: date, nights: int, now: datetime) -> list[str]:
    """TEMPLATES calendars as COPY text, the offer id left as a NUL placeholder.

    States come in runs (a night keeps the previous state 4 times in 5): about 60% free, 15% few left, 20% full,
    5% closed. One calendar in ten was last confirmed 10 to 60 days ago (stale: searched as unknown).
    """
    rng = random.Random(seed)
    days = [(first + timedelta(days=i)).isoformat() for i in range(nights)]
    states, weights = ["free", "few", "full", "closed"], [60, 15, 20, 5]
    out = []
    for _ in range(TEMPLATES):
        if rng.random() < 0.1:
            updated = now - timedelta(days=rng.uniform(10, 60))
        else:
            updated = now - timedelta(hours=rng.uniform(0, 72))
        stamp = updated.isoformat()
        state = rng.choices(states, weights)[0]
        lines = []
        for day in days:
            if rng.random() >= 0.8:
                state = rng.choices(states, weights)[0]
            units = {"free": str(rng.randint(2, 12)), "few": "1", "full": "0", "closed": r"\N"}[state]
            lines.append(f"\x00\t{day}\t{state}\t{units}\t{stamp}\n")
        out.append("".join(lines))
    return out


def fill_nights(args, first: date) -> None:
    """TRUNCATE, drop the indexes and constraints (but the CHECK), COPY, rebuild them as they were, VACUUM ANALYZE."""
    import psycopg

    now = datetime.now(UTC)
    with psycopg.connect(**pg_params(args.database_url), autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        offer_ids = [row[0] for row in conn.execute("SELECT id FROM offer_offer ORDER BY id")]
        constraints = conn.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype DESC",
            [TABLE],
        ).fetchall()  # u, p, then f: the foreign keys after the keys
        names = {name for name, _ in constraints}
        indexes = [
            (name, sql)
            for name, sql in conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname", [TABLE]
            )
            if name not in names
        ]
        started = time.perf_counter()
        with conn.transaction():
            conn.execute(f"TRUNCATE {TABLE}")
            for name, _ in sorted(constraints, key=lambda c: c[1].startswith("FOREIGN"), reverse=True):
                conn.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                conn.execute(f'DROP INDEX "{name}"')
        print(f"Writing {len(offer_ids) * args.nights:,} nights with COPY ...", flush=True)
        texts = calendars(args.seed, first, args.nights, now)
        rng = random.Random(args.seed + 1)
        with conn.transaction(), conn.cursor() as cursor:
            columns = "offer_id, night, state, units_free, updated_at"
            with cursor.copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
                chunk = []
                for i, offer_id in enumerate(offer_ids, 1):
                    chunk.append(rng.choice(texts).replace("\x00", str(offer_id)))
                    if len(chunk) == 500 or i == len(offer_ids):
                        copy.write("".join(chunk))
                        chunk = []
        loaded = time.perf_counter()
        print(f"  COPY {loaded - started:.0f} s; rebuilding the indexes and constraints ...", flush=True)
        for _name, sql in indexes:
            conn.execute(sql)
        for name, definition in sorted(constraints, key=lambda c: c[1].startswith("FOREIGN")):
            conn.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
        # VACUUM, not only ANALYZE: it sets the visibility map, without which index-only scans read the heap.
        conn.execute(f"VACUUM (ANALYZE) {TABLE}")
        print(f"  indexes, constraints and VACUUM ANALYZE {time.perf_counter() - loaded:.0f} s", flush=True)


def prepare_nights(args, offers: int) -> date:
    """The nights from today; reused when complete, starting today and confirmed less than 3 days ago."""
    from django.db import connection
    from django.utils import timezone

    first = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), min(night), max(updated_at) FROM {TABLE}")
        count, first_night, last_update = cursor.fetchone()
    fresh = last_update is not None and timezone.now() - last_update < timedelta(days=3)
    if args.reuse and count == offers * args.nights and first_night == first and fresh:
        print(f"Reusing the {count:,} nights already in the database")
    else:
        fill_nights(args, first)
    return first


def build_cases(first: date) -> list:
    from acvs.availability.models import AVAILABLE_STATES
    from acvs.availability.selectors import stale_before
    from acvs.network.models import Commune
    from acvs.offer.models import OfferType
    from acvs.offer.search import OfferQuery
    from bench.cases import Case, Sql

    class AvailabilitySql(Sql):
        def available(self, arrival, departure):
            """One EXISTS per night on the (night, state, offer, updated_at) index, as filter_available does."""
            states = [str(s) for s in AVAILABLE_STATES]
            cutoff = stale_before()
            for n in range((departure - arrival).days):
                self.where.append(
                    f"EXISTS (SELECT 1 FROM {TABLE} n WHERE n.offer_id = o.id AND n.night = %s"
                    f" AND n.state IN ({', '.join('%s' for _ in states)}) AND n.updated_at >= %s)"
                )
                self.params += [arrival + timedelta(days=n), *states, cutoff]
            return self

    acc = OfferType.objects.get(code="Accommodation").pk
    paris = Commune.objects.get(insee="75056")  # the commune with the most offers
    marseille = Commune.objects.get(insee="13055")
    arrival = first + timedelta(days=30)
    cases = []
    for key, title, commune, radius, nights in [
        ("paris_20km_3n", "Hébergement, 20 km of Paris, 3 nights", paris, 20, 3),
        ("marseille_20km_7n", "Hébergement, 20 km of Marseille, 7 nights", marseille, 20, 7),
        ("marseille_3n", "Hébergement in Marseille, 3 nights", marseille, None, 3),
    ]:
        departure = arrival + timedelta(days=nights)
        query = OfferQuery(types=(acc,), commune=commune, radius_km=radius, arrival=arrival, departure=departure)
        sql = AvailabilitySql().status()
        sql = sql.radius(commune.latitude, commune.longitude, radius) if radius else sql.commune(commune.insee)
        sql = sql.types([acc]).available(arrival, departure)
        cases.append(Case(key, title, "page", query, sql))
    return cases


def measure(args, cases) -> dict:
    results = {}
    for case in cases:
        rows = case.check()
        for _ in range(args.warmup):
            case.run_orm()
            case.run_raw()
        orm, raw = [], []
        for i in range(args.repeat):  # interleaved, alternating who goes first
            first, second = (case.run_raw, case.run_orm) if i % 2 else (case.run_orm, case.run_raw)
            a, b = timed(first), timed(second)
            (raw if i % 2 else orm).append(a)
            (orm if i % 2 else raw).append(b)
        orm_p50, orm_p95 = quantiles(orm)
        raw_p50, raw_p95 = quantiles(raw)
        results[case.key] = {
            "title": case.title,
            "rows": rows,
            "orm_p50": round(orm_p50, 2),
            "orm_p95": round(orm_p95, 2),
            "raw_p50": round(raw_p50, 2),
            "raw_p95": round(raw_p95, 2),
        }
        r = results[case.key]
        print(f"  {case.key}: {rows:,} rows  ORM {r['orm_p50']:.1f} / {r['orm_p95']:.1f} ms", flush=True)
    return results


def print_table(meta: dict, results: dict) -> None:
    settings = ", ".join(f"{k}={v}" for k, v in meta["settings"].items())
    print(f"\n{meta['offers']:,} accommodation offers x {meta['nights']} nights = {meta['rows']:,} rows")
    print(f"PostgreSQL {meta['server']} {settings}; {meta['machine']}; {meta['repeat']} runs per query; ms")
    header = f"| {'query':<45} | {'rows':>6} | ORM p50 | ORM p95 | raw p50 | raw p95 | target |"
    print(header)
    print("|" + "|".join("-" * len(part) for part in header.split("|")[1:-1]) + "|")
    for r in results.values():
        ok = "yes" if r["orm_p95"] <= TARGET_P95_MS else "NO"
        print(
            f"| {r['title']:<45} | {r['rows']:>6,} | {r['orm_p50']:7.1f} | {r['orm_p95']:7.1f} |"
            f" {r['raw_p50']:7.1f} | {r['raw_p95']:7.1f} | {ok:>6} |"
        )
    print(f"target: first page of 20 + count, ORM p95 <= {TARGET_P95_MS:.0f} ms")


def main(argv=None) -> int:
    args = parse_args(argv)
    setup_django(args)
    from django.db import connection

    offers = prepare_offers(args)
    first = prepare_nights(args, offers)
    settings = {}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
        for name in ("shared_buffers", "work_mem", "jit", "max_parallel_workers_per_gather"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    cases = [c for c in build_cases(first) if not args.only or c.key in args.only]
    meta = {
        "vendor": connection.vendor,
        "server": server,
        "offers": offers,
        "nights": args.nights,
        "rows": offers * args.nights,
        "repeat": args.repeat,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "settings": settings,
    }
    print(f"\nTiming {args.repeat} runs per query after {args.warmup} warm-up runs ...", flush=True)
    results = measure(args, cases)
    print_table(meta, results)
    if args.save_baseline:
        Path(args.save_baseline).write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
        print(f"\nFigures saved to {args.save_baseline}")
    if args.compare and compare(results, Path(args.compare)):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
