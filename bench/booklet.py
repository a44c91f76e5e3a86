"""Stay booklet benchmark: render a 20-offer booklet (photos, map, QR codes) as PDF and as its web version.

    uv run python bench/booklet.py                              # SQLite database var/bench-booklet.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/acvs_bench_booklet uv run python bench/booklet.py
    make bench-booklet ARGS="--compare bench/baseline-booklet.json"

A dedicated database (migrate, load_reference), one office with its branding and logo, `--offers` offers in its
area, each with a 960x640 photo, two opening periods, two prices, English texts for half of them; one booklet of
them all, grouped over 4 days with notes, in English (so half the texts fall back to French). The PDF is rendered
by WeasyPrint (`booklet.render.render_pdf`, thumbnails already made by the warm-up), the web version is fetched
through Django's test client (`GET /booklets/b/<token>/`: middleware, queries, template). Targets on this machine:
PDF p95 <= 1.5 s, web p95 <= 100 ms. See docs/performance.md.
"""

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # import acvs and bench as packages

from bench import baseline  # noqa: E402
from bench.search import quantiles, timed  # noqa: E402

DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'bench-booklet.sqlite3'}"
TARGET_PDF_MS = 1500.0
TARGET_WEB_MS = 100.0
OFFICE_SLUG = "bench-booklet"
COMMUNES = ["83036", "83048", "83101", "83119", "83068"]  # Cavalaire, La Croix-Valmer, Ramatuelle, Saint-Tropez...


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--offers", type=int, default=20, help="offers in the booklet (default 20)")
    parser.add_argument("--layout", default="classic", choices=["classic", "magazine"])
    parser.add_argument("--repeat-pdf", type=int, default=10, help="timed PDF renderings (default 10)")
    parser.add_argument("--repeat-web", type=int, default=50, help="timed web requests (default 50)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument("--save-baseline", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--compare", metavar="FILE", help="compare with a saved baseline; exit 1 on a regression")
    args = parser.parse_args(argv)
    if not 1 <= args.offers <= 200 or args.repeat_pdf < 2 or args.repeat_web < 2:
        parser.error("--offers 1..200, --repeat-pdf and --repeat-web >= 2")
    return args


def setup_django(args) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "acvs.settings"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench-booklet-media"))
    os.environ.setdefault("ACVS_MAP_TILES_URL", "")  # the drawn map: no tile server's latency in the figures
    if args.database_url.startswith(("postgres://", "postgresql://")):
        from bench.search import create_pg_database

        create_pg_database(args.database_url)
    import django

    django.setup()


