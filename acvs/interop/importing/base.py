"""What every connector shares: the shape of a connector, the refusals, and the reading of records off a file.

A connector turns an uploaded file into source objects (`read`: the file as a whole, FileRefused when it cannot be
read at all) and each object into the fields ACVS keeps (`map`: RecordRefused when that one object cannot become an
offer). Both are pure, without the database: `services` resolves the mapped records against the base.

A mapped record: {"source_id", "updated", "name", "types" (DATAtourisme class names), "insee", "city", "latitude",
"longitude", "fields" (the offer's own fields), "periods", and optionally "prices" and "extra" (what ACVS has no
field for, kept with the provenance)}.
"""

import datetime
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import orjson
from django.utils.translation import gettext as _

# Read and mapped in the request (plain JSON, fast); past services.SYNC_RECORDS, checked and imported in the background.
MAX_RECORDS = 20_000
MAX_UNZIPPED = 100 * 1024 * 1024
LANGUAGES = ("fr", "en", "de", "it", "es", "nl")
ALL_DAYS = list(range(7))


class FileRefused(ValueError):
    """The file as a whole cannot be read (bad JSON, bad zip, too large): nothing is imported."""


class RecordRefused(ValueError):
    """One record cannot be mapped; the others still can."""


@dataclass(frozen=True)
class Connector:
    code: str
    label: str
    extensions: tuple[str, ...]  # accepted file kinds, e.g. (".json", ".zip")
    help_text: str
    read: Callable[[str, bytes], list[tuple[str, object]]]  # (label of the record in the file, source object)
    map: Callable[[object], dict]  # the mapped record, or RecordRefused
    describe: Callable[[object], tuple[str, str]]  # (source id, name) of an object, to report a refused one
    # `read` takes `unchanged`: {source id: its last update at the source} → the ids it may leave unread (a flux
    # whose index dates its objects; see datatourisme.read).
    skips_unchanged: bool = False


def read_records(connector: Connector, name: str, content: bytes, unchanged=None) -> list[dict]:
    """Every record of an uploaded file, mapped; a refused record keeps its place, its id, name and reason. With
    `unchanged` (a connector that `skips_unchanged`), the objects it names are left unread."""
    if unchanged is not None and connector.skips_unchanged:
        return map_objects(connector, name, connector.read(name, content, unchanged=unchanged))
    return map_objects(connector, name, connector.read(name, content))


def map_objects(connector: Connector, name: str, objects: list[tuple[str, object]]) -> list[dict]:
    """`read_records` on objects already read (a former base's stored table)."""
    if not objects:
        raise FileRefused(_("%(name)s holds no record.") % {"name": name})
    if len(objects) > MAX_RECORDS:
        raise FileRefused(_("The file holds more than %(max)s records.") % {"max": MAX_RECORDS})
    records = []
    for line, (label, obj) in enumerate(objects, 1):
        try:
            record = connector.map(obj)
        except RecordRefused as error:
            record = _refused(connector, obj, str(error))
        except (AttributeError, TypeError, KeyError, IndexError, ValueError) as error:
            # A value of another shape than the source's documentation says (a text where an object was due…).
            reason = _("The record is not shaped as expected (%(error)s).") % {"error": error}
            record = _refused(connector, obj, reason)
        records.append({"line": line, "file": label, **record})
    return records


def _refused(connector: Connector, obj, reason: str) -> dict:
    try:
        source_id, name = connector.describe(obj)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError):
        source_id, name = "", ""
    return {"refused": reason, "source_id": source_id, "name": name}


def load_json(name: str, content: bytes):
    """The JSON of a file: orjson's decoding (a flux's objects, some 3 times faster), or what the standard library
    makes of what orjson refuses (a UTF-8 BOM, UTF-16, NaN) and its reason when it refuses it too."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(content)
    except UnicodeDecodeError:
        raise FileRefused(_("%(name)s is not UTF-8 text.") % {"name": name}) from None
    except json.JSONDecodeError as error:
        raise FileRefused(
            _("%(name)s is not valid JSON (line %(line)s, column %(column)s: %(message)s).")
            % {"name": name, "line": error.lineno, "column": error.colno, "message": error.msg}
        ) from None


def read_zip(content: bytes, keep: Callable[[str], bool], unread=None) -> dict[str, object]:
    """The JSON files of an archive that `keep` accepts, by name, in name order; checked for size first. `unread`
    (the archive and the names kept → {name: what stands for it}) leaves some files undecoded."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = [i for i in archive.infolist() if i.filename.endswith(".json") and not i.is_dir()]
        members = [i for i in members if keep(i.filename) and not i.filename.startswith("__MACOSX/")]
        if sum(i.file_size for i in members) > MAX_UNZIPPED:
            raise FileRefused(_("The archive holds more than 100 MB of files."))
        if len(members) > MAX_RECORDS:
            raise FileRefused(_("The archive holds more than %(max)s records.") % {"max": MAX_RECORDS})
        stubs = unread(archive, [i.filename for i in members]) if unread else {}
        return {i.filename: stubs[i.filename] if i.filename in stubs else load_json(i.filename, archive.read(i))
                for i in sorted(members, key=lambda i: i.filename)}  # fmt: skip
    except (zipfile.BadZipFile, EOFError):
        raise FileRefused(_("The file is not a readable zip archive (truncated or damaged?).")) from None


def numbered(name: str, objects: list) -> list[tuple[str, object]]:
    return [(f"{name} #{i}" if len(objects) > 1 else name, obj) for i, obj in enumerate(objects, 1)]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def iso_date(value) -> str | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def iso_time(value) -> str | None:
    try:
        return datetime.time.fromisoformat(str(value)).isoformat() if value else None
    except ValueError:
        return None


def coordinates(latitude, longitude, reason: str) -> tuple[float, float]:
    """Latitude and longitude as numbers on the globe, or RecordRefused with `reason`."""
    try:
        latitude, longitude = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise RecordRefused(reason) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise RecordRefused(reason)
    return latitude, longitude


def period(start: str, end: str, days: list[int], opens, closes, note: str = "") -> dict:
    opens, closes = iso_time(opens), iso_time(closes)
    if not (opens and closes and closes > opens):  # past midnight or half given: the dates still say when it is open
        opens = closes = None
    return {"start_date": start, "end_date": end, "weekdays": days, "opens": opens, "closes": closes, "note": note}


def merged(periods: list[dict]) -> list[dict]:
    """Same dates and hours become one period of several days (sources often give one per weekday)."""
    by_hours: dict[tuple, set] = {}
    for p in periods:
        if p["end_date"] < p["start_date"]:  # a period that ends before it starts says nothing usable
            continue
        key = (p["start_date"], p["end_date"], p["opens"], p["closes"], p["note"])
        by_hours.setdefault(key, set()).update(p["weekdays"])
    return [{"start_date": s, "end_date": e, "weekdays": sorted(days), "opens": o, "closes": c, "note": n}
            for (s, e, o, c, n), days in sorted(by_hours.items(), key=lambda i: tuple(map(str, i[0])))]  # fmt: skip
