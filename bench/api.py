"""API benchmark: pages of 100 offers with filters and offers' details, timed through the API's views (criteria read
by the form, the search, serialisation and JSON rendering), on an existing search benchmark database.

    uv run python bench/api.py                                  # PostgreSQL acvs_bench, as bench/search.py left it
    uv run python bench/api.py --save-baseline bench/baseline-api.json
    uv run python bench/api.py --compare bench/baseline-api.json

It only reads: the database is neither filled nor migrated (build it with bench/search.py). Requests are made with
DRF's request factory as an authenticated user without an office, so no token, session or any row is written.
Target (issue 15): a page of 100 offers with filters p95 <= 100 ms at 512,000 offers on PostgreSQL.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/acvs_bench"
TARGET_P95_MS = 100.0


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"an existing bench database ({DEFAULT_URL})")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per case, after warm-up (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per case first (default 3)")
    parser.add_argument("--save-baseline", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--compare", metavar="FILE", help="compare with a baseline; exit 1 on a regression > 20%%")
    args = parser.parse_args(argv)
    if args.repeat < 2:
        parser.error("--repeat must be >= 2")
    return args


def setup_django(database_url: str) -> None:
    sys.path[0] = str(ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "acvs.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("ACVS_ENV", "development")
    os.environ["ACVS_API_RATE"] = "1000000/min"  # the rate limit is not what is measured
    import django

    django.setup()


def cases() -> list[tuple[str, str, dict | int]]:
    """(key, title, query of the list | id of a detail)."""
    from acvs.offer.models import Offer

    since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    # A sync that finds work to do: the moment after which the last 0.5% of the offers changed.
    latest = Offer.objects.order_by("-updated_at").values_list("updated_at", flat=True)
    recent = latest[Offer.objects.count() // 200].isoformat()
    lists = [
        ("all", "100 offers, no criteria (by name)", {}),
        ("type_commune", "Accommodation in Paris", {"type": "Accommodation", "commune": "75056"}),
        ("around", "Food within 20 km of Marseille", {"type": "FoodEstablishment", "commune": "13055", "radius": "20"}),
        ("text", "text “château”", {"q": "château"}),
        ("text_type", "text “plage” + Accommodation", {"q": "plage", "type": "Accommodation"}),
        # Texts with a broad type that the planner expects under the cap, so they are counted (docs/performance.md).
        ("text_type_food", "text “plage” + FoodEstablishment", {"q": "plage", "type": "FoodEstablishment"}),
        ("text_type_hotel", "text “hôtel” + Accommodation", {"q": "hôtel", "type": "Accommodation"}),
        ("text_type_camping", "text “camping” + Accommodation", {"q": "camping", "type": "Accommodation"}),
        ("updated_since", "changed in the last day (sync)", {"updated_since": since, "order": "name"}),
        ("updated_since_many", "the 0.5% changed last (sync)", {"updated_since": recent, "order": "name"}),
        ("page_50", "no criteria, page 50", {"page": "50"}),
    ]
    found = [(key, title, query | {"per_page": "100"}) for key, title, query in lists]
    ids = list(Offer.objects.order_by("?").values_list("pk", flat=True)[:1])
    return found + [("detail", "one offer's detail", ids[0])] if ids else found


def request_for(key_or_query):
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIRequestFactory, force_authenticate

    from acvs.api import rest_views

    factory = APIRequestFactory()
    user = get_user_model()(pk=10**9, username="bench")  # never saved

    def run():
        if isinstance(key_or_query, int):
            request = factory.get(f"/api/v1/offers/{key_or_query}/")
            view, kwargs = rest_views.OfferDetail.as_view(), {"pk": key_or_query}
        else:
            request = factory.get("/api/v1/offers/", key_or_query)
            view, kwargs = rest_views.Offers.as_view(), {}
        request.membership, request.office = None, None  # what the office middleware sets
        force_authenticate(request, user=user)
        response = view(request, **kwargs)
        response.render()
        assert response.status_code == 200, (response.status_code, response.content[:300])
        body = json.loads(response.content)
        return body.get("count", 1)

    return run


def quantiles(samples):
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49], q[94]


def measure(args) -> dict:
    from django.db import connection

    results = {}
    for key, title, target in cases():
        run = request_for(target)
        rows = run()
        for _ in range(args.warmup):
            run()
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        p50, p95 = quantiles(times)
        ok = "yes" if connection.vendor != "postgresql" or key == "detail" or p95 <= TARGET_P95_MS else "NO"
        results[key] = {"title": title, "rows": rows, "p50": round(p50, 2), "p95": round(p95, 2), "target": ok}
        print(f"| {title:<40} | {rows:>8,} | {p50:7.1f} | {p95:7.1f} | {ok:>6} |", flush=True)
    return results


def compare(results: dict, path: Path) -> bool:
    from bench import baseline  # importable once setup() put the project on the path

    old = baseline.load(path)["results"]
    return baseline.compared(path, [(key, old.get(key, {}).get("p95"), r["p95"], baseline.LOWER, "p95 {:7.1f} ms")
                                    for key, r in results.items()])  # fmt: skip


def main(argv=None) -> int:
    args = parse_args(argv)
    setup_django(args.database_url)
    from django.db import connection

    from acvs.offer.models import Offer

    offers = Offer.objects.count()
    print(f"{offers:,} offers on {connection.vendor}; {platform.processor() or platform.machine()};"
          f" load average {os.getloadavg()[0]:.2f}; {args.repeat} runs per case; times in ms")  # fmt: skip
    print(f"| {'case':<40} | {'results':>8} | p50 | p95 | target |")
    results = measure(args)
    print(f"target: a page of 100 offers p95 <= {TARGET_P95_MS:.0f} ms (PostgreSQL)")
    meta = {"offers": offers, "vendor": connection.vendor, "date": datetime.now(UTC).isoformat(), "repeat": args.repeat}
    if args.save_baseline:
        Path(args.save_baseline).write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    if args.compare:
        return 1 if compare(results, Path(args.compare)) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
