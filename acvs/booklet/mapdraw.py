"""The booklet's map: numbered markers that never hide each other, over map tiles fetched server-side (with a disk
cache and a timeout) or, without a tile server or when it fails, over a drawn map of land, sea, coast and communes
(acvs/booklet/data/land.json.gz, built by `manage.py build_booklet_map`).

Web Mercator for both, so that markers fall at the same place over tiles and over the drawn map. The markup comes
from the template booklet/map.svg; this module only computes coordinates (preformatted numbers: a localised decimal
comma would break them).
"""

import base64
import gzip
import hashlib
import io
import itertools
import json
import logging
import math
import time
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

LAND_FILE = Path(__file__).parent / "data" / "land.json.gz"
WIDTH, HEIGHT = 640, 420
MARGIN = 40
RADIUS = 11  # a marker's radius, in pixels of the map
TILE = 256
MAX_ZOOM = 15
NICE_KM = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200]
TILES_DOWN_KEY = "booklet:tiles-down"
TILES_DOWN_SECONDS = 300  # after a failure, booklets use the drawn map this long without trying again


def world(lat: float, lon: float) -> tuple[float, float]:
    """Web Mercator at zoom 0: a 256-pixel square world."""
    x = (lon + 180) / 360 * TILE
    s = math.sin(math.radians(max(min(lat, 85), -85)))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * TILE
    return x, y


@dataclass
class View:
    zoom: float  # may be fractional (drawn map); whole with tiles
    left: float  # world pixels at this zoom of the map's top-left corner
    top: float

    @property
    def scale(self) -> float:
        return 2**self.zoom

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = world(lat, lon)
        return x * self.scale - self.left, y * self.scale - self.top


def fit(points: list[tuple[float, float]], *, whole: bool) -> View:
    """The view showing every point with a margin, at least a few kilometres wide."""
    xs, ys = zip(*(world(lat, lon) for lat, lon in points), strict=True)
    min_span = 0.004  # world pixels at zoom 0: about 4 km
    span_x = max(max(xs) - min(xs), min_span)
    span_y = max(max(ys) - min(ys), min_span * HEIGHT / WIDTH)
    zoom = min(math.log2((WIDTH - 2 * MARGIN) / span_x), math.log2((HEIGHT - 2 * MARGIN) / span_y), MAX_ZOOM)
    if whole:
        zoom = math.floor(zoom)
    scale = 2**zoom
    cx, cy = (min(xs) + max(xs)) / 2 * scale, (min(ys) + max(ys)) / 2 * scale
    return View(zoom=zoom, left=cx - WIDTH / 2, top=cy - HEIGHT / 2)


# Markers -------------------------------------------------------------------------------------------------------


def place_markers(view: View, points: list[tuple[int, float, float]]) -> list[dict]:
    """Markers at their places, moved out on a spiral when another one is there (with a line back to the place)."""
    placed = []
    gap = 2 * RADIUS + 3
    for number, lat, lon in points:
        x0, y0 = view.project(lat, lon)
        x, y, step = x0, y0, 0
        while any((x - m["x"]) ** 2 + (y - m["y"]) ** 2 < gap**2 for m in placed) or not _inside(x, y):
            step += 1
            angle = step * 2.39996  # the golden angle: the tries spread evenly around the place
            distance = gap * (0.8 + 0.5 * step**0.5)
            x, y = x0 + distance * math.cos(angle), y0 + distance * math.sin(angle)
            if step > 400:
                break
        placed.append({"number": number, "x": x, "y": y, "x0": x0, "y0": y0, "moved": step > 0})
    return placed


def _inside(x: float, y: float) -> bool:
    return RADIUS + 2 <= x <= WIDTH - RADIUS - 2 and RADIUS + 2 <= y <= HEIGHT - RADIUS - 30


