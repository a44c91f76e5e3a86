"""The benchmark's database: reference data, every French commune, one office per département, N synthetic offers.

Offers are generated deterministically (seeded) and written in bulk: COPY on PostgreSQL (heavy indexes dropped
during the load and rebuilt after it), executemany on SQLite. Their search document is composed here, in the shape
acvs.offer.search.indexing.build_document gives it; `check_documents` compares a sample with the real function.
"""

import bisect
import csv
import json
import random
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, models, transaction

from acvs.network.models import Commune, Department, Office
from acvs.network.reference import load_departments
from acvs.offer.models import Feature, Label, Offer, OfferType, Status
from acvs.offer.reference import FAMILIES, load_labels_and_features, load_offer_types
from acvs.offer.search.backends.sqlite import FTS_TABLE
from acvs.offer.search.indexing import build_document
from acvs.offer.text import stems

from . import words

DATA = Path("/work/shared/data/communes")
LAPOSTE_CSV = DATA / "laposte_hexasmal_2020.csv"
COG_DIR = DATA / "decoupage-administratif-6.0.0"
BENCH_OFFICE_PREFIX = "bench-"
CHUNK = 20_000
REFERENCE_DATE = datetime(2026, 1, 1, tzinfo=UTC)
OFFER_TABLES = ["offer_offer", "offer_offer_types", "offer_offer_labels", "offer_offer_features"]


def log(message: str) -> None:
    print(message, flush=True)


# --- reference data -------------------------------------------------------------------------------------------


def load_reference() -> None:
    if Department.objects.count() < 100:
        log(f"  départements: {load_departments()}")
    if not OfferType.objects.exists():
        log(f"  offer types: {load_offer_types()}")
    if not Label.objects.exists() or not Feature.objects.exists():
        log(f"  labels and features: {load_labels_and_features()}")
    log(f"  communes: {load_communes()} in the database")
    log(f"  bench offices: {len(ensure_offices())}")


def _laposte_coordinates() -> dict[str, tuple[float, float]]:
    coords = {}
    with LAPOSTE_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            gps = row["coordonnees_gps"].strip()
            if gps and row["Code_commune_INSEE"] not in coords:
                lat, lon = gps.split(",")
                coords[row["Code_commune_INSEE"]] = (float(lat), float(lon))
    return coords


def build_communes() -> list[Commune]:
    """Every current commune of the COG, located by La Poste's centroid (COG 2026 vs La Poste 2020).

    A commune merged or created after 2020 takes the mean position of its former, delegated or associated
    communes, or of its municipal arrondissements (Paris, Lyon, Marseille). The few left without any are skipped.
    """
    coords = _laposte_coordinates()
    entries = json.loads((COG_DIR / "communes.json").read_text(encoding="utf-8"))
    parts = defaultdict(list)
    for e in entries:
        parent = e.get("chefLieu") if e["type"] in {"commune-deleguee", "commune-associee"} else e.get("commune")
        if parent and e["code"] in coords:
            parts[parent].append(coords[e["code"]])
    epci = {}
    for group in json.loads((COG_DIR / "epci.json").read_text(encoding="utf-8")):
        for member in group["membres"]:
            epci[member["code"]] = group["nom"]
    departments = dict(Department.objects.values_list("code", "pk"))
    communes = []
    for e in entries:
        if e["type"] != "commune-actuelle" or e["departement"] not in departments:
            continue
        points = [coords[e["code"]]] if e["code"] in coords else parts.get(e["code"], [])
        if not points:
            points = [coords[c] for c in e.get("anciensCodes", []) if c in coords]
        if not points:
            continue
        communes.append(
            Commune(
                insee=e["code"],
                name=e["nom"],
                department_id=departments[e["departement"]],
                postcodes="|".join(e.get("codesPostaux", [])),
                population=e.get("population") or 0,
                epci_name=epci.get(e["code"], ""),
                latitude=round(sum(p[0] for p in points) / len(points), 6),
                longitude=round(sum(p[1] for p in points) / len(points), 6),
            )
        )
    return communes


