"""Search benchmark: fill a database with N synthetic offers spread over France, then time a fixed set of
searches through the application's selectors beside the same searches written as raw SQL (the floor).

    uv run python bench/search.py                                  # PostgreSQL acvs_bench, 100,000 offers
    uv run python bench/search.py --offers 512000 --reuse          # the national base's size, keep the data
    uv run python bench/search.py --database-url sqlite:///var/bench.sqlite3
    make bench ARGS="--offers 512000 --compare bench/baseline-postgres-512k.json"

Targets (PostgreSQL, 512,000 offers): a page p95 <= 50 ms and <= 1.5x the raw SQL of the same plan, facets
p95 <= 150 ms. See docs/performance.md.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/acvs_bench"
TARGET_P95_MS = {"page": 50.0, "facets": 150.0}
TARGET_RATIO = 1.5  # pages only
REGRESSION = 0.20


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offers", type=int, default=100_000, help="number of offers (default 100000)")
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"postgres://... or sqlite:///path ({DEFAULT_URL})")
    parser.add_argument("--reuse", action="store_true", help="keep the offers if the database already holds N")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query, after warm-up (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per query first (default 3)")
    parser.add_argument("--seed", type=int, default=20260101, help="seed of the synthetic data")
    parser.add_argument("--only", nargs="*", default=None, help="run only these query keys")
    parser.add_argument("--save-baseline", metavar="FILE", help="write the figures as JSON")
    parser.add_argument(
        "--compare", metavar="FILE", help="compare with a saved baseline; exit 1 on a regression > 20%%"
    )
    args = parser.parse_args(argv)
    if args.offers < 1 or args.repeat < 2:
        parser.error("--offers must be >= 1 and --repeat >= 2")
    return args


def setup_django(database_url: str) -> None:
    sys.path[0] = str(ROOT)  # import acvs and bench as packages, not bench/*.py as top-level modules
    os.environ["DJANGO_SETTINGS_MODULE"] = "acvs.settings"
    os.environ["DATABASE_URL"] = database_url
    if database_url.startswith(("postgres://", "postgresql://")):
        create_pg_database(database_url)
    elif database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def create_pg_database(url: str) -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    params = {
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
            print(f"Created database {cfg['NAME']}")


def prepare(args) -> None:
    from django.core.management import call_command

    from bench import dataset

    print("Migrating and loading the reference data ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    dataset.load_reference()
    have = dataset.offer_count()
    if args.reuse and have == args.offers:
        print(f"Reusing the {have:,} offers already in the database")
    else:
        dataset.fill(args.offers, args.seed)
    dataset.check_documents()


def quantiles(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49], q[94]


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def measure(args) -> dict:
    from django.db import connection

    from bench.cases import build_cases

    results = {}
    cases = [c for c in build_cases() if not args.only or c.key in args.only]
    for case in cases:
        rows = case.check()
        for _ in range(args.warmup):
            case.run_orm()
            case.run_raw()
        orm, raw = [], []
        for i in range(args.repeat):  # interleaved, alternating who goes first, so both see the same noise
            if i % 2:
                raw.append(timed(case.run_raw))
                orm.append(timed(case.run_orm))
            else:
                orm.append(timed(case.run_orm))
                raw.append(timed(case.run_raw))
        orm_p50, orm_p95 = quantiles(orm)
        raw_p50, raw_p95 = quantiles(raw)
        results[case.key] = {
            "title": case.title,
            "kind": case.kind,
            "rows": rows,
            "orm_p50": round(orm_p50, 2),
            "orm_p95": round(orm_p95, 2),
            "raw_p50": round(raw_p50, 2),
            "raw_p95": round(raw_p95, 2),
        }
        print(f"  {case.key}: {format_row(results[case.key], connection.vendor)}", flush=True)
    return results


def verdict(r: dict, vendor: str) -> str:
    if vendor != "postgresql":
        return "n/a"
    kind = r.get("kind", "page")
    ok = r["orm_p95"] <= TARGET_P95_MS[kind] and (kind == "facets" or r["orm_p95"] <= TARGET_RATIO * r["raw_p95"])
    return "yes" if ok else "NO"


def ratio(r: dict) -> float:
    return r["orm_p95"] / r["raw_p95"] if r["raw_p95"] else float("inf")


def format_row(r: dict, vendor: str) -> str:
    return (
        f"{r['rows']:>8,} rows  ORM {r['orm_p50']:7.1f} / {r['orm_p95']:7.1f} ms"
        f"  raw {r['raw_p50']:7.1f} / {r['raw_p95']:7.1f} ms  x{ratio(r):.2f}  {verdict(r, vendor)}"
    )


def print_table(meta: dict, results: dict) -> None:
    vendor = meta["vendor"]
    print()
    settings = ", ".join(f"{k}={v}" for k, v in meta["settings"].items())
    print(f"{meta['offers']:,} offers on {vendor} {meta['server']} {settings}".rstrip())
    load = meta["load_average"]
    print(f"{meta['machine']}; load average {load[0]}–{load[1]}; {meta['repeat']} runs per query; times in ms")
    header = f"| {'query':<50} | {'rows':>8} | ORM p50 | ORM p95 | raw p50 | raw p95 | ratio | target |"
    print(header)
    print("|" + "|".join("-" * (len(part)) for part in header.split("|")[1:-1]) + "|")
    for r in results.values():
        print(
            f"| {r['title']:<50} | {r['rows']:>8,} | {r['orm_p50']:7.1f} | {r['orm_p95']:7.1f} |"
            f" {r['raw_p50']:7.1f} | {r['raw_p95']:7.1f} | {ratio(r):5.2f} | {verdict(r, vendor):>6} |"
        )
    if vendor == "postgresql":
        print(
            f"targets: page ORM p95 <= {TARGET_P95_MS['page']:.0f} ms and <= {TARGET_RATIO}x raw p95,"
            f" facets ORM p95 <= {TARGET_P95_MS['facets']:.0f} ms"
        )


def compare(results: dict, path: Path) -> bool:
    """Print the change of each figure against a baseline; True when the application regressed by more than 20%.

    An ORM figure more than 20% worse is flagged. When the raw SQL slowed down about as much (the same query on the
    same data is slower: a busy machine, another server configuration), it is reported but not counted as a
    regression of the application: that needs the ORM to lose more than 20% relative to its floor too.
    """
    baseline = json.loads(path.read_text(encoding="utf-8"))
    print(f"\nCompared with {path} ({baseline['meta']['offers']:,} offers, {baseline['meta']['date']}):")
    regressed = False
    for key, r in results.items():
        old = baseline["results"].get(key)
        if not old:
            print(f"  {key:<18} not in the baseline")
            continue
        metrics = ("orm_p50", "orm_p95", "raw_p50", "raw_p95")
        deltas = {m: (r[m] - old[m]) / old[m] if old[m] else 0.0 for m in metrics}
        flags = []
        for q in ("p50", "p95"):
            if deltas[f"orm_{q}"] > REGRESSION:
                relative = (1 + deltas[f"orm_{q}"]) / (1 + deltas[f"raw_{q}"]) - 1
                if relative > REGRESSION:
                    flags.append(f"REGRESSION {q}")
                    regressed = True
                else:
                    flags.append(f"slower {q}, raw SQL too (x{1 + deltas[f'raw_{q}']:.2f}): environment")
        changes = "  ".join(f"{m} {old[m]:.1f}->{r[m]:.1f} ({deltas[m]:+.0%})" for m in metrics)
        print(f"  {key:<18} {changes}  {'; '.join(flags) or 'ok'}")
    return regressed


def main(argv=None) -> int:
    args = parse_args(argv)
    setup_django(args.database_url)
    from django.db import connection

    prepare(args)
    settings = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0].split()[0]
            for name in ("shared_buffers", "work_mem", "jit", "max_parallel_workers_per_gather"):
                cursor.execute(f"SHOW {name}")
                settings[name] = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            server = cursor.fetchone()[0]
    meta = {
        "vendor": connection.vendor,
        "server": server,
        "offers": args.offers,
        "repeat": args.repeat,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "settings": settings,
    }
    print(f"\nTiming {args.repeat} runs per query after {args.warmup} warm-up runs ...", flush=True)
    load_before = os.getloadavg()[0]
    results = measure(args)
    # The machine's 1-minute load average before and after: figures taken on a shared machine are read with it.
    meta["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    print_table(meta, results)
    if args.save_baseline:
        Path(args.save_baseline).write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
        print(f"\nFigures saved to {args.save_baseline}")
    if args.compare and compare(results, Path(args.compare)):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
