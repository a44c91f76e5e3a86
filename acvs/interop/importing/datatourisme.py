"""DATAtourisme JSON-LD flux → mapped records (pure: no database).

Plain JSON, not rdflib: the flux is compact JSON-LD with a fixed context (the DATAtourisme one), so each property
always has the same short key; expanding 700 KB objects into triples to read a dozen properties would cost seconds
per file for nothing. Both namespaces are accepted (2023+ `datatourisme.fr` and the older `datatourisme.gouv.fr`):
keys are compact and class names are read without their prefix. Older files wrap single values in lists; `one()`
reads either.
"""

import functools
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acvs.offer.models import Price

from .base import (
    ALL_DAYS,
    LANGUAGES,
    Connector,
    FileRefused,
    RecordRefused,
    as_list,
    coordinates,
    iso_date,
    load_json,
    merged,
    numbered,
    period,
    read_records,
    read_zip,
)

ACVS_LABELS = "/datatourisme/labels/"
DAYS = {"Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5, "Sunday": 6}


# The flux's hosts, newer then older: an object's @id is https://<host>/<producer>/<uuid>, its file in the flux
# objects/<h>/<hh>/<producer>-<uuid>.json (so in every real flux of the shared samples, 2020 and 2024).
HOSTS = ("data.datatourisme.fr", "data.datatourisme.gouv.fr")


@dataclass(frozen=True)
class Unread:
    """An object of a flux left undecoded: the flux's index dates it as the provenance of its @id does."""

    source_id: str
    name: str
    updated: str


def read(name: str, content: bytes, unchanged=None) -> list[tuple[str, object]]:
    """The objects of an uploaded file: one object, a list of objects, an `@graph`, or a flux zip.

    A flux zip's `index.json` gives each object's file and `lastUpdateDatatourisme`: `unchanged` ({source id: that
    date} → the source ids whose last import had the same date, with nothing left to settle) lets those objects stay
    undecoded (an `Unread` each), so a daily flux decodes only what changed. An unread @id that a decoded object also
    has (a record twice in the file) is decoded after all: the second must be compared in full."""
    if name.lower().endswith(".zip"):
        skipped: dict[str, str] = {}  # file → source id left unread

        def unread(archive, names: list[str]) -> dict[str, Unread]:
            entries = _index(archive, names) if unchanged is not None else {}
            kept: set[str] = set()
            for host in range(len(HOSTS)):  # the newer host, then the older for the objects still not found
                dates = {ids[host]: updated for ids, updated, _label in entries.values() if not kept & set(ids)}
                kept |= unchanged(dates) if dates else set()
            stubs = {}
            for file, (ids, updated, label) in entries.items():
                if found := next((i for i in ids if i in kept), None):
                    stubs[file] = Unread(found, label, updated)
                    skipped[file] = found
            return stubs

        files = read_zip(content, lambda path: path.rsplit("/", 1)[-1] not in {"index.json", "context.json"}, unread)
        if not files:
            raise FileRefused(_("The archive holds no JSON record."))
        decoded = {_source_id(obj) for obj in files.values() if not isinstance(obj, Unread)}
        if again := {file for file, source_id in skipped.items() if source_id in decoded}:
            files |= read_zip(content, lambda path: path in again)
        return list(files.items())
    objects = load_json(name, content)
    if isinstance(objects, dict) and "@graph" in objects:
        objects = _framed(as_list(objects["@graph"]))
    return numbered(name, objects if isinstance(objects, list) else [objects])


def _index(archive, names: list[str]) -> dict[str, tuple[tuple[str, str], str, str]]:
    """The flux's index as {file of the archive: ((its @id under either host), lastUpdateDatatourisme, label)}, for
    the entries whose file is in the archive and named as the flux names them; {} without a readable index."""
    index = next((n for n in archive.namelist() if n.rsplit("/", 1)[-1] == "index.json"), None)
    if index is None or archive.getinfo(index).file_size > MAX_INDEX:
        return {}
    try:
        entries = load_json(index, archive.read(index))
    except FileRefused:
        return {}
    by_path = {n.split("objects/", 1)[1]: n for n in names if "objects/" in n}
    found = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        file, updated = entry.get("file"), entry.get("lastUpdateDatatourisme")
        if not isinstance(file, str) or not isinstance(updated, str) or not updated or file not in by_path:
            continue
        producer, _dash, key = file.rsplit("/", 1)[-1].removesuffix(".json").partition("-")
        if producer and key:
            found[by_path[file]] = (tuple(f"https://{host}/{producer}/{key}" for host in HOSTS), updated,
                                    str(entry.get("label") or "")[:200])  # fmt: skip
    return found


MAX_INDEX = 20 * 1024 * 1024  # a larger index is not read (one of 20,000 objects, the most a file holds, has ~4 MB)


def _framed(nodes: list) -> list:
    """A flattened graph (rdflib's JSON-LD, as ACVS's own export writes it) as the flux's nested objects: each point
    of interest, the nodes it refers to embedded in it. A graph without any point of interest is left as it is."""
    index = {n["@id"]: n for n in nodes if isinstance(n, dict) and isinstance(n.get("@id"), str)}
    pois = [n for n in nodes if isinstance(n, dict) and "PointOfInterest" in map(short_class, as_list(n.get("@type")))]

    def embed(node, seen: frozenset):
        if isinstance(node, list):
            return [embed(v, seen) for v in node]
        if not isinstance(node, dict):
            return node
        iri = node.get("@id")
        if set(node) == {"@id"} and iri in index and iri not in seen:
            return embed(index[iri], seen | {iri})
        return {key: embed(v, seen) for key, v in node.items()}

    return [embed(poi, frozenset({poi.get("@id")})) for poi in pois] if pois else nodes


def read_file(name: str, content: bytes) -> list[dict]:
    return read_records(CONNECTOR, name, content)


def one(value):
    """The single value of a property, whether the file wraps it in a list or not."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def value(node):
    """A literal's value, plain ("x") or typed ({"@value": "x", "@type": …}), or an IRI's ({"@id": …})."""
    node = one(node)
    if isinstance(node, dict):
        return node.get("@value", node.get("@id"))
    return node


def text(node) -> dict[str, str]:
    """A multilingual literal as {language: text} for the languages we keep: the flux's {"fr": ["..."], ...}, or
    tagged values ({"@language": "fr", "@value": "..."}, one or a list) as rdflib writes them."""
    if isinstance(node, str):
        return {"fr": node}
    tagged = [v for v in as_list(node) if isinstance(v, dict) and "@value" in v]
    if tagged:
        return {v.get("@language"): str(v["@value"]).strip() for v in tagged if v.get("@language") in LANGUAGES}
    if not isinstance(node, dict):
        return {}
    return {lang: str(one(v) or "").strip() for lang, v in node.items() if lang in LANGUAGES and one(v)}


def short_class(name: str) -> str:
    return name.rsplit("#", 1)[-1].rsplit(":", 1)[-1]


def describe(obj) -> tuple[str, str]:
    return _source_id(obj), _name(obj)


def _source_id(obj) -> str:
    if isinstance(obj, Unread):
        return obj.source_id
    return str(obj.get("@id", "")) if isinstance(obj, dict) else ""


def _name(obj) -> str:
    if isinstance(obj, Unread):
        return obj.name
    if not isinstance(obj, dict):
        return ""
    names = text(obj.get("rdfs:label"))
    return names.get("fr") or next(iter(names.values()), "")


def map_poi(obj) -> dict:
    """One point of interest as the fields ACVS keeps; RecordRefused when it cannot become an offer. An object left
    unread is its id, name and date, marked "unread" (the run takes it as unchanged, or refuses it)."""
    if isinstance(obj, Unread):
        return {"source_id": obj.source_id, "updated": obj.updated, "name": obj.name, "unread": True}
    if not isinstance(obj, dict):
        raise RecordRefused(_("The record is not a JSON object."))
    source_id, name = _source_id(obj), _name(obj)
    if not source_id:
        raise RecordRefused(_("The record has no identifier (@id)."))
    if not name:
        raise RecordRefused(_("The record has no name (rdfs:label)."))
    place = one(obj.get("isLocatedAt")) or {}
    address = one(place.get("schema:address")) or {}
    city = one(address.get("hasAddressCity")) or {}
    geo = one(place.get("schema:geo")) or {}
    contact = one(obj.get("hasContact")) or {}
    comments = text(obj.get("rdfs:comment"))
    descriptions = text(one(obj.get("hasDescription") or [{}]).get("dc:description"))
    fields = {"name": name[:200]}
    for lang in LANGUAGES:
        if comments.get(lang):
            fields[f"short_description_{lang}"] = comments[lang][:300]
        if descriptions.get(lang):
            fields[f"description_{lang}"] = descriptions[lang]
    street = address.get("schema:streetAddress") or []
    fields["address"] = ", ".join(dict.fromkeys(s.strip() for s in ([street] if isinstance(street, str) else street)))
    fields["address"] = fields["address"][:250]
    fields["postcode"] = str(value(address.get("schema:postalCode")) or "")[:5]
    fields["phone"] = str(value(contact.get("schema:telephone")) or "")
    fields["email"] = str(value(contact.get("schema:email")) or "")
    fields["website"] = str(value(contact.get("foaf:homepage")) or "")
    if value(obj.get("allowedPersons")) is not None:
        fields["capacity_persons"] = int(value(obj.get("allowedPersons")))
    latitude, longitude = coordinates(
        value(geo.get("schema:latitude")),
        value(geo.get("schema:longitude")),
        _("The record has no valid coordinates (schema:geo)."),
    )
    labels = [str(value(r.get("hasReviewValue")) or "") for r in as_list(obj.get("hasReview")) if isinstance(r, dict)]
    return {
        "source_id": source_id,
        "updated": str(obj.get("lastUpdateDatatourisme") or ""),
        "name": name,
        "types": [short_class(t) for t in as_list(obj.get("@type"))],
        "insee": str(value(city.get("insee")) or ""),
        "city": str(value(address.get("schema:addressLocality")) or ""),
        "latitude": latitude,
        "longitude": longitude,
        "fields": fields,
        "periods": merged(_periods(obj, place)),
        "prices": _prices(obj),
        # ACVS's own labels, by the IRI its export gives them; the national flux's are not ACVS's.
        "labels": [iri.rsplit(ACVS_LABELS, 1)[1] for iri in labels if ACVS_LABELS in iri],
    }


def _periods(obj: dict, place: dict) -> list[dict]:
    """Opening hours, and an event's dates that no opening hours already give (ACVS exports an event's schedule
    both ways)."""
    hours = _opening_hours(place)
    dated = {(p["start_date"], p["end_date"]) for p in hours}
    return hours + [p for p in _event_periods(obj) if (p["start_date"], p["end_date"]) not in dated]


def _opening_hours(place: dict) -> list[dict]:
    """Simple opening periods: a date range, some weekdays, one opening and closing time each."""
    periods = []
    for spec in as_list(place.get("schema:openingHoursSpecification")):
        start, end = iso_date(value(spec.get("schema:validFrom"))), iso_date(value(spec.get("schema:validThrough")))
        if not start or not end:
            continue
        names = [short_class(d.get("@id", "")) for d in as_list(spec.get("schema:dayOfWeek")) if isinstance(d, dict)]
        days = sorted({DAYS[n] for n in names if n in DAYS}) or ALL_DAYS
        note = text(spec.get("additionalInformation")).get("fr", "")[:200]
        opens, closes = value(spec.get("schema:opens")), value(spec.get("schema:closes"))
        periods.append(period(start, end, days, opens, closes, note))
    return periods


def _event_periods(obj: dict) -> list[dict]:
    periods = []
    for when in as_list(obj.get("takesPlaceAt")):
        start, end = iso_date(value(when.get("startDate"))), iso_date(value(when.get("endDate")))
        if start and end:
            periods.append(period(start, end, ALL_DAYS, value(when.get("startTime")), value(when.get("endTime"))))
    return periods


def _prices(obj: dict) -> list[dict]:
    """Rates in euros with a lowest price; ACVS's export names each "label (unit)", read back into both."""
    prices = []
    for sale in as_list(obj.get("offers")):
        for spec in as_list(sale.get("schema:priceSpecification") if isinstance(sale, dict) else None):
            amounts = [value(spec.get(f"schema:{bound}Price")) for bound in ("min", "max")]
            amounts = [float(a) for a in amounts if a is not None]
            if not amounts or (value(spec.get("schema:priceCurrency")) or "EUR") != "EUR":
                continue
            # Real fluxes give a maximum alone, or one lower than the minimum: the range is what they mean.
            low, high = min(amounts), max(amounts)
            label, unit = _label_and_unit(text(spec.get("additionalInformation")).get("fr", ""))
            prices.append({"label": label[:150] or _("Rate"), "unit": unit, "min_amount": f"{low:.2f}",
                           "max_amount": f"{high:.2f}" if len(amounts) > 1 else None})  # fmt: skip
    return prices


def _label_and_unit(information: str) -> tuple[str, str]:
    for unit, names in _unit_names().items():
        for name in names:
            if information.endswith(f" ({name})"):
                return information[: -len(name) - 3], unit
    return information, Price.Unit.PERSON


@functools.cache
def _unit_names() -> dict[str, set[str]]:
    names = {}
    for language in ("fr", "en"):
        with translation.override(language):
            for unit in Price.Unit:
                names.setdefault(unit.value, set()).add(str(unit.label))
    return names


CONNECTOR = Connector(
    code="datatourisme",
    label="DATAtourisme",
    extensions=(".json", ".jsonld", ".zip"),
    help_text=gettext_lazy("One JSON-LD object, a JSON list of objects, or a flux archive (.zip)."),
    read=read,
    map=map_poi,
    describe=describe,
    skips_unchanged=True,
)