def load_communes() -> int:
    if Commune.objects.count() < 30_000:
        existing = set(Commune.objects.values_list("insee", flat=True))
        new = [c for c in build_communes() if c.insee not in existing]
        with transaction.atomic():
            Commune.objects.bulk_create(new, batch_size=2000)
    return Commune.objects.count()


def ensure_offices() -> dict[int, int]:
    """One office per département ({department_id: office_id}), whose territory is the département's communes."""
    offices = {}
    with transaction.atomic():
        for dept in Department.objects.all():
            office, created = Office.objects.get_or_create(
                slug=f"{BENCH_OFFICE_PREFIX}{dept.code.lower()}",
                defaults={
                    "name": f"Tourisme {dept.name} ({dept.code}) — bench",
                    "kind": Office.Kind.CDT,
                    "department": dept,
                },
            )
            if created:
                through = Office.territory.through
                through.objects.bulk_create(
                    [
                        through(office_id=office.pk, commune_id=insee)
                        for insee in Commune.objects.filter(department=dept).values_list("insee", flat=True)
                    ],
                    batch_size=5000,
                )
            offices[dept.pk] = office.pk
    return offices


# --- synthetic offers -----------------------------------------------------------------------------------------


class Generator:
    """Deterministic synthetic offers; `chunk(start, size)` gives rows for offers start+1 .. start+size."""

    def __init__(self, seed: int = 20260101):
        self.seed = seed
        communes = list(
            Commune.objects.values_list(
                "insee", "name", "population", "latitude", "longitude", "postcodes", "department_id"
            )
        )
        communes.sort()
        self.communes = communes
        self.commune_cum = _cumulative([(c[2] or 0) ** 0.75 + 10 for c in communes])
        self.offices = ensure_offices()

        types = {t.pk: t for t in OfferType.objects.all()}
        ancestors = defaultdict(set)
        for from_id, to_id in OfferType.ancestors.through.objects.values_list("from_offertype_id", "to_offertype_id"):
            ancestors[from_id].add(to_id)
        parents = set(OfferType.parents.through.objects.values_list("to_offertype_id", flat=True))
        by_code = {t.code: t for t in types.values()}
        # What build_document writes for a type: its label and the labels of its family ancestors.
        self.type_words = {
            pk: {t.label_fr} | {types[a].label_fr for a in ancestors[pk] if types[a].is_family}
            for pk, t in types.items()
        }
        self.families = []
        for code in words.FAMILY_WEIGHTS:
            family = by_code[code]
            members = [
                t
                for t in types.values()
                if family.pk in ancestors[t.pk]
                and (t.pk not in parents or words.EXTRA_TYPES.get(t.code) == code)
                and not t.is_family
            ]
            members.sort(key=lambda t: t.code)
            cum = _cumulative([words.TYPE_BOOST.get(t.code, 1) for t in members])
            self.families.append((code, members, cum))
        self.family_cum = _cumulative([words.FAMILY_WEIGHTS[code] for code, _, _ in self.families])
        assert all(code in FAMILIES for code, _, _ in self.families)

        self.labels = {label.code: label for label in Label.objects.all()}
        self.label_order = {
            label.pk: (label.scheme, label.rank, label.name_fr or "")
            for label in self.labels.values()  # Label.Meta.ordering, as offer.labels.all() returns them
        }
        self.features = sorted(Feature.objects.values_list("pk", flat=True))

    def chunk(self, start: int, size: int):
        """(offer dicts, type rows, label rows, feature rows, {offer id: fts body or None})."""
        rng = random.Random(f"{self.seed}:{start}")
        offers, type_rows, label_rows, feature_rows = [], [], [], []
        communes = [self.communes[_pick(rng, self.commune_cum)] for _ in range(size)]
        for i in range(size):
            pk = start + i + 1
            insee, commune_name, population, clat, clon, postcodes, dept_id = communes[i]
            family_code, members, cum = self.families[_pick(rng, self.family_cum)]
            offer_type = members[_pick(rng, cum)]
            type_ids = [offer_type.pk]
            if rng.random() < 0.12:
                other = members[_pick(rng, cum)]
                if other.pk != offer_type.pk:
                    type_ids.append(other.pk)
            name = _name(rng, offer_type, family_code, commune_name)
            label_ids = self._labels(rng, offer_type.code, family_code)
            short, description = _texts(rng, name, offer_type, family_code, commune_name)
            type_labels = set()
            for t in type_ids:
                type_labels |= self.type_words[t]
            label_names = [self.labels_by_pk[pk_].name_fr for pk_ in sorted(label_ids, key=self.label_order.get)]
            document = "\n".join(
                p
                for p in [
                    name,
                    name,
                    " ".join(sorted(type_labels)),
                    commune_name,
                    " ".join(label_names),
                    short,
                    description,
                ]
                if p
            )
            spread_km = 1.0 + 0.004 * (population or 0) ** 0.5
            dlat = max(-2.5, min(2.5, rng.gauss(0, 1))) * spread_km / 111.2
            dlon = max(-2.5, min(2.5, rng.gauss(0, 1))) * spread_km / 78.0
            verified = None if rng.random() < 0.12 else REFERENCE_DATE - timedelta(minutes=rng.randrange(0, 900 * 1440))
            created = REFERENCE_DATE - timedelta(minutes=rng.randrange(900 * 1440, 3000 * 1440))
            status = rng.random()
            offers.append(
                {
                    "id": pk,
                    "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "name": name,
                    "short_description": short,
                    "short_description_fr": short,
                    "description": description,
                    "description_fr": description,
                    "owner_office_id": self.offices[dept_id],
                    "status": Status.PUBLISHED if status < 0.86 else Status.DRAFT if status < 0.95 else Status.ARCHIVED,
                    "address": f"{rng.randint(1, 120)} {rng.choice(words.STREETS)}",
                    "postcode": postcodes.split("|")[0][:5],
                    "commune_id": insee,
                    "latitude": round(max(-90.0, min(90.0, clat + dlat)), 6),
                    "longitude": round(max(-180.0, min(180.0, clon + dlon)), 6),
                    "phone": f"+33{rng.choice('12345')}{rng.randrange(10**7, 10**8)}" if rng.random() < 0.7 else "",
                    "email": f"contact{pk}@example.fr" if rng.random() < 0.5 else "",
                    "website": f"https://www.example.fr/{pk}" if rng.random() < 0.4 else "",
                    "languages": ["fr", "en"] if rng.random() < 0.4 else ["fr"],
                    "verified_at": verified,
                    "created_at": created,
                    "updated_at": verified or created,
                    "version": 1,
                    "search_document": document,
                }
            )
            type_rows.extend((pk, t) for t in type_ids)
            label_rows.extend((pk, lab) for lab in label_ids)
            k = rng.choice((0, 1, 2, 3, 3, 4, 5, 6, 8))
            feature_rows.extend((pk, f) for f in sorted(rng.sample(self.features, k)))
        return offers, type_rows, label_rows, feature_rows

    @property
    def labels_by_pk(self):
        if not hasattr(self, "_labels_by_pk"):
            self._labels_by_pk = {label.pk: label for label in self.labels.values()}
        return self._labels_by_pk

    def _labels(self, rng: random.Random, type_code: str, family_code: str) -> list[int]:
        codes = []
        if type_code in words.TYPE_LABELS:
            p, pattern = words.TYPE_LABELS[type_code]
            if rng.random() < p:
                codes.append(pattern.format(n=rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))))
        for pattern, p in {**words.COMMON_LABELS, **words.FAMILY_LABELS.get(family_code, {})}.items():
            if rng.random() < p:
                codes.append(pattern.format(n=rng.choice((1, 2, 3, 3, 4, 5))))
        return sorted({self.labels[c].pk for c in codes if c in self.labels})


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, cum: list[float]) -> int:
    return min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(cum) - 1)


