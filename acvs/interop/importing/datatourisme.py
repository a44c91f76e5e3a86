"""DATAtourisme JSON-LD flux → mapped records (pure: no database).

Plain JSON, not rdflib: the flux is compact JSON-LD with a fixed context (the DATAtourisme one), so each property
always has the same short key; expanding 700 KB objects into triples to read a dozen properties would cost seconds
per file for nothing. Both namespaces are accepted (2023+ `datatourisme.fr` and the older `datatourisme.gouv.fr`):
keys are compact and class names are read without their prefix. Older files wrap single values in lists; `one()`
reads either.
"""

import datetime
import io
import json
import zipfile

from django.utils.translation import gettext as _

MAX_RECORDS = 500  # read in the request (see docs): larger fluxes wait for the background import
MAX_UNZIPPED = 100 * 1024 * 1024
LANGUAGES = ("fr", "en", "de", "it", "es", "nl")
DAYS = {"Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5, "Sunday": 6}
ALL_DAYS = list(range(7))


class FileRefused(ValueError):
    """The file as a whole cannot be read (bad JSON, bad zip, too large): nothing is imported."""


class RecordRefused(ValueError):
    """One record cannot be mapped; the others still can."""


def read_file(name: str, content: bytes) -> list[dict]:
    """Every record of an uploaded file: one object, a list of objects, an `@graph`, or a flux zip."""
    if name.lower().endswith(".zip"):
        return _read_zip(content)
    objects = _load(name, content)
    if isinstance(objects, dict) and "@graph" in objects:
        objects = objects["@graph"]
    objects = objects if isinstance(objects, list) else [objects]
    return _records([(f"{name} #{i}" if len(objects) > 1 else name, obj) for i, obj in enumerate(objects, 1)])


def _load(name: str, content: bytes):
    try:
        return json.loads(content)
    except UnicodeDecodeError:
        raise FileRefused(_("%(name)s is not UTF-8 text.") % {"name": name}) from None
    except json.JSONDecodeError as error:
        raise FileRefused(
            _("%(name)s is not valid JSON (line %(line)s, column %(column)s: %(message)s).")
            % {"name": name, "line": error.lineno, "column": error.colno, "message": error.msg}
        ) from None


def _read_zip(content: bytes) -> list[dict]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = [i for i in archive.infolist() if i.filename.endswith(".json") and not i.is_dir()]
        members = [i for i in members if i.filename.rsplit("/", 1)[-1] not in {"index.json", "context.json"}]
        if sum(i.file_size for i in members) > MAX_UNZIPPED:
            raise FileRefused(_("The archive holds more than 100 MB of files."))
        if len(members) > MAX_RECORDS:
            raise FileRefused(_("The archive holds more than %(max)s records.") % {"max": MAX_RECORDS})
        objects = [(i.filename, _load(i.filename, archive.read(i))) for i in sorted(members, key=lambda i: i.filename)]
    except (zipfile.BadZipFile, EOFError):
        raise FileRefused(_("The file is not a readable zip archive (truncated or damaged?).")) from None
    if not objects:
        raise FileRefused(_("The archive holds no JSON record."))
    return _records(objects)


def _records(objects: list[tuple[str, object]]) -> list[dict]:
    if len(objects) > MAX_RECORDS:
        raise FileRefused(_("The file holds more than %(max)s records.") % {"max": MAX_RECORDS})
    records = []
    for line, (label, obj) in enumerate(objects, 1):
        try:
            record = map_poi(obj)
        except RecordRefused as error:
            record = {"refused": str(error), "source_id": _source_id(obj), "name": _name(obj)}
        records.append({"line": line, "file": label, **record})
    return records


def one(value):
    """The single value of a property, whether the file wraps it in a list or not."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def text(value) -> dict[str, str]:
    """A multilingual literal {"fr": ["..."], ...} as {language: text} for the languages we keep."""
    if isinstance(value, str):
        return {"fr": value}
    if not isinstance(value, dict):
        return {}
    return {lang: str(one(v) or "").strip() for lang, v in value.items() if lang in LANGUAGES and one(v)}


def short_class(name: str) -> str:
    return name.rsplit("#", 1)[-1].rsplit(":", 1)[-1]


def _source_id(obj) -> str:
    return str(obj.get("@id", "")) if isinstance(obj, dict) else ""


def _name(obj) -> str:
    if not isinstance(obj, dict):
        return ""
    names = text(obj.get("rdfs:label"))
    return names.get("fr") or next(iter(names.values()), "")


def map_poi(obj) -> dict:
    """One point of interest as the fields ACVS keeps; RecordRefused when it cannot become an offer."""
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
    fields["postcode"] = str(one(address.get("schema:postalCode")) or "")[:5]
    fields["phone"] = str(one(contact.get("schema:telephone")) or "")
    fields["email"] = str(one(contact.get("schema:email")) or "")
    fields["website"] = str(one(contact.get("foaf:homepage")) or "")
    try:
        latitude, longitude = float(one(geo.get("schema:latitude"))), float(one(geo.get("schema:longitude")))
    except (TypeError, ValueError):
        raise RecordRefused(_("The record has no valid coordinates (schema:geo).")) from None
    return {
        "source_id": source_id,
        "updated": str(obj.get("lastUpdateDatatourisme") or ""),
        "name": name,
        "types": [short_class(t) for t in _list(obj.get("@type"))],
        "insee": str(city.get("insee") or ""),
        "city": str(one(address.get("schema:addressLocality")) or ""),
        "latitude": latitude,
        "longitude": longitude,
        "fields": fields,
        "periods": _merged(_opening_hours(place) + _event_periods(obj)),
    }


def _merged(periods: list[dict]) -> list[dict]:
    """DATAtourisme gives one specification per weekday: same dates and hours become one period of several days."""
    merged: dict[tuple, set] = {}
    for p in periods:
        if p["end_date"] < p["start_date"]:  # a period that ends before it starts says nothing usable
            continue
        merged.setdefault((p["start_date"], p["end_date"], p["opens"], p["closes"]), set()).update(p["weekdays"])
    return [{"start_date": s, "end_date": e, "weekdays": sorted(days), "opens": o, "closes": c}
            for (s, e, o, c), days in sorted(merged.items(), key=lambda i: tuple(map(str, i[0])))]  # fmt: skip


def _list(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def _date(value) -> str | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def _time(value) -> str | None:
    try:
        return datetime.time.fromisoformat(str(value)).isoformat() if value else None
    except ValueError:
        return None


def _row(start: str, end: str, days: list[int], opens, closes) -> dict:
    opens, closes = _time(opens), _time(closes)
    if not (opens and closes and closes > opens):  # past midnight or half given: the dates still say when it is open
        opens = closes = None
    return {"start_date": start, "end_date": end, "weekdays": days, "opens": opens, "closes": closes}


def _opening_hours(place: dict) -> list[dict]:
    """Simple opening periods: a date range, some weekdays, one opening and closing time each."""
    periods = []
    for spec in _list(place.get("schema:openingHoursSpecification")):
        start, end = _date(spec.get("schema:validFrom")), _date(spec.get("schema:validThrough"))
        if not start or not end:
            continue
        names = [short_class(d.get("@id", "")) for d in _list(spec.get("schema:dayOfWeek")) if isinstance(d, dict)]
        days = sorted({DAYS[n] for n in names if n in DAYS}) or ALL_DAYS
        periods.append(_row(start, end, days, spec.get("schema:opens"), spec.get("schema:closes")))
    return periods


def _event_periods(obj: dict) -> list[dict]:
    periods = []
    for period in _list(obj.get("takesPlaceAt")):
        start, end = _date(period.get("startDate")), _date(period.get("endDate"))
        if start and end:
            periods.append(_row(start, end, ALL_DAYS, period.get("startTime"), period.get("endTime")))
    return periods