def place_names(view: View, communes, markers: list[dict], limit: int = 10) -> list[dict]:
    """Commune names that hide neither a marker nor another name (the most populated first), each on the first side
    of its dot that is free."""
    names, boxes = [], [(m["x"] - RADIUS, m["y"] - RADIUS, m["x"] + RADIUS, m["y"] + RADIUS) for m in markers]
    for commune in communes:
        x, y = view.project(commune.latitude, commune.longitude)
        width = 6.4 * len(commune.name)
        for side, dy in itertools.product((1, -1), (-4, 14)):  # right or left of the dot, above or below
            text_x = x + 5 if side > 0 else x - 5 - width
            box = (min(x - 3, text_x), y + dy - 11, max(x + 3, text_x + width), y + dy + 3)
            if box[0] < 4 or box[2] > WIDTH - 4 or box[1] < 4 or box[3] > HEIGHT - 32:
                continue
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
                continue
            boxes.append(box)
            names.append({"name": commune.name, "x": x, "y": y, "text_x": text_x, "text_y": y + dy})
            break
        if len(names) >= limit:
            break
    return names


# Drawn map -----------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def land_data() -> dict:
    """The outlines with their bounding boxes (degrees), read once per process."""
    raw = json.loads(gzip.decompress(LAND_FILE.read_bytes()))
    k = raw["scale"]

    def ring(flat):
        points = [(flat[i] / k, flat[i + 1] / k) for i in range(0, len(flat), 2)]  # (lon, lat)
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        return (min(lons), min(lats), max(lons), max(lats)), points

    return {
        "land": [ring(r) for r in raw["land"]],
        "communes": [ring(r) for c in raw["communes"] for r in c["rings"]],
    }


def _path(view: View, points) -> str:
    """SVG path data of a ring, leaving out points less than a pixel from the previous one."""
    out, last = [], None
    for lon, lat in points:
        x, y = view.project(lat, lon)
        if last and abs(x - last[0]) < 0.8 and abs(y - last[1]) < 0.8:
            continue
        out.append(f"{x:.1f} {y:.1f}")
        last = (x, y)
    return "M" + "L".join(out) + "Z" if len(out) > 2 else ""


def drawn_layers(view: View) -> dict:
    """The land (other départements and abroad, then the communes) as path data, inside the view only."""
    west, north = _unproject(view, 0, 0)
    east, south = _unproject(view, WIDTH, HEIGHT)

    def visible(rings):
        return [
            d
            for (x1, y1, x2, y2), points in rings
            if x2 >= west and x1 <= east and y2 >= south and y1 <= north
            for d in [_path(view, points)]
            if d
        ]

    data = land_data()
    return {"land": visible(data["land"]), "communes": visible(data["communes"])}


def _unproject(view: View, px: float, py: float) -> tuple[float, float]:
    x, y = (px + view.left) / view.scale, (py + view.top) / view.scale
    lon = x / TILE * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / TILE))))
    return lon, lat


# Tiles ---------------------------------------------------------------------------------------------------------


def _tile_file(z: int, x: int, y: int) -> Path:
    return Path(settings.ACVS_MAP_TILES_CACHE) / str(z) / str(x) / f"{y}.png"


def _fetch_tile(z: int, x: int, y: int, deadline: float) -> bytes:
    path = _tile_file(z, x, y)
    if path.exists():
        return path.read_bytes()
    url = settings.ACVS_MAP_TILES_URL.format(z=z, x=x, y=y, s="a")
    timeout = deadline - time.monotonic()
    if timeout <= 0:
        raise TimeoutError("map tiles: out of time")
    request = urllib.request.Request(url, headers={"User-Agent": "ACVS stay booklets (tourist offices' network)"})
    with urllib.request.urlopen(request, timeout=min(timeout, settings.ACVS_MAP_TILES_TIMEOUT)) as response:  # noqa: S310 — the configured tile server
        body = response.read(2_000_000)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.with_suffix(".part").write_bytes(body)
    path.with_suffix(".part").replace(path)  # never a half-written tile in the cache
    return body


