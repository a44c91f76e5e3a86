"""Observatory benchmark: the office, département and network dashboards read from the monthly rollups at scale.

    uv run python bench/observatory.py                          # 300 offices × 24 months (about 1 million figures)
    uv run python bench/observatory.py --reuse --compare bench/baseline-observatory.json
    uv run python bench/observatory.py --offices 2300 --months 60 --save-baseline /tmp/big.json

PostgreSQL only, in its own database (default acvs_bench_observatory: migrate, départements, then synthetic offices
spread over 100 départements and their monthly figures written with COPY: every dimension with realistic numbers
of keys, seasonal values, many small cells). Each dashboard is the selector the page calls (`office_dashboard` in the
office's scope, `department_dashboard`, `network_dashboard`), timed over `--runs` runs after a warm-up, beside the
raw SQL floor of its main aggregate (the same GROUP BY sent by a cursor). The incremental refresh is timed too:
rebuilding one office's busy day (`--day-requests` raw requests) from its rows, as the worker does after a commit.
With `--offers N` the reference data and N synthetic offers (bench/dataset.py) are loaded (their figures per
département and type recounted once) and the requested types are real type codes, so that the offer/demand fit of a
département is timed too, beside its two statements sent raw, and the offers of the asked types read from their
rollup beside the count of the offers themselves (département and network). With `--record-rate R` the dashboards
are not timed: requests are recorded through the desk's service at R per second while `manage.py db_worker` keeps
the rollups, and the rollup's lag is measured
(bench/observatory_rollup.py). Targets (issue 14): p95 ≤ 500 ms per dashboard, ≤ 1 s for the fit of a
département; the rollup keeps up with 200 recorded requests per second. Figures in docs/performance-observatory.md.
"""