def _head(rng: random.Random, offer_type: OfferType) -> str:
    heads = words.NAME_HEADS.get(offer_type.code)
    if heads:
        return rng.choice(heads)
    label = offer_type.label_fr
    for sep in (",", " ou ", " - ", " / ", " (", " et "):
        label = label.split(sep)[0]
    return label.strip()


def _name(rng: random.Random, offer_type: OfferType, family_code: str, commune: str) -> str:
    head = _head(rng, offer_type)
    roll = rng.random()
    if family_code == "FoodEstablishment" and roll < 0.45:
        return rng.choice(words.RESTAURANT_NAMES)
    if family_code == "EntertainmentAndEvent":
        return f"{head} {rng.choice(words.EVENT_TOPICS)}" + (f" {rng.randint(2024, 2027)}" if roll < 0.5 else "")
    if family_code == "CulturalSite" and offer_type.code in {"Church", "Chapel", "Abbey", "Cathedral"}:
        return f"{head} {rng.choice(words.SAINTS)}"
    if roll < 0.25 or family_code in {"NaturalHeritage", "Tour", "TouristInformationCenter", "Transport"}:
        article = "d'" if commune[:1] in "AEIOUYÉÎ" else "de "
        return f"{head} {article}{commune}" if roll < 0.6 else f"{head} {rng.choice(words.QUALIFIERS)}"
    return f"{head} {rng.choice(words.QUALIFIERS)}"


