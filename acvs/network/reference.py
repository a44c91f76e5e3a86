"""Load the geographic reference: départements and INSEE communes."""

import csv
import json
from pathlib import Path

from django.db import transaction

from .models import Commune, Department

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def load_departments(path: Path = DATA_DIR / "departements.json") -> int:
    rows = json.loads(path.read_text(encoding="utf-8"))
    for row in rows:
        Department.objects.update_or_create(code=row["code"], defaults={"name": row["nom"]})
    return len(rows)


@transaction.atomic
def load_communes(path: Path = DATA_DIR / "communes_04_83.csv") -> int:
    """Columns as in communes_04_83.csv: code_insee, nom, code_departement, codes_postaux, population, ..."""
    departments = {d.code: d for d in Department.objects.all()}
    existing = set(Commune.objects.values_list("insee", flat=True))
    new, changed = [], []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            commune = Commune(
                insee=row["code_insee"],
                name=row["nom"],
                department=departments[row["code_departement"]],
                postcodes=row["codes_postaux"],
                population=int(row["population"] or 0),
                epci_name=row.get("nom_epci", ""),
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            (changed if commune.insee in existing else new).append(commune)
    Commune.objects.bulk_create(new, batch_size=1000)
    Commune.objects.bulk_update(
        changed,
        ["name", "department", "postcodes", "population", "epci_name", "latitude", "longitude"],
        batch_size=1000,
    )
    return len(new) + len(changed)