import argparse
import datetime
import json
import os
import platform
import random
import sys
import time
from datetime import UTC
from datetime import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from bench import baseline  # noqa: E402
from bench.search import create_pg_database, quantiles  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/acvs_bench_observatory"
TARGET_P95_MS = 500.0
TARGET_FIT_P95_MS = 1000.0
PREFIX = "bench-obs-"
# Keys per dimension, as a season of a real office has them (countries and départements are the long tails).
KEYS = {
    "channel": ["counter", "phone", "mail", "email", "web", "social"],
    "origin": ["france", "abroad"],
    "country": ["DE", "GB", "BE", "NL", "IT", "ES", "CH", "US", "CA", "AT", "PL", "SE", "DK", "NO", "IE", "PT", "CZ",
                "JP", "CN", "AU", "BR", "LU", "FI", "HU", "RO"],
    "department": [f"{n:02d}" for n in range(1, 96) if n != 20][:40],
    "profile": ["", "family", "couple", "friends", "senior", "group", "business", "solo"],
    "party": ["1", "2", "3-4", "5+", "group"],
    "language": ["fr", "en", "de", "it", "es", "nl", "pt", "ja"],
    "theme": ["randonnee", "patrimoine", "plage", "gastronomie", "famille", "velo", "nature", "culture", "sport",
              "bien-etre"],
    "type": [],  # the 30 offer types most asked (real codes, so that the fit finds their offers): type_codes()
    "missing": [],
    "outcome": ["fully", "partly", "not"],
    "stay": ["2-3", "4-7", "1", "8-14", "0", "15+"],
    "lead": ["1-7", "8-30", "0", "31-90", "91+"],
    "brochures": [str(n) for n in range(1, 21)],
    "booklets": ["made", "opened"],
}  # fmt: skip
SEASON = [0.3, 0.35, 0.6, 0.9, 1.0, 1.4, 2.6, 2.8, 1.2, 0.8, 0.35, 0.35]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"a PostgreSQL database ({DEFAULT_URL})")
    parser.add_argument("--offices", type=int, default=300, help="offices (default 300)")
    parser.add_argument("--departments", type=int, default=100, help="départements they spread over (default 100)")
    parser.add_argument("--months", type=int, default=24, help="months of figures (default 24)")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per dashboard (default 15)")
    parser.add_argument("--day-requests", type=int, default=400, help="requests of the refreshed day (default 400)")
    parser.add_argument(
        "--offers", type=int, default=0, help="synthetic offers for the fit (bench/dataset.py; 512000: a national base)"
    )
    parser.add_argument(
        "--record-rate",
        type=float,
        default=0,
        help="instead of the dashboards: record this many requests per second through the desk's service while the "
        "worker keeps the rollups, and measure the rollup's lag (bench/observatory_rollup.py)",
    )
    parser.add_argument("--record-seconds", type=int, default=60, help="how long to record (default 60)")
    parser.add_argument("--record-offices", type=int, default=200, help="offices recording (default 200)")
    parser.add_argument("--recorders", type=int, default=3, help="recording processes (default 3)")
    parser.add_argument("--workers", type=int, default=1, help="db_worker processes (default 1, as the Procfile)")
    parser.add_argument("--reuse", action="store_true", help="keep the figures already generated if they match")
    parser.add_argument("--save-baseline", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--compare", metavar="FILE", help="compare with a saved baseline; exit 1 on a regression")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("this benchmark needs PostgreSQL")
    if not (1 <= args.offices <= 5000 and 1 <= args.departments <= 100 and 1 <= args.months <= 120):
        parser.error("--offices 1..5000, --departments 1..100, --months 1..120")
    return args


def setup(args) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "acvs.settings"
    os.environ["DATABASE_URL"] = args.database_url
    create_pg_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def type_codes() -> list[str]:
    """The offer types asked, most asked first: the dataset's most frequent types, then the families."""
    from bench.words import FAMILY_WEIGHTS, TYPE_BOOST

    boosted = sorted(TYPE_BOOST, key=lambda code: -TYPE_BOOST[code])
    return list(dict.fromkeys(boosted + list(FAMILY_WEIGHTS)))[:30]


def ensure_offers(args) -> int:
    """The reference (départements, offer types, communes) and, with --offers, the synthetic offers of the fit."""
    from bench import dataset

    dataset.load_reference()
    KEYS["type"], KEYS["missing"] = type_codes(), type_codes()[:8]
    have = dataset.offer_count()
    if args.offers and not (args.reuse and have == args.offers):
        dataset.fill(args.offers, 20260101)
    # The offers were bulk-written (no signal): their figures per département and type are counted once, as
    # `manage.py observatory_recount` does after a bulk load.
    from django.db import connection

    from acvs.observatory.services import recount_offers

    started = time.monotonic()
    recount_offers()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE observatory_offerfigure")
    print(f"Offers per département and type recounted in {time.monotonic() - started:.1f} s", flush=True)
    return dataset.offer_count()


def ensure_offices(args) -> list:
    from django.db import connection

    from acvs.network.models import Department, Office

    departments = list(Department.objects.order_by("code")[: args.departments])
    have = {o.slug: o for o in Office.objects.filter(slug__startswith=PREFIX)}
    new = [
        Office(name=f"Office bench {n:04d}", slug=f"{PREFIX}{n:04d}", department=departments[n % len(departments)])
        for n in range(args.offices)
        if f"{PREFIX}{n:04d}" not in have
    ]
    Office.objects.bulk_create(new, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE network_office")
    return list(Office.objects.filter(slug__startswith=PREFIX).order_by("slug")[: args.offices])


def months_until(last: datetime.date, count: int) -> list[datetime.date]:
    from acvs.observatory.selectors import add_months

    return [add_months(last, -n) for n in reversed(range(count))]


def fill_figures(args, offices, months) -> int:
    """The monthly figures of every office, written with COPY (seeded: the same data every time)."""
    from django.db import connection, transaction

    from acvs.observatory.models import AreaFigure, MonthlyFigure
    from acvs.observatory.services import _write_areas

    ids = [o.pk for o in offices]
    expected = len(ids) * len(months)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT (office_id, month)) FROM observatory_monthlyfigure WHERE dimension = 'requests'"
        )
        have = cursor.fetchone()[0]
    if args.reuse and have == expected:
        print(f"Reusing the figures of {len(ids)} offices × {len(months)} months")
        return MonthlyFigure._base_manager.count()
    print(f"Writing the figures of {len(ids)} offices × {len(months)} months ...", flush=True)
    started = time.monotonic()
    rng = random.Random(14)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE observatory_monthlyfigure")
        with cursor.cursor.copy(
            "COPY observatory_monthlyfigure (office_id, month, dimension, key, value) FROM STDIN"
        ) as copy:
            for office_id in ids:
                size = rng.lognormvariate(5.5, 0.8)  # requests in an average month: most offices small, a few large
                for month in months:
                    requests = max(1, round(size * SEASON[month.month - 1] * rng.uniform(0.8, 1.2)))
                    copy.write_row((office_id, month, "requests", "", requests))
                    copy.write_row((office_id, month, "visitors", "", requests * rng.randint(3, 8)))
                    copy.write_row((office_id, month, "nights", "", requests * rng.randint(2, 5)))
                    copy.write_row((office_id, month, "lead_days", "", requests * rng.randint(5, 30)))
                    for dimension, keys in KEYS.items():
                        # A Zipf-like share: the first keys take most requests, the tail has small cells.
                        weights = [1 / (rank + 1) for rank in range(len(keys))]
                        total = sum(weights)
                        for key, weight in zip(keys, weights, strict=True):
                            value = round(requests * weight / total * rng.uniform(0.7, 1.3))
                            if value:
                                copy.write_row((office_id, month, dimension, key, value))
        cursor.execute("TRUNCATE observatory_areafigure")
    count = MonthlyFigure._base_manager.count()
    print(f"  {count:,} figures in {time.monotonic() - started:.1f} s; the areas' sums ...", flush=True)
    with transaction.atomic():
        _write_areas({o.department_id for o in offices}, set(months))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE observatory_monthlyfigure")
        cursor.execute("ANALYZE observatory_areafigure")
    print(f"  {AreaFigure.objects.count():,} figures of areas, {time.monotonic() - started:.1f} s in all", flush=True)
    return count


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm-up (caches of labels, plans)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return quantiles(samples) if runs >= 2 else (samples[0], samples[0])