def _texts(rng: random.Random, name: str, offer_type: OfferType, family_code: str, commune: str) -> tuple[str, str]:
    adj = rng.choice(words.ADJECTIVES)
    where = rng.choice(words.WHERE)
    short = f"{_head(rng, offer_type)} {adj} {where} {commune}"
    own = words.FAMILY_SENTENCES.get(family_code, [])
    chosen = rng.sample(own, min(len(own), rng.randint(1, 2)))
    chosen += rng.sample(words.GENERIC_SENTENCES, rng.randint(1, 4))
    activities = rng.sample(words.ACTIVITIES, 3)
    sentences = [f"{name} vous accueille {where} {commune}."] + [
        s.format(
            n=rng.randint(2, 40),
            adj=adj,
            century=rng.choice(("XIIe", "XVe", "XVIIe", "XVIIIe", "XIXe")),
            activity=activities[0],
            activity2=activities[1],
            activity3=activities[2],
        )
        for s in chosen
    ]
    return short, " ".join(sentences)


# --- writing ----------------------------------------------------------------------------------------------------


def offer_count() -> int:
    return Offer.objects.count()


def fill(n: int, seed: int) -> None:
    started = time.perf_counter()
    gen = Generator(seed)
    columns, converters = _offer_columns()
    pg = connection.vendor == "postgresql"
    log(f"Filling {n:,} offers on {connection.vendor} ...")
    _empty_offers()
    dropped = _drop_indexes() if pg else []
    try:
        with transaction.atomic():
            if pg and _is_superuser():
                with connection.cursor() as cursor:
                    # Rows are consistent by construction: skip the per-row foreign-key triggers during the load.
                    cursor.execute("SET LOCAL session_replication_role = replica")
            for start in range(0, n, CHUNK):
                size = min(CHUNK, n - start)
                offers, type_rows, label_rows, feature_rows = gen.chunk(start, size)
                rows = [
                    [convert(o.get(att, default)) for att, (convert, default) in zip(columns, converters, strict=True)]
                    for o in offers
                ]
                if pg:
                    # The offers' type ids (offer_offer.search_types, migration 0011), as the re-indexing writes them.
                    types_of = {}
                    for offer_id, type_id in type_rows:
                        types_of.setdefault(offer_id, []).append(type_id)
                    for o, row in zip(offers, rows, strict=True):
                        row.append(sorted(types_of.get(o["id"], ())))
                    _copy("offer_offer", [*columns, "search_types"], rows)
                    _copy("offer_offer_types", ["offer_id", "offertype_id"], type_rows)
                    _copy("offer_offer_labels", ["offer_id", "label_id"], label_rows)
                    _copy("offer_offer_features", ["offer_id", "feature_id"], feature_rows)
                else:
                    _sqlite_insert("offer_offer", columns, rows)
                    _sqlite_insert("offer_offer_types", ["offer_id", "offertype_id"], type_rows)
                    _sqlite_insert("offer_offer_labels", ["offer_id", "label_id"], label_rows)
                    _sqlite_insert("offer_offer_features", ["offer_id", "feature_id"], feature_rows)
                    _sqlite_insert(
                        FTS_TABLE,
                        ["rowid", "body"],
                        [(o["id"], " ".join(stems(o["search_document"]))) for o in offers],
                    )
                done = start + size
                elapsed = time.perf_counter() - started
                log(f"  {done:>9,} offers written ({elapsed:6.1f} s)")
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Offer]):
                    cursor.execute(sql)
    finally:
        if dropped:
            _recreate_indexes(dropped)
    _analyze()
    log(f"Filled {n:,} offers in {time.perf_counter() - started:.0f} s")


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def _offer_columns():
    """Every concrete column of offer_offer, with a converter to the database value and the field's default."""
    columns, converters = [], []
    plain = (models.CharField, models.TextField, models.FloatField, models.IntegerField, models.ForeignKey)
    for f in Offer._meta.concrete_fields:
        if f.primary_key:
            columns.append(f.column)
            converters.append((lambda v: v, None))
            continue
        if isinstance(f, plain) and not isinstance(f, models.UUIDField):

            def convert(v):
                return v

        else:

            def convert(v, f=f):
                return f.get_db_prep_save(v, connection)

        default = f.get_default()
        columns.append(f.column)
        converters.append((convert, default))
    # Offer dicts are keyed by attname; columns equal attnames for every offer field (no db_column is set).
    assert [f.column for f in Offer._meta.concrete_fields] == [f.attname for f in Offer._meta.concrete_fields]
    return columns, converters


