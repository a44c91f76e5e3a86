"""Precompute the drawn map of booklets (without a tile server) from the IGN commune outlines.

    uv run python manage.py build_booklet_map ../shared/data/geo

Writes acvs/booklet/data/land.json.gz (committed): the communes of the network's départements and their neighbours,
simplified (Douglas-Peucker, about 100 m) and rounded to 1e-4 degree, the other départements as coarse land, and a
rough outline of Italy so that the land beyond the border is not drawn as sea. Reading it costs a few milliseconds
where parsing the source files would take seconds.
"""

import gzip
import json
from pathlib import Path

from django.core.management.base import BaseCommand

from acvs.booklet.mapdraw import LAND_FILE

# The départements whose communes are drawn (the network's and their neighbours: the coast from Camargue to Menton).
DETAILED = ("04", "05", "06", "13", "83", "84")
TOLERANCE = 0.001  # degrees, about 100 m: finer than a pixel at the scale of a stay
# The Ligurian coast east of Menton and a line well inside France closing the polygon (French land is drawn over
# it): enough for the few kilometres of Italy a map of the Alpes-de-Haute-Provence or the Riviera may show.
ITALY = [
    (7.53, 43.785), (7.77, 43.81), (8.03, 43.88), (8.17, 44.0), (8.48, 44.31), (8.93, 44.41), (9.5, 44.3),
    (10.5, 44.0), (10.5, 46.5), (5.5, 46.5), (5.5, 45.0), (6.5, 44.1), (7.3, 43.9), (7.45, 43.83),
]  # fmt: skip


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker, iterative (rings have thousands of points)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        index, distance = 0, 0.0
        for i in range(first + 1, last):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > distance:
                index, distance = i, d
        if distance > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def rings(geometry: dict) -> list:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [polygon[0] for polygon in polygons]  # outer rings: holes are other communes, drawn over


def packed(ring: list, tolerance: float) -> list[int] | None:
    """A ring as flat integers (lon, lat in 1e-4 degree), or None when it vanishes at this scale."""
    simple = simplify([tuple(p) for p in ring], tolerance)
    if len(simple) < 4:
        return None
    flat = []
    for lon, lat in simple:
        flat += [round(lon * 10_000), round(lat * 10_000)]
    return flat


class Command(BaseCommand):
    help = "Precompute the booklet's drawn map (land, coast, communes) from the IGN outlines."

    def add_arguments(self, parser):
        parser.add_argument("geo", help="the folder of the outlines: ../shared/data/geo")

    def handle(self, geo, **options):
        geo = Path(geo)
        communes = []
        for code in DETAILED:
            (source,) = geo.glob(f"communes/communes-{code}-*.geojson")
            for feature in json.loads(source.read_text(encoding="utf-8"))["features"]:
                shapes = [r for r in (packed(r, TOLERANCE) for r in rings(feature["geometry"])) if r]
                if shapes:
                    communes.append({"code": feature["properties"]["code"], "rings": shapes})
        departments = json.loads((geo / "departements-version-simplifiee.geojson").read_text(encoding="utf-8"))
        land = [
            r
            for f in departments["features"]
            if f["properties"]["code"] not in DETAILED
            for r in (packed(r, TOLERANCE * 5) for r in rings(f["geometry"]))
            if r
        ]
        italy = [v for lon, lat in ITALY for v in (round(lon * 10_000), round(lat * 10_000))]
        data = {"scale": 10_000, "land": [italy, *land], "communes": communes}
        LAND_FILE.parent.mkdir(parents=True, exist_ok=True)
        LAND_FILE.write_bytes(gzip.compress(json.dumps(data, separators=(",", ":")).encode(), mtime=0))
        self.stdout.write(f"{LAND_FILE}: {len(communes)} communes, {LAND_FILE.stat().st_size // 1024} KB")