def tiles_image(view: View) -> str:
    """The view's tiles as one PNG data URI, or "" when there is no tile server or it does not answer in time."""
    if not settings.ACVS_MAP_TILES_URL or cache.get(TILES_DOWN_KEY):
        return ""
    from PIL import Image

    z = int(view.zoom)
    first_x, first_y = int(view.left // TILE), int(view.top // TILE)
    last_x, last_y = int((view.left + WIDTH) // TILE), int((view.top + HEIGHT) // TILE)
    deadline = time.monotonic() + settings.ACVS_MAP_TILES_TIMEOUT * 2
    canvas = Image.new("RGB", (WIDTH, HEIGHT), "#aad3df")
    try:
        for tx in range(first_x, last_x + 1):
            for ty in range(first_y, last_y + 1):
                if not 0 <= ty < 2**z:
                    continue
                tile = Image.open(io.BytesIO(_fetch_tile(z, tx % 2**z, ty, deadline))).convert("RGB")
                canvas.paste(tile, (round(tx * TILE - view.left), round(ty * TILE - view.top)))
    except Exception as error:  # noqa: BLE001 — any failure of the tile server: the drawn map instead
        logger.warning("Map tiles unavailable (%s): booklets use the drawn map for %d s", error, TILES_DOWN_SECONDS)
        cache.set(TILES_DOWN_KEY, True, TILES_DOWN_SECONDS)
        return ""
    out = io.BytesIO()
    canvas.save(out, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


# The map -------------------------------------------------------------------------------------------------------


def scale_bar(view: View, lat: float) -> tuple[float, str]:
    metres_per_px = 156_543.034 * math.cos(math.radians(lat)) / view.scale
    wanted_km = metres_per_px * WIDTH / 4 / 1000
    km = max((n for n in NICE_KM if n <= wanted_km), default=NICE_KM[0])
    return km * 1000 / metres_per_px, (f"{km:g} km" if km >= 1 else f"{km * 1000:g} m")


def map_svg(points: list[tuple[int, float, float]], communes, colours: dict) -> str:
    """The SVG map of the booklet's places (number, lat, lon); "" without places.

    Kept in the cache under what it is made of: a web version is opened again and again, its map stays the same.
    """
    if not points:
        return ""
    tiles_wanted = bool(settings.ACVS_MAP_TILES_URL)
    made_of = (points, [(c.name, c.latitude, c.longitude) for c in communes], sorted(colours.items()), tiles_wanted)
    key = "booklet:map:" + hashlib.sha256(repr(made_of).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = _map_svg(points, communes, colours)
        # A drawn map standing in for tiles that failed is kept only until the tile server is tried again.
        stand_in = tiles_wanted and "<image" not in svg
        cache.set(key, svg, TILES_DOWN_SECONDS if stand_in else 24 * 3600)
    return svg


def _map_svg(points, communes, colours: dict) -> str:
    tiles = ""
    if settings.ACVS_MAP_TILES_URL and not cache.get(TILES_DOWN_KEY):
        view = fit([(lat, lon) for _n, lat, lon in points], whole=True)
        tiles = tiles_image(view)
    if not tiles:
        view = fit([(lat, lon) for _n, lat, lon in points], whole=False)
    markers = place_markers(view, points)
    names = place_names(view, communes, markers)
    layers = {"land": [], "communes": []} if tiles else drawn_layers(view)
    bar, label = scale_bar(view, sum(p[1] for p in points) / len(points))
    f = "{:.1f}".format
    context = {
        "width": WIDTH,
        "height": HEIGHT,
        "tiles": tiles,
        "land": layers["land"],
        "communes_land": layers["communes"],
        "markers": [
            {
                "number": m["number"],
                "x": f(m["x"]),
                "y": f(m["y"]),
                "text_y": f(m["y"] + 4),
                "moved": m["moved"],
                "x0": f(m["x0"]),
                "y0": f(m["y0"]),
            }
            for m in markers
        ],  # fmt: skip
        "names": [
            {"name": n["name"], "x": f(n["x"]), "y": f(n["y"]), "text_x": f(n["text_x"]), "text_y": f(n["text_y"])}
            for n in names
        ],  # fmt: skip
        "colours": colours,
        "bar": f(bar),
        "bar_box": f(bar + 12),
        "scale_y": HEIGHT - 16,
        "scale_label": label,
        "north_x": WIDTH - 10,
        "north_y": 22,
        "credit_x": WIDTH - 6,
        "credit_y": HEIGHT - 6,
        "credit": settings.ACVS_MAP_TILES_ATTRIBUTION if tiles else "IGN – Admin Express",
    }
    return render_to_string("booklet/map.svg", context)
