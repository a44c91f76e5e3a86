"""Geography of the demo: which communes are seaside, Verdon or mountain, and the area each one belongs to."""

import math
from dataclasses import dataclass, field

from acvs.network.models import Commune

from .names import words

# Zones drive the mix of offers: seaside Var gets beaches and diving, the Ubaye gets ski and mountain huts...
COAST = set(
    words(
        "83036 83048 83101 83119 83115 83068 83042 83065 83152 83070 83019 83071 83069 83034 83098 83137 83126 "
        "83129 83153 83123 83009 83112 83061 83118 83107"
    )
)
VERDON = set(
    words(
        "04039 04144 04171 04135 04176 04081 04158 04094 04189 04186 04173 04183 04069 83002 83122 83015 83142 "
        "83014 83005 83150 83020 83022 83074 83040 83044"
    )
)
MOUNTAIN = set(
    words(
        "04019 04033 04062 04073 04086 04096 04102 04120 04161 04193 04195 04220 04226 04006 04061 04240 04025 "
        "04219 04218 04205 04203 04126 04191 04155 04017 04235 04020 04237 04154 04150 04234"
    )
)
ZONES = ("coast", "verdon", "mountain", "var", "haute")
# Small communes with far more tourism than their population suggests.
TOURISTY = set(
    words(
        "83036 83048 83101 83119 83115 83068 83065 83152 83070 83019 04135 04094 04039 04019 04006 04226 04073 83139 "
        "04144 83122"
    )
)

# The area a commune belongs to, as a tourist would name it (French with its article, English).
REGIONS = {
    "CC du Golfe de Saint-Tropez": ("le golfe de Saint-Tropez", "the Gulf of Saint-Tropez"),
    "Métropole Toulon-Provence-Méditerranée": ("la rade de Toulon", "the Toulon harbour area"),
    "CC Méditerranée Porte des Maures": ("le massif des Maures", "the Maures hills"),
    "CA Estérel Côte d'Azur Agglomération": ("l'Estérel", "the Esterel"),
    "CA Sud Sainte Baume": ("les vignobles de Bandol", "the Bandol wine country"),
    "CA de la Provence Verte": ("la Provence Verte", "Provence Verte"),
    "CC Coeur du Var": ("le Cœur du Var", "the heart of the Var"),
    "CA Dracénie Provence Verdon Agglomération": ("la Dracénie", "the Dracénie"),
    "CC Lacs et Gorges du Verdon": ("les lacs et gorges du Verdon", "the Verdon lakes and gorges"),
    "CC Provence Verdon": ("le Haut-Var", "the upper Var"),
    "CC de la Vallée du Gapeau": ("la vallée du Gapeau", "the Gapeau valley"),
    "CC du Pays de Fayence": ("le pays de Fayence", "the Fayence area"),
    "Métropole d'Aix-Marseille-Provence": ("la Sainte-Baume", "the Sainte-Baume massif"),
    "CA Durance-Lubéron-Verdon Agglomération": ("le pays de Manosque et le Verdon", "the Manosque and Verdon area"),
    "CA Provence-Alpes-Agglomération": ("la Haute-Provence", "Haute-Provence"),
    'CC Alpes-Provence-Verdon "Sources de lumière"': ("le haut Verdon", "the upper Verdon"),
    "CC Haute-Provence - Pays de Banon": ("le pays de Banon", "the Banon area"),
    "CC Jabron-Lure-Vançon-Durance": ("la vallée du Jabron", "the Jabron valley"),
    "CC Pays Forcalquier et Montagne de Lure": ("le pays de Forcalquier", "the Forcalquier area"),
    "CC Pays d'Apt-Luberon": ("le Luberon", "the Luberon"),
    "CC Serre-Ponçon": ("le lac de Serre-Ponçon", "Lake Serre-Ponçon"),
    "CC Serre-Ponçon Val d'Avance": ("le lac de Serre-Ponçon", "Lake Serre-Ponçon"),
    "CA Gap-Tallard-Durance": ("le lac de Serre-Ponçon", "Lake Serre-Ponçon"),
    "CC Vallée de l'Ubaye - Serre-Ponçon": ("la vallée de l'Ubaye", "the Ubaye valley"),
    "CC du Sisteronais-Buëch": ("le Sisteronais", "the Sisteron area"),
}
ZONE_WEIGHT = {"coast": 3.0, "verdon": 2.4, "mountain": 2.0, "var": 1.0, "haute": 0.9}


@dataclass
class Place:
    """A commune with what the generators need, read once from the database."""

    commune: Commune
    zone: str
    region_fr: str
    region_en: str
    neighbours: list[str] = field(default_factory=list)

    @property
    def insee(self) -> str:
        return self.commune.insee

    @property
    def name(self) -> str:
        return self.commune.name

    @property
    def population(self) -> int:
        return self.commune.population

    @property
    def department(self) -> str:
        return self.commune.department.code


def zone_of(commune: Commune) -> str:
    if commune.insee in COAST:
        return "coast"
    if commune.insee in VERDON:
        return "verdon"
    if commune.insee in MOUNTAIN:
        return "mountain"
    return "var" if commune.insee.startswith("83") else "haute"


def load_places() -> dict[str, Place]:
    communes = list(Commune.objects.filter(department__code__in=["04", "83"]).select_related("department"))
    places = {}
    for c in communes:
        fr, en = REGIONS.get(c.epci_name, ("la Provence", "Provence"))
        places[c.insee] = Place(c, zone_of(c), fr, en)
    # Nearest communes name the "route de ..." addresses.
    for p in places.values():
        others = sorted(communes, key=lambda o: distance_km(p.commune, o))
        p.neighbours = [o.name for o in others[1:5]]
    return places


def distance_km(a, b) -> float:
    dlat = math.radians(b.latitude - a.latitude)
    dlon = math.radians(b.longitude - a.longitude) * math.cos(math.radians(a.latitude))
    return 6371.0 * math.hypot(dlat, dlon)


def jitter(rng, lat: float, lon: float, max_km: float) -> tuple[float, float]:
    """A point within max_km of (lat, lon), uniform over the disc."""
    r = max_km * math.sqrt(rng.random())
    theta = rng.random() * 2 * math.pi
    dlat = r * math.cos(theta) / 111.2
    dlon = r * math.sin(theta) / (111.2 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)