def raw_floor(queryset, runs: int) -> tuple[float, float]:
    """The main aggregate of a dashboard sent as raw SQL: what the database alone needs."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return timed(run, runs)


def measure_refresh(args, office) -> float:
    """Rebuild one busy day of an office from its raw rows (what the worker does after a commit), in ms."""
    from django.utils import timezone

    from acvs.core.tenancy import scope_for
    from acvs.desk.models import VisitorRequest
    from acvs.observatory.services import refresh

    day = timezone.localdate() - datetime.timedelta(days=1)
    zone = timezone.get_current_timezone()
    with scope_for(office=office):
        VisitorRequest.objects.filter(office=office).delete()
        VisitorRequest.objects.bulk_create(
            [
                VisitorRequest(
                    office=office,
                    origin="abroad",
                    country="DE",
                    language="de",
                    channel="counter",
                    received_at=dt.combine(day, datetime.time(9 + n % 9, n % 60), zone),
                )  # fmt: skip
                for n in range(args.day_requests)
            ]
        )
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        refresh([(office.pk, day)])
        samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples)[2]


def measure_fit(args, office, department, period) -> tuple[float, float, float, float, int]:
    """The offer/demand fit of a département as its page computes it (the types asked and missing in its area
    figures, beside its published offers of those types), and its two statements sent raw."""
    from types import SimpleNamespace

    from django.db import connection

    from acvs.core.tenancy import scope_for
    from acvs.observatory import selectors
    from acvs.observatory.models import AreaFigure, OfferFigure

    territory = OfferFigure.objects.filter(department=department)
    fit = SimpleNamespace(period=period, suppress=True, gaps=[])

    def page():
        with scope_for(office=office):
            demand = selectors._sums(AreaFigure.objects.filter(department=department), period)
            selectors.offer_demand_fit(fit, demand, territory)

    page()
    demand = selectors._sums(AreaFigure.objects.filter(department=department), period)
    asked, missing = selectors.fit_demand(period, demand)
    demand_sql = (
        selectors._periods(AreaFigure.objects.filter(department=department), period)
        .values_list("month", "dimension", "key")
        .annotate(total=selectors.Sum("value"))
        .order_by()
        .query.sql_with_params()
    )
    offers_sql = selectors.published_figures(territory, set(asked) | set(missing)).query.sql_with_params()

    def raw():
        with connection.cursor() as cursor:
            for sql, params in (demand_sql, offers_sql):
                cursor.execute(sql, params)
                cursor.fetchall()

    p50, p95 = timed(page, args.runs)
    raw50, raw95 = timed(raw, args.runs)
    return p50, p95, raw50, raw95, len(fit.gaps)


def measure_offer_counts(args, department, period) -> dict:
    """The offer side of the fit read from the rollup (OfferFigure) beside the count of the offers themselves that
    the pages made before it (`published_counts`), for a département and for the network, on the same data."""
    from acvs.observatory import selectors
    from acvs.observatory.models import AreaFigure, OfferFigure

    demand = selectors._sums(AreaFigure.objects.filter(department=None), period)
    asked, missing = selectors.fit_demand(period, demand)
    codes = set(asked) | set(missing)
    ways = {
        "offers_department_rollup": lambda: list(
            selectors.published_figures(OfferFigure.objects.filter(department=department), codes)
        ),
        "offers_department_live": lambda: list(selectors.published_counts({"commune__department": department}, codes)),
        "offers_network_rollup": lambda: list(selectors.published_figures(OfferFigure.objects.all(), codes)),
        "offers_network_live": lambda: list(selectors.published_counts({}, codes)),
    }
    results = {}
    for key, fn in ways.items():
        runs = max(3, args.runs // 3) if key.endswith("live") else args.runs
        p50, p95 = timed(fn, runs)
        results[key] = {"p50": round(p50, 1), "p95": round(p95, 1)}
        print(f"  {key:<26} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms", flush=True)
    return results


def measure(args, offices, months) -> dict:
    from django.utils import translation

    from acvs.core.tenancy import all_offices, scope_for
    from acvs.observatory import selectors
    from acvs.observatory.models import AreaFigure, MonthlyFigure

    translation.activate("fr")
    period = selectors.Period(months[-12], months[-1])
    office = offices[len(offices) // 2]
    department = office.department
    results = {}

    def office_dashboard():
        with scope_for(office=office):
            selectors.office_dashboard(office, period)

    def department_dashboard():
        with scope_for(office=office):
            selectors.department_dashboard(department, period)

    def network_dashboard():
        with scope_for(office=office):
            selectors.network_dashboard(period)

    with all_offices("statistics"):
        floors = {
            "office": MonthlyFigure.objects.filter(office=office),
            "department": AreaFigure.objects.filter(department=department),
            "network": AreaFigure.objects.filter(department=None),
        }
        for key, queryset in floors.items():
            floors[key] = (
                selectors._periods(queryset, period)
                .values_list("month", "dimension", "key")
                .annotate(total=selectors.Sum("value"))
                .order_by()
            )
        for key, fn in (
            ("office", office_dashboard),
            ("department", department_dashboard),
            ("network", network_dashboard),
        ):
            p50, p95 = timed(fn, args.runs)
            raw50, raw95 = raw_floor(floors[key], args.runs)
            results[key] = {
                "p50": round(p50, 1),
                "p95": round(p95, 1),
                "raw_p50": round(raw50, 1),
                "raw_p95": round(raw95, 1),
            }
            print(
                f"  {key:<12} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  raw SQL p50 {raw50:7.1f} ms  p95 {raw95:7.1f} ms",
                flush=True,
            )
        fit50, fit95, raw50, raw95, gaps = measure_fit(args, office, department, period)
        results["fit"] = {
            "p50": round(fit50, 1),
            "p95": round(fit95, 1),
            "raw_p50": round(raw50, 1),
            "raw_p95": round(raw95, 1),
            "gaps": gaps,
        }
        print(
            f"  {'fit (dép.)':<12} p50 {fit50:7.1f} ms  p95 {fit95:7.1f} ms  raw SQL p50 {raw50:7.1f} ms  p95 "
            f"{raw95:7.1f} ms  ({gaps} types)",
            flush=True,
        )
        results.update(measure_offer_counts(args, department, period))
    day = measure_refresh(args, offices[0])
    results["refresh_day"] = {"ms": round(day, 1), "requests": args.day_requests}
    print(f"  refresh of a day of {args.day_requests} requests: {day:.1f} ms", flush=True)
    return results


def compare(results: dict, path: Path) -> bool:
    saved = baseline.load(path)
    rows = []
    for key, r in results.items():
        metric = {"refresh_day": "ms", "rollup": "lag_p95_s"}.get(key, "p95")
        unit = "s" if key == "rollup" else "ms"
        rows.append((f"{key} {metric}", saved["results"].get(key, {}).get(metric), r[metric], baseline.LOWER,
                     f"{{:8.1f}} {unit}"))  # fmt: skip
    return baseline.compared(path, rows, about=f"{saved['meta']['figures']:,} figures, {saved['meta']['date']}")


def main(argv=None) -> int:
    args = parse_args(argv)
    setup(args)
    from django.db import connection
    from django.utils import timezone

    offers = ensure_offers(args)
    offices = ensure_offices(args)
    months = months_until(timezone.localdate().replace(day=1), args.months)
    figures = fill_figures(args, offices, months)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    meta = {
        "vendor": connection.vendor,
        "server": server,
        "offices": len(offices),
        "departments": args.departments,
        "months": args.months,
        "figures": figures,
        "offers": offers,
        "runs": args.runs,
        "date": dt.now(UTC).strftime("%Y-%m-%d"),
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    if args.record_rate:
        from bench import observatory_rollup

        results = {"rollup": observatory_rollup.run(args, offices)}
        meta["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    else:
        print(f"\n{figures:,} monthly figures; load average {meta['load_average']}; timing {args.runs} runs each:")
        results = measure(args, offices, months)
        over = [key for key in ("office", "department", "network") if results[key]["p95"] > TARGET_P95_MS]
        over += ["fit"] if results["fit"]["p95"] > TARGET_FIT_P95_MS else []
        print(
            f"\nTarget p95 ≤ {TARGET_P95_MS:.0f} ms (dashboards), ≤ {TARGET_FIT_P95_MS:.0f} ms (fit): "
            f"{'missed by ' + ', '.join(over) if over else 'met'}"
        )
    if args.save_baseline:
        Path(args.save_baseline).write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
        print(f"Figures saved to {args.save_baseline}")
    if args.compare and compare(results, Path(args.compare)):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
