"""Tourinsoft syndication (JSON) → mapped records (pure: no database).

Both syndication formats: V2 (OData verbose, `{"d": {"results": [...]}}`) and V3 (`{"value": [...]}`); their
objects share the same flat fields, several values in one string: `#` between items, `|` between an item's parts
(`AdresseComplete` = "line 1|line 2|line 3|postcode|commune|INSEE", `MoyenDeCom` = "kind|value#…",
`PeriodeOuverture` = "from|to|opens|closes|opens|closes|open days$…|closed days#…"). The object type is the
bordereau, the first three letters of `SyndicObjectID` (HOT, FMA…), mapped to DATAtourisme classes by TYPES.
"""

import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import ALL_DAYS, Connector, RecordRefused, coordinates, load_json, merged, numbered, period

# Tourinsoft bordereau → the DATAtourisme classes of its offers.
TYPES = {
    "HOT": ["Hotel"],
    "HPA": ["CampingAndCaravanning"],
    "HLO": ["RentalAccommodation"],
    "HCO": ["CollectiveAccommodation"],
    "RES": ["FoodEstablishment"],
    "FMA": ["EntertainmentAndEvent"],
    "PCU": ["CulturalSite"],
    "PNA": ["NaturalHeritage"],
    "LOI": ["SportsAndLeisurePlace"],
    "ASC": ["ActivityProvider"],
    "DEG": ["TastingProvider"],
    "COS": ["ServiceProvider"],
    "ITI": ["Tour"],
}
DAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
UPDATED = re.compile(r"/Date\((-?\d+)[^)]*\)/")


def read(name: str, content: bytes) -> list[tuple[str, object]]:
    data = load_json(name, content)
    if isinstance(data, dict) and isinstance(data.get("d"), dict):  # V2
        data = data["d"].get("results", [])
    elif isinstance(data, dict) and "value" in data:  # V3
        data = data["value"]
    return numbered(name, data if isinstance(data, list) else [data])


def describe(obj) -> tuple[str, str]:
    if not isinstance(obj, dict):
        return "", ""
    return str(obj.get("SyndicObjectID") or ""), str(obj.get("SyndicObjectName") or "").strip()


def _items(value) -> list[list[str]]:
    """A `#`-separated list of `|`-separated parts."""
    return [item.split("|") for item in str(value or "").split("#") if item.strip()]


def _updated(value) -> str:
    match = UPDATED.match(str(value or ""))
    if not match:
        return ""
    return datetime.datetime.fromtimestamp(int(match[1]) / 1000, tz=datetime.UTC).isoformat()


def map_object(obj) -> dict:
    if not isinstance(obj, dict):
        raise RecordRefused(_("The record is not a JSON object."))
    source_id, name = describe(obj)
    if not source_id:
        raise RecordRefused(_("The record has no identifier (SyndicObjectID)."))
    if not name:
        raise RecordRefused(_("The record has no name (SyndicObjectName)."))
    kind = source_id[:3].upper()
    if kind not in TYPES:
        raise RecordRefused(
            _("Unknown Tourinsoft type “%(type)s” (%(name)s).") % {"type": kind, "name": obj.get("ObjectTypeName")}
        )
    latitude, longitude = coordinates(
        obj.get("GmapLatitude") or obj.get("GooglemapLatitude"),
        obj.get("GmapLongitude") or obj.get("GooglemapLongitude"),
        _("The record has no valid coordinates (GmapLatitude, GmapLongitude)."),
    )
    address = (_items(obj.get("AdresseComplete")) or [[]])[0] + [""] * 6
    fields = {
        "name": name[:200],
        "address": ", ".join(part.strip() for part in address[:3] if part.strip())[:250],
        "postcode": address[3].strip()[:5],
        **_contacts(obj),
    }
    if obj.get("DescriptionCommerciale"):
        fields["description_fr"] = str(obj["DescriptionCommerciale"]).strip()
    photos = [item[0] for item in _items(obj.get("Photos"))]
    photos += [(p.get("Photo") or {}).get("Url") for p in obj.get("MediaPhotoss") or [] if isinstance(p, dict)]
    extra = {
        "photos": [url for url in photos if url],
        "labels": [item[0].strip() for item in _items(obj.get("Labels")) if item[0].strip()],
        "classification": str(obj.get("ClassementsllPrefectoral") or ""),
    }
    return {
        "source_id": source_id,
        "updated": _updated(obj.get("Updated")),
        "name": name,
        "types": TYPES[kind],
        "insee": address[5].strip(),
        "city": address[4].strip(),
        "latitude": latitude,
        "longitude": longitude,
        "fields": fields,
        "periods": merged(_periods(obj.get("PeriodeOuverture"))),
        "prices": _prices(obj.get("Tarifs")),
        "extra": {key: value for key, value in extra.items() if value},
    }


def _contacts(obj: dict) -> dict:
    found = {}
    for kind, value, *_rest in (item for item in _items(obj.get("MoyenDeCom")) if len(item) > 1):
        kind, value = kind.lower(), value.strip()
        field = "email" if "mél" in kind or "mail" in kind else "website" if "site web" in kind else None
        field = field or ("phone" if "téléphone" in kind else None)
        if field and value and field not in found:
            found[field] = value
    return {field: found.get(field, "") for field in ("phone", "email", "website")}


def _date(value: str) -> str | None:
    try:
        return datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date().isoformat()
    except ValueError:
        return None


def _periods(value) -> list[dict]:
    """One period per time slot of each opening (a lunch break makes two)."""
    periods = []
    for item in _items(value):
        item += [""] * 8
        start, end = _date(item[0]), _date(item[1])
        if not start or not end:
            continue
        named = {part.strip().split(" ")[0].lower() for part in item[6].split("$") if part.strip()}
        days = sorted(DAYS[d] for d in named if d in DAYS) or ALL_DAYS
        slots = [(item[2], item[3]), (item[4], item[5])]
        slots = [(o, c) for o, c in slots if o.strip() and c.strip()] or [(None, None)]
        periods += [period(start, end, days, opens, closes) for opens, closes in slots]
    return periods


def _prices(value) -> list[dict]:
    """Rates with an amount: "label|…|amount|amount…"; a rate without any amount says nothing ACVS can show."""
    prices = []
    for label, *parts in _items(value):
        amounts = []
        for part in parts:
            try:
                amounts.append(float(part.replace(",", ".").replace("€", "").strip()))
            except ValueError:
                continue
        if amounts and label.strip() and min(amounts) >= 0:
            high = max(amounts) if max(amounts) > min(amounts) else None
            prices.append({"label": label.strip()[:150], "min_amount": str(min(amounts)),
                           "max_amount": str(high) if high else None})  # fmt: skip
    return prices


CONNECTOR = Connector(
    code="tourinsoft",
    label="Tourinsoft",
    extensions=(".json",),
    help_text=gettext_lazy("A syndication in JSON, version 2 (d.results) or 3 (value)."),
    read=read,
    map=map_object,
    describe=describe,
)
