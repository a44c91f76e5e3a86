"""Reference lists of the counter: countries, languages, themes, neighbouring départements, working days."""

import csv
import datetime
from functools import cache
from pathlib import Path

import holidays
from django.utils.translation import gettext_noop

DATA = Path(__file__).parent / "data"

# The most frequent foreign origins, offered as one-tap buttons (then the full list in a select).
FREQUENT_COUNTRIES = ["DE", "BE", "NL", "GB", "IT", "CH", "ES", "US"]
# The language a visitor from these countries most likely speaks (pre-selected, the agent may change it).
COUNTRY_LANGUAGE = {"DE": "de", "BE": "fr", "NL": "nl", "GB": "en", "IT": "it", "CH": "de", "ES": "es", "US": "en"}
FREQUENT_LANGUAGES = ["fr", "en", "de", "nl", "it", "es"]

# Bordering départements (metropolitan France, the regions the network covers first).
NEIGHBOURS = {
    "04": ["05", "06", "13", "26", "83", "84"],
    "05": ["04", "26", "38", "73"],
    "06": ["04", "83"],
    "13": ["04", "30", "83", "84"],
    "83": ["04", "06", "13", "84"],
    "84": ["04", "13", "26", "30"],
}

# (code, label): the themes visitors ask about. Loaded by a data migration, codes kept stable for statistics.
# Labels are English msgids translated by the catalogue (French: randonnée, patrimoine, plages et baignade...).
THEMES = [
    ("hiking", gettext_noop("Hiking")),
    ("heritage", gettext_noop("Heritage")),
    ("beaches", gettext_noop("Beaches and swimming")),
    ("food-wine", gettext_noop("Food and wine")),
    ("water-sports", gettext_noop("Water sports")),
    ("cycling", gettext_noop("Cycling")),
    ("nature", gettext_noop("Nature")),
    ("culture-festivals", gettext_noop("Culture and festivals")),
    ("wellness", gettext_noop("Wellness")),
    ("ski-mountain", gettext_noop("Skiing and mountains")),
    ("shopping-markets", gettext_noop("Shopping and markets")),
    ("children-family", gettext_noop("Children and family")),
]

# The precise types a theme suggests at the counter (highlighted when the theme is ticked): stays as well as
# activities, unlike THEME_TYPES below, which is what the theme brings to the advice.
COUNTER_THEME_TYPES = {
    "hiking": ["WalkingTour", "StopOverOrGroupLodge"],
    "cycling": ["CyclingTour", "Guesthouse"],
    "beaches": ["Beach", "Camping"],
    "nature": ["WalkingTour", "Camping"],
    "heritage": ["Museum", "CulturalSite"],
    "food-wine": ["Restaurant", "Guesthouse"],
}
# The party a profile implies (adults, children): set when the profile is tapped, still adjustable.
PROFILE_PARTY = {"couple": (2, 0), "family": (2, 2), "solo": (1, 0), "senior": (2, 0)}


# What each theme brings to the advice, as DATAtourisme classes (their sub-types included): the network's default,
# which its administrators change on the themes screen (desk:themes). Codes that the loaded ontology lacks are ignored.
THEME_TYPES = {
    "hiking": ["WalkingTour", "NaturalHeritage"],
    "heritage": ["CulturalSite"],
    "beaches": ["Beach", "Coastline"],
    "food-wine": ["TastingProvider", "Market"],
    "water-sports": ["NauticalCentre", "Marina", "UnderwaterRoute"],
    "cycling": ["CyclingTour"],
    "nature": ["NaturalHeritage", "ParkAndGarden", "NaturalPark"],
    "culture-festivals": ["CulturalEvent", "Museum", "Theater"],
    "wellness": ["Spa", "SpaResort", "ThalassotherapyCentre"],
    "ski-mountain": ["DownhillSkiResort", "CrossCountrySkiResort", "Summit", "ViaFerrata"],
    "shopping-markets": ["Market", "Store"],
    "children-family": ["ThemePark", "ZooAnimalPark", "LeisureComplex", "MiniGolf", "SwimmingPool"],
}


@cache
def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → French name."""
    with open(DATA / "countries_fr.csv", encoding="utf-8") as f:
        return {row["alpha_2"]: row["name_fr"] for row in csv.DictReader(f)}


@cache
def languages() -> dict[str, str]:
    """ISO 639-1 code → French name."""
    with open(DATA / "languages_fr.csv", encoding="utf-8") as f:
        return {row["alpha_2"]: row["name_fr"] for row in csv.DictReader(f)}


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((code, name) for code, name in countries().items() if code != "FR"), key=lambda c: c[1]))


@cache
def language_choices() -> tuple[tuple[str, str], ...]:
    names = languages()
    frequent = [(code, names[code]) for code in FREQUENT_LANGUAGES]
    others = sorted(((c, n) for c, n in names.items() if c not in FREQUENT_LANGUAGES), key=lambda c: c[1])
    return (*frequent, *others)


@cache
def _public_holidays(year: int) -> frozenset[datetime.date]:
    # Metropolitan France's national days (Var and Alpes-de-Haute-Provence have no local ones).
    return frozenset(holidays.France(years=year))


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, French public holidays excepted."""
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """`start` plus `days` working days, skipping weekends and French public holidays."""
    current = start
    added = 0
    while added < days:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            added += 1
    return current


def department_code_for_postcode(postcode: str) -> str:
    """The département code a French postcode belongs to (Corsica and overseas included)."""
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    if postcode.startswith("97"):
        return postcode[:3]
    return postcode[:2]


def ensure_themes(theme_model) -> int:
    """Create the missing themes with their default types; returns how many exist. Used by the data migrations and
    by tests after a flush."""
    # The first migration's Theme has no types yet: the second sets them (default_theme_types).
    has_types = any(f.name == "offer_types" for f in theme_model._meta.get_fields())
    for position, (code, label) in enumerate(THEMES):
        defaults = {"label": label, "position": position}
        if has_types:
            defaults["offer_types"] = THEME_TYPES.get(code, [])
        theme_model.objects.get_or_create(code=code, defaults=defaults)
    return theme_model.objects.count()


def default_theme_types(theme_model) -> None:
    """Give the themes that have no types yet the network's default (data migration)."""
    for theme in theme_model.objects.filter(code__in=THEME_TYPES):
        if not theme.offer_types:
            theme.offer_types = THEME_TYPES[theme.code]
            theme.save(update_fields=["offer_types"])
