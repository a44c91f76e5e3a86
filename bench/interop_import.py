"""DATAtourisme import benchmark on PostgreSQL: N synthetic points of interest in the real flux's shape, imported as
the background worker imports them (dry run, then commit), then the same unchanged files imported again.

    uv run python bench/interop_import.py                                # 5,000 points of interest, Var and 04
    uv run python bench/interop_import.py --pois 20000 --area france
    uv run python bench/interop_import.py --pois 5000 --profile          # cProfile of each phase, 25 hottest
    BENCH_SORT=tottime BENCH_LINES=60 BENCH_PSTATS=/tmp/p uv run python bench/interop_import.py --profile
                                                                         # own time, 60 lines, stats in /tmp/p-first
    uv run python bench/interop_import.py --pois 20000 --per-file 5000 --workers 2   # 4 files, 2 at once
    uv run python bench/interop_import.py --save-baseline bench/baseline-interop-import.json
    uv run python bench/interop_import.py --compare bench/baseline-interop-import.json

The points of interest are the 2,550 real objects of a complete 2020 regional flux (shared data,
datatourisme-samples/flux-2020-centre-val-de-loire.zip) used as templates in turn: each copy gets its own @id and
identifier, a made-up name, a commune of Var and Alpes-de-Haute-Provence (`--area var`) or of the whole of France
(`--area france`) with its postcode, INSEE code and a position near its centre, its own phone, email and website
(so that two copies are never the same business to the matching), and keeps the template's types, descriptions,
opening hours, prices, media and the rest. They are written as flux zips (index.json + objects/h/hh/<id>.json) of
`--per-file` objects each (the importer takes at most 20,000 records and 100 MB unzipped per file; a real object
weighs about 12 KB, so about 8,000 fit in a file).

Each file goes through `services.import_prepare` (read and mapped as in the request; its dry run then runs as the
worker runs it: the task backend is the immediate one) and `services.import_commit` (the commit, batch by batch,
leaving out the few records a field refuses: real objects hold some, such as a negative capacity), as a network
administrator of an office, in its tenancy scope. Then the same files again: nothing may change (every
line "unchanged", no offer's version moves). The base may first be filled with `--existing` synthetic offers of the
search benchmark (bench/dataset.py) for the matching to have candidates. Target (issue 15): 512,000 points of
interest imported <= 5 min, the unchanged re-import <= 1 min.
"""

import argparse
import cProfile
import io
import json
import logging
import os
import platform
import pstats
import random
import sys
import time
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # import acvs and bench as packages

from bench import baseline  # noqa: E402
from bench.search import create_pg_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/acvs_interop_import"
TEMPLATES = Path("/work/shared/data/datatourisme-samples/flux-2020-centre-val-de-loire.zip")
NATIONAL = 512_000
TARGET_FIRST_S, TARGET_AGAIN_S = 300.0, 60.0
SYLLABLES = ["ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "zo", "ka", "lu", "mo",
             "ne", "ri", "to"]  # fmt: skip
