"""Simple landscape illustrations drawn with Pillow (sky, sea, hills, peaks...), one set shared by all demo offers."""

import io
import math

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

FOLDER = "offers/photos/demo"
CREDIT = "Illustration ACVS (démo)"
SIZE = (960, 640)
# Theme -> number of variants; about twenty pictures in all.
THEMES = {"sea": 3, "village": 2, "hills": 2, "mountain": 2, "lake": 2, "vineyard": 1, "lavender": 1, "pines": 1,
          "snow": 1, "gorge": 1, "forest": 1, "garden": 1, "night": 1}  # fmt: skip
ZONE_THEME = {"coast": "sea", "verdon": "lake", "mountain": "mountain", "var": "hills", "haute": "lavender"}


def _gradient(draw, box, top, bottom):
    x0, y0, x1, y1 = box
    for y in range(y0, y1):
        f = (y - y0) / max(1, y1 - y0 - 1)
        draw.line([(x0, y), (x1, y)], fill=tuple(round(a + (b - a) * f) for a, b in zip(top, bottom, strict=True)))


def _ridge(draw, rng, base: int, amp: int, color, sharp=False):
    """A filled skyline: smooth hills, or jagged peaks when sharp."""
    w, h = SIZE
    phases = [rng.uniform(0, 6.3) for _ in range(3)]
    step = 60 if sharp else 8
    points = [(0, h)]
    for x in range(0, w + step, step):
        y = base - amp * (0.5 + 0.3 * math.sin(x / 140 + phases[0]) + 0.2 * math.sin(x / 53 + phases[1]))
        if sharp:
            y -= rng.uniform(0, amp * 0.6)
        points.append((x, y))
    points.append((w, h))
    draw.polygon(points, fill=color)
    return points


def _snowcaps(draw, points, limit):
    for (x0, y0), (x1, y1), (x2, y2) in zip(points[1:], points[2:], points[3:], strict=False):
        if y1 < limit and y1 < y0 and y1 < y2:
            draw.polygon([(x1, y1), ((x0 + x1) / 2 + 6, y1 + 28), ((x1 + x2) / 2 - 6, y1 + 28)], fill=(245, 247, 250))


def _pine(draw, x, y, s):
    draw.line([(x, y), (x + s * 0.1, y - s)], fill=(70, 50, 35), width=max(2, int(s / 12)))
    draw.ellipse([x - s * 0.6, y - s * 1.25, x + s * 0.8, y - s * 0.85], fill=(38, 78, 45))


def _houses(draw, rng, cx, base):
    for i in range(9):
        x = cx + (i - 4) * 34 + rng.randint(-6, 6)
        hh = rng.randint(30, 60) + (4 - abs(i - 4)) * 10
        draw.rectangle(
            [x, base - hh, x + 32, base], fill=rng.choice([(233, 214, 170), (222, 190, 140), (240, 228, 200)])
        )
        draw.polygon([(x - 3, base - hh), (x + 16, base - hh - 12), (x + 35, base - hh)], fill=(184, 84, 52))
    draw.rectangle([cx - 8, base - 170, cx + 14, base - 40], fill=(214, 190, 150))


