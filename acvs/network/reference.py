"""Load the geographic reference: départements and INSEE communes."""

import csv
import gzip
import json
from pathlib import Path

from django.db import transaction

from acvs.core import bulk

from .models import Commune, Department

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def load_departments(path: Path = DATA_DIR / "departements.json") -> int:
    rows = json.loads(path.read_text(encoding="utf-8"))
    for row in rows:
        Department.objects.update_or_create(code=row["code"], defaults={"name": row["nom"]})
    return len(rows)


FIELDS = ["name", "department_id", "postcodes", "population", "epci_name", "latitude", "longitude"]


@transaction.atomic
def load_communes(path: Path = DATA_DIR / "communes.csv.gz") -> int:
    """Every French commune (built by bin/build-communes): new ones inserted, changed ones updated, in bulk.

    Columns: code_insee, nom, code_departement, codes_postaux, population, nom_epci, latitude, longitude.
    Reloading unchanged data writes nothing: tests reload the reference after each flush.
    """
    departments = dict(Department.objects.values_list("code", "pk"))
    existing = {row[0]: row[1:] for row in Commune.objects.values_list("insee", *FIELDS)}
    new, changed = [], []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            commune = Commune(
                insee=row["code_insee"],
                name=row["nom"],
                department_id=departments[row["code_departement"]],
                postcodes=row["codes_postaux"],
                population=int(row["population"] or 0),
                epci_name=row["nom_epci"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            before = existing.get(commune.insee)
            if before is None:
                new.append(commune)
            elif before != tuple(getattr(commune, name) for name in FIELDS):
                changed.append(commune)
    bulk.insert(Commune, new)  # COPY on PostgreSQL: tests load the reference again after each flush
    Commune.objects.bulk_update(changed, FIELDS, batch_size=500)
    return len(existing) + len(new)