HEADS = ["Domaine", "Mas", "Bastide", "Auberge", "Atelier", "Jardin", "Chapelle", "Moulin", "Relais", "Maison"]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"a PostgreSQL database ({DEFAULT_URL})")
    parser.add_argument("--pois", type=int, default=5_000, help="points of interest (default 5000)")
    parser.add_argument("--per-file", type=int, default=0,
                        help="objects per flux zip (default 0: as many as the importer takes, <= 20,000 records and"
                             " <= 100 MB unzipped)")  # fmt: skip
    parser.add_argument("--area", choices=["var", "france"], default="var", help="communes: Var and 04, or France")
    parser.add_argument("--existing", type=int, default=0, help="synthetic offers in the base first (default 0)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=1,
                        help="files imported at once by so many processes, as so many task workers take one file's"
                             " job each (default 1)")  # fmt: skip
    parser.add_argument("--profile", action="store_true", help="cProfile each phase, print the 25 hottest")
    parser.add_argument(
        "--seeded",
        action="store_true",
        help="no first import: the base written in bulk as a first import leaves it (offers of"
        " bench/dataset.py, each POI's provenance as the import stores it), then the re-import",
    )
    parser.add_argument("--again-only", action="store_true",
                        help="only the unchanged re-import, of a base a previous run with the same --pois, --per-file,"
                             " --area and --seed left imported")  # fmt: skip
    parser.add_argument("--save-baseline", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--compare", metavar="FILE", help="compare with a baseline; exit 1 on a rate 20%% worse")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("this benchmark needs PostgreSQL")
    if args.workers < 1 or (args.profile and args.workers > 1):
        parser.error("--workers must be at least 1, and 1 with --profile")
    if not 0 <= args.per_file <= 20_000:
        parser.error("--per-file must be between 0 (as many as fit) and 20000 (the importer's limit)")
    return args


# --- the synthetic flux --------------------------------------------------------------------------------------------


def load_templates() -> list[bytes]:
    """The real objects of the 2020 flux, as their JSON text."""
    with zipfile.ZipFile(TEMPLATES) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("objects/") and n.endswith(".json"))
        return [archive.read(n) for n in names]


def made_up_word(i: int, rng: random.Random) -> str:
    """A pronounceable word of its own per number (so two names share few trigrams)."""
    syllables, n = [], i + 1
    while n:
        n, k = divmod(n, len(SYLLABLES))
        syllables.append(SYLLABLES[k])
    syllables += [rng.choice(SYLLABLES) for _ in range(max(0, 4 - len(syllables)))]
    return "".join(syllables).capitalize()


def _first(node):
    return node[0] if isinstance(node, list) and node else node


def point_of_interest(template: bytes, i: int, commune: tuple, rng: random.Random) -> dict:
    insee, name, postcode, latitude, longitude = commune
    obj = json.loads(template)
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"acvs-bench-poi-{i}")
    word = made_up_word(i, rng)
    obj["@id"] = f"https://data.datatourisme.fr/99/{key}"
    obj["dc:identifier"] = f"BENCH{i:08d}"
    obj["rdfs:label"] = {"fr": [f"{rng.choice(HEADS)} {word}"], "en": [f"{word}"]}
    obj["lastUpdateDatatourisme"] = "2026-11-30T04:00:00.000Z"
    place = _first(obj.get("isLocatedAt")) or {}
    address = _first(place.get("schema:address")) or {}
    address["schema:addressLocality"], address["schema:postalCode"] = name, postcode
    city = _first(address.get("hasAddressCity"))
    if isinstance(city, dict):
        city["insee"], city["@id"], city["rdfs:label"] = insee, f"kb:{insee}", {"fr": [name]}
    geo = place.get("schema:geo") or {}
    geo["schema:latitude"] = f"{latitude + rng.uniform(-0.02, 0.02):.7f}"
    geo["schema:longitude"] = f"{longitude + rng.uniform(-0.02, 0.02):.7f}"
    for contact in obj.get("hasContact") or []:
        if isinstance(contact, dict):
            contact["schema:telephone"] = [f"+33 4 {90 + i // 10**6 % 10} {i // 10**4 % 100:02d} {i // 100 % 100:02d}"
                                           f" {i % 100:02d}"]  # fmt: skip
            contact["schema:email"] = [f"contact@{word.lower()}.example.org"]
            contact["foaf:homepage"] = [f"https://www.{word.lower()}.example.org/"]
    return obj