def render(theme: str, rng) -> Image.Image:
    img = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(img)
    w, h = SIZE
    night = theme == "night"
    _gradient(
        draw, (0, 0, w, h), (18, 24, 60) if night else (96, 160, 220), (70, 60, 110) if night else (250, 220, 180)
    )
    sun = (rng.randint(120, w - 120), rng.randint(70, 200))
    draw.ellipse(
        [sun[0] - 38, sun[1] - 38, sun[0] + 38, sun[1] + 38], fill=(245, 240, 220) if night else (255, 236, 160)
    )
    if night:
        for _ in range(120):
            x, y = rng.randint(0, w), rng.randint(0, h // 2)
            draw.point((x, y), fill=(255, 255, 230))
        for _ in range(4):
            cx, cy, r = rng.randint(100, w - 100), rng.randint(80, 260), rng.randint(40, 90)
            color = rng.choice([(255, 120, 120), (255, 220, 120), (150, 220, 255)])
            for k in range(24):
                a = k * math.pi / 12
                draw.line([(cx, cy), (cx + r * math.cos(a), cy + r * math.sin(a))], fill=color, width=2)
        _ridge(draw, rng, h - 120, 80, (25, 25, 45))
        return img
    if theme in ("mountain", "snow", "lake"):
        peaks = _ridge(draw, rng, 330, 220, (120, 130, 150), sharp=True)
        _snowcaps(draw, peaks, 300 if theme != "snow" else 420)
        _ridge(draw, rng, 460, 90, (240, 244, 248) if theme == "snow" else (70, 110, 70))
    else:
        _ridge(draw, rng, 360, 120, (150, 165, 190))
        _ridge(draw, rng, 450, 100, {"lavender": (120, 140, 90), "vineyard": (150, 140, 80)}.get(theme, (95, 135, 80)))
    if theme in ("sea", "pines"):
        _gradient(draw, (0, 470, w, h), (40, 120, 180), (20, 80, 140))
        for _ in range(40):
            x, y = rng.randint(0, w), rng.randint(480, h)
            draw.line([(x, y), (x + rng.randint(20, 60), y)], fill=(180, 215, 235))
        draw.polygon([(0, h), (0, 540), (w * 0.35, 600), (w * 0.6, h)], fill=(236, 216, 170))
        for _ in range(3 if theme == "pines" else 1):
            _pine(draw, rng.randint(60, w - 60), rng.randint(560, 620), rng.randint(110, 170))
    elif theme == "lake":
        _gradient(draw, (0, 470, w, h), (70, 170, 170), (30, 120, 140))
    elif theme == "gorge":
        _gradient(draw, (0, 540, w, h), (60, 190, 180), (30, 140, 140))
        draw.polygon([(0, 160), (300, 260), (380, h), (0, h)], fill=(200, 180, 150))
        draw.polygon([(w, 140), (w - 260, 280), (w - 400, h), (w, h)], fill=(185, 165, 135))
    elif theme in ("lavender", "vineyard"):
        color = (140, 100, 190) if theme == "lavender" else (70, 110, 50)
        for i in range(-12, 13):
            draw.line([(w / 2 + i * 12, 480), (w / 2 + i * 90, h)], fill=color, width=10)
    elif theme == "village":
        _houses(draw, rng, rng.randint(300, w - 300), 450)
    elif theme in ("forest", "garden"):
        for _ in range(60 if theme == "forest" else 25):
            x, y, s = rng.randint(0, w), rng.randint(470, h), rng.randint(30, 80)
            draw.ellipse([x - s, y - s * 1.4, x + s, y], fill=rng.choice([(40, 90, 50), (60, 110, 60), (30, 80, 45)]))
        if theme == "garden":
            for _ in range(200):
                x, y = rng.randint(0, w), rng.randint(500, h)
                draw.ellipse([x, y, x + 6, y + 6], fill=rng.choice([(230, 80, 100), (250, 200, 60), (250, 250, 250)]))
    elif theme == "hills":
        for _ in range(14):
            _pine(draw, rng.randint(0, w), rng.randint(480, 560), rng.randint(25, 45))
    return img


def generate(rng) -> dict[str, list[str]]:
    """Draw and store the illustrations; returns the storage names of each theme's pictures."""
    names: dict[str, list[str]] = {}
    for theme, count in THEMES.items():
        for i in range(1, count + 1):
            name = f"{FOLDER}/{theme}-{i}.jpg"
            buffer = io.BytesIO()
            render(theme, rng).save(buffer, "JPEG", quality=80, optimize=True)
            if default_storage.exists(name):
                default_storage.delete(name)
            names.setdefault(theme, []).append(default_storage.save(name, ContentFile(buffer.getvalue())))
    return names
