"""Real, well-known sites of the area (data/landmarks.toml), described by hand so the best-known offers read right.

Prices, hours and contacts stay invented. `kind` gives the behaviour (prices, hours, provider); `types` the
DATAtourisme classes when the kind's are not specific enough; `at` approximate coordinates when the commune's
centroid would be misleading (islands, beaches, lakes).
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "landmarks.toml"
PRICES = {
    "ski": (("Forfait journée adulte", "person", 30, 42), ("Forfait 6 jours adulte", "person", 165, 230)),
    "cure": (("Cure thermale conventionnée, 18 jours", "flat", 550, 750), ("Soin à l'unité", "person", 30, 90)),
}


@dataclass(frozen=True)
class Landmark:
    insee: str
    kind: str
    name: str
    short: str
    description: str
    en: str = ""
    types: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    at: tuple[float, float] | None = None
    prices: tuple = ()


def _landmark(row: dict) -> Landmark:
    prices = row.pop("prices", ())
    if isinstance(prices, str):
        prices = PRICES[prices]
    else:
        prices = tuple((p["label"], p["unit"], p["min"], p["max"]) for p in prices)
    at = row.pop("at", None)
    return Landmark(
        **{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()},
        at=tuple(at) if at else None,
        prices=prices,
    )


def landmarks() -> list[Landmark]:
    with DATA.open("rb") as f:
        return [_landmark(row) for row in tomllib.load(f)["landmark"]]