def build_files(n: int, per_file: int, communes: list[tuple], seed: int) -> list[bytes]:
    """The flux split into zips the importer takes: `per_file` objects each, or (0) as many as fit in its limits
    (20,000 records, 100 MB unzipped: a national flux of 512,000 objects of ~21 KB is then ~110 files)."""
    from acvs.interop.importing.base import MAX_RECORDS, MAX_UNZIPPED

    templates, rng = load_templates(), random.Random(seed)
    files, i, pending = [], 0, None
    while i < n:
        buffer, index, size = io.BytesIO(), [], 0
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            while i < n and len(index) < (per_file or MAX_RECORDS):
                obj = pending or point_of_interest(templates[i % len(templates)], i, rng.choice(communes), rng)
                content, pending = json.dumps(obj, ensure_ascii=False).encode(), None
                if not per_file and size + len(content) > MAX_UNZIPPED:
                    pending = obj  # the first of the next file
                    break
                size += len(content)
                key = obj["@id"].rsplit("/", 1)[1]
                path = f"{key[0]}/{key[:2]}/99-{key}.json"
                archive.writestr(f"objects/{path}", content)
                label = obj["rdfs:label"]["fr"][0]
                index.append({"label": label, "lastUpdateDatatourisme": obj["lastUpdateDatatourisme"], "file": path})
                i += 1
            archive.writestr("index.json", json.dumps(index, ensure_ascii=False))
        files.append(buffer.getvalue())
    return files


# --- the base ----------------------------------------------------------------------------------------------------


def prepare(args):
    """The reference data, the bench office and its administrator, the communes; the base emptied of a previous
    run's offers and imports (kept with --again-only)."""
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from acvs.core.models import Job
    from acvs.interop.models import ImportedRecord, ImportRun
    from acvs.network.models import Commune, Membership, Office, Role, User
    from bench import dataset

    call_command("migrate", verbosity=0, interactive=False)
    dataset.load_reference()
    with scopes_disabled():
        Job.objects.filter(kind__startswith="interop.").delete()
        ImportRun.objects.all().delete()
        if args.again_only:
            assert ImportedRecord.objects.count() >= args.pois * 0.99, "--again-only: no previous import of this size"
        elif args.seeded:
            ImportedRecord.objects.all().delete()
            dataset.fill(args.pois, args.seed)  # one offer per point of interest, to carry its provenance
        elif args.existing:
            ImportedRecord.objects.all().delete()
            dataset.fill(args.existing, args.seed)  # empties the offers first
        else:
            ImportedRecord.objects.all().delete()
            dataset._empty_offers()
        office = Office.objects.get(slug=f"{dataset.BENCH_OFFICE_PREFIX}83")
        user, _ = User.objects.get_or_create(username="bench-interop-import")
        Membership.objects.update_or_create(user=user, office=office, defaults={"role": Role.NETWORK_ADMIN})
        communes = Commune.objects.filter(latitude__isnull=False)
        if args.area == "var":
            communes = communes.filter(department__code__in=["83", "04"])
        rows = communes.order_by("insee").values_list("insee", "name", "postcodes", "latitude", "longitude")
        communes = [(insee, name, (codes or "").split("|")[0], lat, lon) for insee, name, codes, lat, lon in rows]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return office, user, communes


