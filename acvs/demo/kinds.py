"""What a kind of offer looks like: DATAtourisme types, where it is found, how it is named, described and priced.

The catalogue itself is split by theme into kinds_stay, kinds_visit and kinds_more.
"""

from dataclasses import dataclass, field


def z(coast=0.0, verdon=0.0, mountain=0.0, var=0.0, haute=0.0) -> dict[str, float]:
    """Relative frequency of a kind in each zone (see geo.ZONES)."""
    return {"coast": coast, "verdon": verdon, "mountain": mountain, "var": var, "haute": haute}


@dataclass(frozen=True)
class Kind:
    key: str
    types: tuple[str, ...]  # most specific DATAtourisme classes
    zones: dict[str, float]
    names: tuple[str, ...]  # patterns with {placeholders} (names.POOLS, commune forms)
    # (what, details): "what" carries its article ("un hôtel familial"); details are whole sentences.
    fr: tuple[tuple[str, ...], tuple[str, ...]]
    en: tuple[tuple[str, ...], tuple[str, ...]]
    de: str = ""  # noun for the German and Italian short texts
    it: str = ""
    loc: str = "stay"  # pool of location phrases (texts.LOCATIONS)
    capacity: tuple | None = None  # (unit, min, max, persons per unit)
    prices: tuple = ()  # (label, unit, min, max)
    schedule: str = ""  # see schedule.periods
    labels: str = ""  # see extras.labels
    features: tuple[str, ...] = ()
    provider: str = "business"  # business | mairie | asso | none
    per_commune: bool = False  # at most one in a commune (its name usually holds the commune's)
    min_pop: int = 0
    max_pop: int = 10**7
    covered: bool = False  # only in communes of a local office's territory (but not its seat)
    photo: str = ""  # illustration theme, else the zone's
    pets: str = ""  # stay | food | indoor | outdoor | ""
    pay: str = ""  # stay | food | shop | site | ""
    access: bool = True  # may have accessibility features
    verb: tuple[str, ...] = field(default=("vous accueille", "vous reçoit"))


def catalogue() -> list[Kind]:
    from .kinds_leisure import KINDS as LEISURE
    from .kinds_more import KINDS as MORE
    from .kinds_stay import KINDS as STAY
    from .kinds_visit import KINDS as VISIT

    kinds = [*STAY, *VISIT, *LEISURE, *MORE]
    assert len({k.key for k in kinds}) == len(kinds), "duplicate kind key"
    return kinds