def _empty_offers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(OFFER_TABLES)} RESTART IDENTITY CASCADE")
            return
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        for rel in Offer._meta.related_objects:
            if rel.many_to_many:
                continue
            cursor.execute(f"DELETE FROM {rel.related_model._meta.db_table}")
        for table in OFFER_TABLES[1:]:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("DELETE FROM offer_offer")
        cursor.execute("DELETE FROM sqlite_sequence WHERE name IN (%s, %s, %s, %s)", OFFER_TABLES)


def _drop_indexes() -> list[tuple[str, str]]:
    """Drop the offer tables' secondary indexes (not those backing a constraint); return their definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.relname, pg_get_indexdef(i.oid)
                 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                WHERE t.relname = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)""",
            [OFFER_TABLES],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return indexes


def _recreate_indexes(indexes: list[tuple[str, str]]) -> None:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        for name, definition in indexes:
            cursor.execute(definition)
            log(f"  index {name} rebuilt ({time.perf_counter() - started:.0f} s)")
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("RESET max_parallel_maintenance_workers")


def _analyze() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM sets the visibility map (index-only scans), as autovacuum would on a live base.
            reference = ["network_commune", "offer_offertype", "offer_offertype_ancestors"]
            for table in [*OFFER_TABLES, *reference]:
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


def _copy(table: str, columns: list[str], rows) -> None:
    raw = connection.connection  # the psycopg 3 connection under Django's
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _sqlite_insert(table: str, columns: list[str], rows) -> None:
    placeholders = ", ".join("?" for _ in columns)
    connection.connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)


# --- verification ----------------------------------------------------------------------------------------------


def check_documents(sample: int = 300, seed: int = 7) -> None:
    """The stored documents (and SQLite FTS rows) equal what the application would write for the same offers."""
    ids = list(Offer.objects.order_by("pk").values_list("pk", flat=True)[:1])
    last = Offer.objects.order_by("-pk").values_list("pk", flat=True).first()
    if not ids or last is None:
        return
    rng = random.Random(seed)
    picked = sorted({rng.randint(ids[0], last) for _ in range(sample)})
    offers = (
        Offer.objects.filter(pk__in=picked)
        .select_related("commune", "provider")
        .prefetch_related("types__ancestors", "labels")
    )
    checked = 0
    for offer in offers:
        expected = build_document(offer)
        assert offer.search_document == expected, (offer.pk, offer.search_document, expected)
        checked += 1
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, body FROM {FTS_TABLE} WHERE rowid IN ({', '.join('%s' for _ in picked)})",
                picked,
            )
            bodies = dict(cursor.fetchall())
        for offer in offers:
            assert bodies.get(offer.pk) == " ".join(stems(offer.search_document)), offer.pk
    log(f"  {checked} stored search documents checked against indexing.build_document")