def seed_provenance(files: list[bytes]) -> int:
    """Each point of interest's provenance as the first import stores it (source id, date, digest, per-field values:
    the same sizes), on the offers written by `dataset.fill`, in bulk: what an unchanged re-import reads of the base,
    without the hour a first import of 20,000 takes today. The records the import would refuse (a field's check, 1 in
    1,000) get one too: they are then "unchanged", not refused."""
    from django.db import transaction
    from django_scopes import scopes_disabled

    from acvs.interop.importing import connectors, services
    from acvs.interop.importing.base import read_records
    from acvs.interop.models import ImportedRecord
    from acvs.network.models import Commune
    from acvs.offer.models import Offer

    with scopes_disabled(), transaction.atomic():
        offers = iter(Offer.objects.order_by("pk").values_list("pk", flat=True))
        communes = set(Commune.objects.values_list("insee", flat=True))
        rows = []
        for k, content in enumerate(files):
            records = read_records(connectors.get("datatourisme"), f"flux-{k}.zip", content)
            codes = {c for r in records for c in r.get("types", [])}
            context = services._Context(*services._Context.type_tables(codes), {}, {}, None)
            for record in records:
                types = [] if record.get("refused") else context.precise_types(record["types"])
                if not types or record["insee"] not in communes:
                    continue
                sources = services._source_children(record)
                values = {name: {"source": services._raw(record, name), "stored": services._raw(record, name)}
                          for name in [*record["fields"], *services.TRACKED]}  # fmt: skip
                values |= {name: {"source": sources[name] or "", "stored": sources[name] or ""}
                           for name in services.CHILDREN}  # fmt: skip
                values["types"]["stored"] = " ".join(t.code for t in types)
                rows.append(ImportedRecord(source="datatourisme", source_id=record["source_id"], offer_id=next(offers),
                                           source_updated=record["updated"], values=values,
                                           source_digest=services._digest(record, types)))  # fmt: skip
        ImportedRecord.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- the runs ------------------------------------------------------------------------------------------------------


def import_files(files: list[bytes], office, user, profiler) -> dict:
    """Every file through the services, as the worker plays them: seconds per step and the lines' actions."""
    from acvs.core.tenancy import scope_for
    from acvs.interop.importing import services
    from acvs.interop.models import ImportRun
    from acvs.network.models import Membership

    times, actions = {"prepare": 0.0, "commit": 0.0}, {}
    with scope_for(office=office):
        m = Membership.objects.select_related("office", "user").get(user=user, office=office)
        for k, content in enumerate(files):
            if profiler:
                profiler.enable()
            start = time.perf_counter()
            run = services.import_prepare(membership=m, name=f"flux-{k}.zip", content=content)
            times["prepare"] += time.perf_counter() - start
            run.refresh_from_db()
            assert run.status == ImportRun.Status.CHECKED, run.status
            start = time.perf_counter()
            services.import_commit(membership=m, run=run, exclude_refused=True)  # as an office does a large flux
            times["commit"] += time.perf_counter() - start
            if profiler:
                profiler.disable()
            run.refresh_from_db()
            assert run.status == ImportRun.Status.COMMITTED, (run.status, _first_refusal(run.report))
            for line in run.report:
                actions[line["action"]] = actions.get(line["action"], 0) + 1
    return {"times": times, "actions": actions}


def import_at_once(files: list[bytes], office, user, workers: int) -> dict:
    """`import_files` in `workers` processes, each given every workers-th file, as task workers each take the next
    file's job: the time is the wall clock's, the lines' actions the sum."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each process opens its own
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        shares = pool.starmap(import_files, [(files[k::workers], office, user, None) for k in range(workers)])
    actions = {}
    for share in shares:
        for action, n in share["actions"].items():
            actions[action] = actions.get(action, 0) + n
    return {"times": {f"{workers} workers": time.perf_counter() - start}, "actions": actions}


def _first_refusal(report: list[dict]):
    return next((line for line in report if line["action"] in {"refused", "review"}), None)


def read_seconds(files: list[bytes]) -> float:
    """Reading and mapping alone (part of `prepare`: the request's share)."""
    from acvs.interop.importing import connectors
    from acvs.interop.importing.base import read_records

    start = time.perf_counter()
    for k, content in enumerate(files):
        read_records(connectors.get("datatourisme"), f"flux-{k}.zip", content)
    return time.perf_counter() - start


def fingerprint() -> tuple:
    from django.db.models import Max, Sum
    from django_scopes import scopes_disabled

    from acvs.offer.models import Offer

    with scopes_disabled():
        return tuple(Offer.objects.aggregate(n=Sum(1), versions=Sum("version"), last=Max("updated_at")).values())


def report_phase(title: str, n: int, result: dict, target: float) -> dict:
    total = sum(result["times"].values())
    rate = n / total if total else 0.0
    national = NATIONAL / rate if rate else 0.0
    verdict = "ok" if national <= target else "SLOW"
    steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in result["times"].items())
    print(f"{title}: {total:.1f} s ({steps}); {rate:,.0f} records/s; {result['actions']}")
    print(f"  at {NATIONAL:,}: {national / 60:.1f} min (target <= {target / 60:.0f} min) {verdict}")
    return {"seconds": round(total, 2), "per_second": round(rate, 1), "national_minutes": round(national / 60, 1),
            "steps": {k: round(v, 2) for k, v in result["times"].items()}, "actions": result["actions"]}  # fmt: skip


