"""The booklet's map: markers that never hide each other, a drawn map of land, sea and communes without a tile
server, and tiles fetched server-side (cached on disk, with a timeout) when one answers."""

import http.server
import io
import itertools
import re
import threading

import pytest
from django.core.cache import cache
from PIL import Image

from acvs.booklet import mapdraw
from acvs.network.models import Commune

pytestmark = pytest.mark.django_db
COLOURS = {"primary": "#0f766e", "on_primary": "#ffffff"}


def markers(svg: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="11"', svg)]


def test_the_drawn_map_has_sea_land_coast_commune_names_numbers_and_a_scale():
    communes = list(Commune.objects.filter(insee__in=["83036", "83048", "83101"]))
    cavalaire = next(c for c in communes if c.insee == "83036")
    points = [(1, cavalaire.latitude, cavalaire.longitude), (2, 43.20, 6.60), (3, 43.20, 6.60)]
    svg = mapdraw.map_svg(points, communes, COLOURS)
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert [int(n) for n in re.findall(r'font-weight="bold">(\d+)</text>', svg)] == [1, 2, 3]
    assert re.search(r">\d+(\.\d+)? k?m</text>", svg)
    assert "La Croix-Valmer" in svg or "Ramatuelle" in svg
    # Land: the communes around Cavalaire drawn from their outlines, over the sea (the coast drawn under them).
    land = re.findall(r"<path d=\"M([-\d. L]+)Z\"/>", svg)
    assert len(land) > 10
    assert 'fill="#cfe3ee"' in svg
    assert 'stroke="#6f9fbd"' in svg
    assert "IGN" in svg  # the outlines' source


def test_markers_never_hide_each_other_even_at_the_same_place():
    points = [(n, 43.17 + (n % 3) * 0.0005, 6.53 + (n % 2) * 0.0005) for n in range(1, 21)]
    svg = mapdraw.map_svg(points, [], COLOURS)
    placed = markers(svg)
    assert len(placed) == 20
    for (x1, y1), (x2, y2) in itertools.combinations(placed, 2):
        assert (x1 - x2) ** 2 + (y1 - y2) ** 2 >= (2 * mapdraw.RADIUS) ** 2
    for x, y in placed:
        assert 0 < x < mapdraw.WIDTH
        assert 0 < y < mapdraw.HEIGHT
    assert svg.count("<line") > 10  # moved markers point back to their places


class Tiles(http.server.BaseHTTPRequestHandler):
    requests: list = []

    def do_GET(self):  # noqa: N802
        Tiles.requests.append(self.path)
        out = io.BytesIO()
        Image.new("RGB", (256, 256), (200, 30, 30)).save(out, "PNG")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(out.getvalue())

    def log_message(self, *args):
        pass


@pytest.fixture
def tile_server(settings, tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ACVS_MAP_TILES_URL = f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
    settings.ACVS_MAP_TILES_CACHE = tmp_path / "tiles"
    cache.delete(mapdraw.TILES_DOWN_KEY)
    Tiles.requests = []
    yield server
    server.shutdown()
    cache.delete(mapdraw.TILES_DOWN_KEY)


def test_tiles_are_fetched_server_side_once_then_read_from_the_disk_cache(tile_server, settings):
    points = [(1, 43.17, 6.53), (2, 43.22, 6.60)]
    svg = mapdraw.map_svg(points, [], COLOURS)
    assert '<image href="data:image/png;base64,' in svg
    assert "OpenStreetMap" in svg
    assert "IGN" not in svg
    fetched = len(Tiles.requests)
    assert fetched >= 2
    assert len(list(settings.ACVS_MAP_TILES_CACHE.rglob("*.png"))) == fetched
    assert markers(svg)  # the markers over the tiles
    assert mapdraw.map_svg(points, [], COLOURS) == svg  # the same map again: from the cache
    cache.clear()
    assert mapdraw.map_svg(points, [], COLOURS) == svg
    assert len(Tiles.requests) == fetched  # made again, from the tiles on disk


def test_a_failing_tile_server_gives_the_drawn_map_and_is_not_asked_again_for_a_while(settings, tmp_path):
    cache.delete(mapdraw.TILES_DOWN_KEY)
    settings.ACVS_MAP_TILES_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing listens there
    settings.ACVS_MAP_TILES_CACHE = tmp_path / "tiles"
    try:
        svg = mapdraw.map_svg([(1, 43.17, 6.53)], [], COLOURS)
        assert "<image" not in svg
        assert "IGN" in svg
        assert cache.get(mapdraw.TILES_DOWN_KEY)
    finally:
        cache.delete(mapdraw.TILES_DOWN_KEY)
