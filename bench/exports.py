"""Export benchmark: the time to export a search's offers in every registered format, and the agenda's iCal feed.

    uv run python bench/exports.py                              # SQLite database var/bench-exports.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/acvs_bench_exports uv run python bench/exports.py
    make bench-exports ARGS="--compare bench/baseline-exports.json"

A dedicated database (migrate, load_reference, the demo's `--offers` offers without photos). Each format exports
every offer (`ACVS_EXPORT_MAX_OFFERS` raised to hold them) as the export view does: `offer.exports.selection` (the
one search interface, then the rows with what the format reads) and the format's `render`; the iCal feed renders
every published event's dates of the coming year. Prints the median and p95 in ms, the size, and compares with a
saved baseline (a regression is more than 20 % slower).
"""

import argparse
import io
import json
import os
import platform
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # import acvs and bench as packages

from bench import baseline  # noqa: E402
from bench.search import quantiles, timed  # noqa: E402

DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'bench-exports.sqlite3'}"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--offers", type=int, default=2000, help="demo offers in the database (default 2000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per format (default 5)")
    parser.add_argument("--save-baseline", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--compare", metavar="FILE", help="compare with a saved baseline; exit 1 on a regression")
    args = parser.parse_args(argv)
    if not 10 <= args.offers <= 20_000 or args.repeat < 2:
        parser.error("--offers 10..20000, --repeat >= 2")
    return args


def setup_django(args) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "acvs.settings"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("ACVS_ENV", "development")
    if args.database_url.startswith(("postgres://", "postgresql://")):
        from bench.search import create_pg_database

        create_pg_database(args.database_url)
    import django

    django.setup()


def prepare(args) -> None:
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from acvs.offer.models import Offer, OfferType

    print("Migrating and loading the reference data and the demo ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    if not OfferType.objects.exists():
        call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if Offer.objects.count() != args.offers:
        with scopes_disabled():
            call_command("load_demo", offers=args.offers, reset=True, no_photos=True, stdout=io.StringIO())


def measure(args) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from acvs.interop import ical, selectors
    from acvs.offer import exports
    from acvs.offer.models import Offer
    from acvs.offer.search import OfferQuery

    settings.ACVS_EXPORT_MAX_OFFERS = Offer.objects.count()
    query = OfferQuery(statuses=(), order="name")
    results = {}
    for export in exports.available():
        sizes = []

        def run(export=export, sizes=sizes):
            sizes.append(len(export.render(exports.selection(query, export), "https://acvs.example/")))

        run()  # warm-up
        samples = [timed(run) for _ in range(args.repeat)]
        p50, p95 = quantiles(samples)
        results[export.code] = {"p50": round(p50, 1), "p95": round(p95, 1), "kb": sizes[-1] // 1024}
    start = timezone.localdate()
    sizes = []

    def feed():
        dates = selectors.feed_events({}, start, start + timedelta(days=365))
        sizes.append((len(dates), len(ical.calendar(dates, name="Agenda", host="acvs.example"))))

    feed()
    samples = [timed(feed) for _ in range(args.repeat)]
    p50, p95 = quantiles(samples)
    results["ics"] = {"p50": round(p50, 1), "p95": round(p95, 1), "kb": sizes[-1][1] // 1024, "dates": sizes[-1][0]}
    return results


def compare(results: dict, path: Path) -> bool:
    old = baseline.load(path)["results"]
    return baseline.compared(path, [(code, old.get(code, {}).get("p95"), figures["p95"], baseline.LOWER,
                                     "p95 {:9.1f} ms") for code, figures in results.items()])  # fmt: skip


def main(argv=None) -> int:
    args = parse_args(argv)
    setup_django(args)
    from django.db import connection

    prepare(args)
    results = measure(args)
    meta = {
        "offers": args.offers,
        "database": connection.vendor,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    print(f"\nExports of {args.offers} offers, {meta['database']}, {meta['machine']}")
    for code, r in results.items():
        extra = f", {r['dates']} dates" if "dates" in r else ""
        print(f"{code:<7} p50 {r['p50']:9.1f} ms  p95 {r['p95']:9.1f} ms  ({r['kb']} KB{extra})")
    if args.save_baseline:
        Path(args.save_baseline).write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
        print(f"\nFigures saved to {args.save_baseline}")
    if args.compare and compare(results, Path(args.compare)):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