def compare(results: dict, path: Path) -> bool:
    old = baseline.load(path)["results"]
    return baseline.compared(path, [(key, old.get(key, {}).get("per_second"), r["per_second"], baseline.HIGHER,
                                     "{:8.1f} records/s") for key, r in results.items()])  # fmt: skip


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "acvs.settings"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("ACVS_ENV", "development")
    create_pg_database(args.database_url)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import override_settings

    # The worker's work, in this process: the task queued when the transaction commits runs at once.
    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}).enable()

    office, user, communes = prepare(args)
    started = time.perf_counter()
    files = build_files(args.pois, args.per_file, communes, args.seed)
    size = sum(len(f) for f in files)
    print(f"DATAtourisme import: {args.pois:,} points of interest in {len(files)} flux zip(s) ({size / 1e6:.1f} MB,"
          f" built in {time.perf_counter() - started:.1f} s), {len(communes):,} communes ({args.area}),"
          f" {args.existing:,} offers in the base; {connection.vendor};"
          f" load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    if args.seeded and not args.again_only:  # --again-only: the base a seeded run left, as it is
        started = time.perf_counter()
        print(f"  {seed_provenance(files):,} provenances written in bulk ({time.perf_counter() - started:.1f} s)")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    if not args.again_only:  # what a first import reads (an unchanged object is not even decoded)
        print(f"  reading and mapping alone (every object): {read_seconds(files):.1f} s (part of the first dry run's"
              f" request); load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    results = {}
    phases = (("first", "First import (dry run + commit)", TARGET_FIRST_S),
              ("again", "Unchanged re-import (dry run + commit)", TARGET_AGAIN_S))  # fmt: skip
    for key, title, target in phases[1:] if args.again_only or args.seeded else phases:
        profiler = cProfile.Profile() if args.profile else None
        before = fingerprint()
        if args.workers > 1:
            result = import_at_once(files, office, user, args.workers)
        else:
            result = import_files(files, office, user, profiler)
        results[key] = report_phase(title, args.pois, result, target)
        refused = result["actions"].get("refused", 0)  # a real object's value a field refuses (a negative capacity)
        if key == "first":
            assert result["actions"].get("created", 0) + refused == args.pois, result["actions"]
        else:
            assert set(result["actions"]) <= {"unchanged", "refused"}, result["actions"]
            if "first" in results:
                assert refused == results["first"]["actions"].get("refused", 0), result["actions"]
            assert fingerprint() == before, "the unchanged re-import changed offers"
        if profiler:
            stats = pstats.Stats(profiler).strip_dirs().sort_stats(os.environ.get("BENCH_SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("BENCH_LINES", 25)))
            if os.environ.get("BENCH_PSTATS"):
                stats.dump_stats(f"{os.environ['BENCH_PSTATS']}-{key}")
    print(f"  {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load average"
          f" {os.getloadavg()[0]:.2f}")  # fmt: skip
    meta = {"pois": args.pois, "per_file": args.per_file, "files": len(files), "area": args.area,
            "workers": args.workers, "existing": args.existing, "seeded": args.seeded,
            "date": datetime.now(UTC).isoformat(), "load": round(os.getloadavg()[0], 2)}  # fmt: skip
    if args.save_baseline:
        Path(args.save_baseline).write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    if args.compare:
        return 1 if compare(results, Path(args.compare)) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
