"""What an offer search asks for, independent of the database that answers it."""

from dataclasses import dataclass
from datetime import date, datetime

from acvs.network.models import Commune, Office

from ..models import Status


@dataclass(frozen=True)
class OfferQuery:
    """Criteria of an offer search; built by the search form, the counter, the agenda and the API alike.

    A new criterion: its condition in `filters.filtered`. To have its searches' statements compiled once per shape
    rather than every time, give its values (ints, floats or strings) in `filters.criteria`, build the condition
    from them, and list the field in `compiled.REBOUND_FIELDS`."""

    text: str = ""
    types: tuple[int, ...] = ()
    commune: Commune | None = None
    office: Office | None = None
    point: tuple[float, float] | None = None
    radius_km: float | None = None
    labels: tuple[int, ...] = ()
    features: tuple[int, ...] = ()
    statuses: tuple[str, ...] = (Status.PUBLISHED,)
    owner: Office | None = None  # offers this office owns
    to_verify: bool = False  # not archived and not verified within the freshness period (the home page's list)
    order: str = "relevance"
    # A stay: only offers available (free or few left, recently confirmed) every night from arrival to departure.
    arrival: date | None = None
    departure: date | None = None
    updated_since: datetime | None = None  # changed at or after this moment (the API's incremental sync)

    @property
    def centre(self) -> tuple[float, float] | None:
        if self.point:
            return self.point
        if self.commune and self.radius_km:
            return (self.commune.latitude, self.commune.longitude)
        return None

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip())

    @property
    def in_area(self) -> bool:
        """Bounded by a place (a commune, an office's territory, a distance): its offers are a few thousand, and
        even the widest area's results would be read whole by a distance order. Such a search is taken as narrow
        without asking the planner (it is still counted only up to the cap)."""
        return bool(self.commune or self.office or self.centre)

    @property
    def sort(self) -> str:
        """The order the results come in: "rank" (text relevance), "distance", "name" or "freshness"."""
        around = bool(self.centre and self.radius_km)
        if self.order == "name":
            return "name"
        if self.order == "distance" and around:
            return "distance"
        if self.order == "freshness":
            return "freshness"
        if self.has_text:
            return "rank"
        return "distance" if around else "name"