def prepare(args):
    """Migrate, load the reference data, (re)build the office, its offers and the booklet; return the booklet."""
    from django.core.management import call_command

    from acvs.core.tenancy import scope_for
    from acvs.network.models import Commune, Department, Office
    from acvs.offer.models import OfferType

    print("Migrating and loading the reference data ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    if not OfferType.objects.exists():
        call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
    office, _ = Office.objects.get_or_create(
        slug=OFFICE_SLUG,
        defaults={
            "name": "Office de tourisme du banc d’essai",
            "department": Department.objects.get(code="83"),
            "address": "1 place de la Mairie",
            "email": "accueil@bench.example",
            "website": "https://bench.example",
        },
    )
    office.territory.set(Commune.objects.filter(insee__in=COMMUNES))
    with scope_for(office=office):  # the booklet, its branding and membership are the office's private rows
        return _fill(args, office)


def _fill(args, office):
    from django.conf import settings
    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    from acvs.booklet import services
    from acvs.booklet.models import Booklet, Branding
    from acvs.network.models import Commune, Membership, Role, User
    from acvs.offer.models import Offer, OfferPhoto, OfferType, OpeningPeriod, Price, Status

    if not office.logo:
        logo = Image.new("RGB", (300, 120), (15, 118, 110))
        ImageDraw.Draw(logo).text((20, 50), "OT BENCH", fill=(255, 255, 255))
        office.logo.save("bench-logo.png", ContentFile(_png(logo)), save=True)
    Branding.objects.update_or_create(
        office=office, defaults={"primary_colour": "#1d4ed8", "accent_colour": "#f59e0b", "opening_hours": "9h-18h"}
    )
    user = User.objects.filter(username="bench-booklet").first() or User.objects.create_user(
        username="bench-booklet", password="bench-booklet-password-0123"
    )
    membership, _ = Membership.objects.get_or_create(user=user, office=office, defaults={"role": Role.AGENT})
    membership = Membership.objects.select_related("office", "user").get(pk=membership.pk)

    Booklet.objects.filter(office=office).delete()
    Offer.objects.filter(owner_office=office).delete()
    for old in (Path(settings.MEDIA_ROOT) / "offers" / "photos").glob("*/bench-*.png"):
        old.unlink()  # the photos of a previous run
    communes = list(Commune.objects.filter(insee__in=COMMUNES))
    hotel = OfferType.objects.get(code="Hotel")
    today = date.today()
    offers = []
    for i in range(args.offers):
        commune = communes[i % len(communes)]
        offer = Offer.objects.create(
            name=f"Lieu de séjour {i + 1:02d}",
            owner_office=office,
            status=Status.PUBLISHED,
            commune=commune,
            latitude=commune.latitude + (i % 5 - 2) * 0.004,
            longitude=commune.longitude + (i % 3 - 1) * 0.005,
            address=f"{i + 1} chemin des Pins",
            postcode=commune.main_postcode,
            phone="+33494000000",
            website=f"https://lieu-{i + 1}.example" if i % 2 else "",
            short_description_fr="Une adresse appréciée des familles, à deux pas de la mer.",
            description_fr="Une adresse appréciée des familles. " * 12,
            short_description_en="A family favourite, a short walk from the sea." if i % 2 else "",
            description_en="A family favourite. " * 12 if i % 2 else "",
        )
        offer.types.set([hotel])
        OpeningPeriod.objects.create(
            offer=offer, start_date=today, end_date=today + timedelta(days=60), weekdays=[0, 1, 2, 3, 4, 5]
        )
        OpeningPeriod.objects.create(
            offer=offer, start_date=today - timedelta(days=90), end_date=today - timedelta(days=30), weekdays=[6]
        )
        Price.objects.create(offer=offer, label="Adulte", min_amount=Decimal("12.50"))
        Price.objects.create(offer=offer, label="Enfant", min_amount=Decimal("6"), max_amount=Decimal("8"))
        picture = Image.new("RGB", (960, 640), (20 + 10 * i % 200, 120, 180))
        ImageDraw.Draw(picture).ellipse((300, 150, 660, 510), fill=(250, 200, 60))
        photo = OfferPhoto(offer=offer, credit="Banc d’essai", position=0)
        photo.image.save(f"bench-{i + 1:02d}.png", ContentFile(_png(picture)), save=True)
        offers.append(offer)
    booklet = services.booklet_create(membership=membership, title="Votre séjour sur la presqu’île")
    booklet = services.booklet_update(
        membership=membership,
        booklet=booklet,
        version=booklet.version,
        data={
            "language": "en",
            "layout": args.layout,
            "stay_start": today,
            "stay_end": today + timedelta(days=6),
            "greeting": "Hello, here is our selection for your stay.",
        },
    )
    for i, offer in enumerate(offers):
        item = services.item_add(membership=membership, booklet=booklet, offer=offer)
        services.item_update(
            membership=membership, booklet=booklet, item_id=item.pk, day=i % 4 + 1, note="Book ahead." if i % 3 else ""
        )
    return Booklet.objects.select_related("office").get(pk=booklet.pk)


def _png(image) -> bytes:
    import io

    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def measure(args, booklet) -> dict:
    from django.db import connection
    from django.test import Client
    from pypdf import PdfReader

    from acvs.booklet import render

    site = "http://localhost"
    client = Client(HTTP_HOST="localhost")
    url = booklet.get_public_path()

    def pdf():
        measure.last_pdf = render.render_pdf(booklet, site_url=site)

    def web():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    for _ in range(args.warmup):
        pdf()
        web()
    queries = []  # counted by a wrapper: the request_started signal empties connection.queries
    with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
        web()
    pdf_ms = [timed(pdf) for _ in range(args.repeat_pdf)]
    web_ms = [timed(web) for _ in range(args.repeat_web)]
    import io

    reader = PdfReader(io.BytesIO(measure.last_pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    missing = [f"Lieu de séjour {i + 1:02d}" for i in range(args.offers) if f"Lieu de séjour {i + 1:02d}" not in text]
    assert not missing, f"offers missing from the PDF: {missing}"
    pdf_p50, pdf_p95 = quantiles(pdf_ms)
    web_p50, web_p95 = quantiles(web_ms)
    return {
        "pdf_p50": round(pdf_p50, 1),
        "pdf_p95": round(pdf_p95, 1),
        "web_p50": round(web_p50, 2),
        "web_p95": round(web_p95, 2),
        "pdf_pages": len(reader.pages),
        "pdf_kb": round(len(measure.last_pdf) / 1024),
        "web_queries": len(queries),
    }


def compare(results: dict, path: Path) -> bool:
    old = baseline.load(path)["results"]
    keys = ("pdf_p50", "pdf_p95", "web_p50", "web_p95")
    return baseline.compared(path, [(key, old.get(key), results[key], baseline.LOWER, "{:8.1f} ms") for key in keys])


def main(argv=None) -> int:
    args = parse_args(argv)
    setup_django(args)
    from django.db import connection

    started = time.perf_counter()
    booklet = prepare(args)
    print(f"Prepared {args.offers} offers and the booklet in {time.perf_counter() - started:.1f} s", flush=True)
    from acvs.core.tenancy import scope_for

    with scope_for(office=booklet.office):  # as the office's staff downloading the PDF
        results = measure(args, booklet)
    meta = {
        "offers": args.offers,
        "layout": args.layout,
        "database": connection.vendor,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    r = results
    print(f"\n{args.offers}-offer booklet ({args.layout}), {meta['database']}, {meta['machine']}")
    print(f"PDF  p50 {r['pdf_p50']:7.1f} ms  p95 {r['pdf_p95']:7.1f} ms  ({r['pdf_pages']} pages, {r['pdf_kb']} KB)")
    print(f"web  p50 {r['web_p50']:7.1f} ms  p95 {r['web_p95']:7.1f} ms  ({r['web_queries']} queries)")
    pdf_ok, web_ok = r["pdf_p95"] <= TARGET_PDF_MS, r["web_p95"] <= TARGET_WEB_MS
    print(f"target: PDF p95 <= {TARGET_PDF_MS:.0f} ms: {'yes' if pdf_ok else 'NO'}; ", end="")
    print(f"web p95 <= {TARGET_WEB_MS:.0f} ms: {'yes' if web_ok else 'NO'}")
    if args.save_baseline:
        Path(args.save_baseline).write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
        print(f"\nFigures saved to {args.save_baseline}")
    if args.compare and compare(results, Path(args.compare)):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
