"""An office's former base: a CSV or XLSX file whose columns the office maps to offer fields (and its own type labels
to DATAtourisme types), saved per source (`LegacySource`) and offered again for the next file.

The connector has the shape of the others (`read` the file, `map` each line); it is built for one mapping. The file is
read with `acvs.core.tables` (UTF-8 or Windows-1252 CSV, the first sheet of a workbook, every cell as text): the
upload stores the table, the mapping screen maps it, and `objects` replays the stored table with the mapping.

Lines without a known source identifier are matched to existing offers by name, commune and position
(`importing.matching`) when the run is played.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acvs.core import tables
from acvs.network.selectors import place_index, place_key

from .base import MAX_RECORDS, Connector, FileRefused, RecordRefused, coordinates

MAX_BYTES = 20 * 1024 * 1024

# What a column can be mapped to; several columns may feed the address (joined with ", ").
FIELDS = {
    "source_id": gettext_lazy("Identifier in the former base"),
    "name": gettext_lazy("Name"),
    "type": gettext_lazy("Type"),
    "short_description": gettext_lazy("Short description"),
    "description": gettext_lazy("Description"),
    "address": gettext_lazy("Address"),
    "postcode": gettext_lazy("Postcode"),
    "commune": gettext_lazy("Commune (INSEE code or name)"),
    "latitude": gettext_lazy("Latitude"),
    "longitude": gettext_lazy("Longitude"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("Email"),
    "website": gettext_lazy("Website"),
    "capacity_persons": gettext_lazy("Capacity (persons)"),
}
MANDATORY = ("name", "type", "commune")
# Column names of the former bases, as the mapping screen guesses them (compared as place_key does).
GUESSES = {
    "source_id": {"id", "identifiant", "code", "reference", "ref", "numero"},
    "name": {"nom", "name", "raison sociale", "intitule", "libelle", "titre", "nom de l offre"},
    "type": {"type", "categorie", "category", "nature", "type d offre"},
    "short_description": {"description courte", "accroche", "resume"},
    "description": {"description", "descriptif", "description longue", "texte"},
    "address": {"adresse", "address", "adresse 1", "adresse 2", "rue", "voie"},
    "postcode": {"code postal", "cp", "postcode", "zip"},
    "commune": {"commune", "ville", "localite", "city", "code insee", "insee"},
    "latitude": {"latitude", "lat", "gps latitude"},
    "longitude": {"longitude", "lon", "lng", "long", "gps longitude"},
    "phone": {"telephone", "tel", "phone", "portable"},
    "email": {"email", "e mail", "courriel", "mail", "mel"},
    "website": {"site", "site web", "site internet", "url", "web", "website"},
    "capacity_persons": {"capacite", "capacite personnes", "capacite (personnes)", "nombre de personnes"},
}
INSEE = re.compile(r"^\d[\dAB]\d{3}$", re.IGNORECASE)
SPLIT_TYPES = re.compile(r"[;|]")
LIMITS = {"name": 200, "address": 250, "postcode": 5, "short_description": 300}


def read_table(name: str, content: bytes) -> tables.Table:
    """The file's header and rows, or FileRefused (encoding, size, lines, not a workbook) with the reason."""
    try:
        return tables.read(name, content, max_bytes=MAX_BYTES, max_lines=MAX_RECORDS)
    except tables.FileRefused as error:
        raise FileRefused(str(error)) from None


def guess_columns(header: list[str], saved: dict[str, str]) -> dict[str, str]:
    """header → field: the source's saved mapping for the headers it knows, else a guess from the header's words."""
    columns, taken = {}, set()
    for title in header:
        if title in saved:
            columns[title] = saved[title]
        else:
            key = place_key(title)
            field = next((f for f, names in GUESSES.items() if key in names), "")
            if field and (field not in taken or field == "address"):
                columns[title] = field
        taken.add(columns.get(title, ""))
    return {title: field for title, field in columns.items() if field in FIELDS}


def missing_fields(columns: dict[str, str]) -> list[str]:
    return [str(FIELDS[f]) for f in MANDATORY if f not in columns.values()]


def type_labels_of(table: dict, columns: dict[str, str]) -> list[str]:
    """The distinct type labels of the file, in the order they first appear."""
    indexes = [i for i, title in enumerate(table["header"]) if columns.get(title) == "type"]
    found = {}
    for row in table["rows"]:
        for i in indexes:
            for label in _labels(row[i] if i < len(row) else ""):
                found.setdefault(label, None)
    return list(found)


def _labels(cell: str) -> list[str]:
    return [label.strip() for label in SPLIT_TYPES.split(cell) if label.strip()]


def objects(table: dict, columns: dict[str, str], source_key: str) -> list[tuple[str, object]]:
    """Each line of the stored table as {field: [cells]}, with the columns that hold a formula and the earlier line
    it repeats (same identifier; without one, same name and commune)."""
    fields = [columns.get(title, "") for title in table["header"]]
    found, seen = [], {}
    for number, row in enumerate(table["rows"], start=2):
        values, formulas = {}, []
        for title, field, cell in zip(table["header"], fields, row, strict=False):
            if field and cell:
                values.setdefault(field, []).append(cell)
                if tables.formula(cell):
                    formulas.append(title)
        obj = {"line": number, "values": values, "formulas": formulas, "source": source_key}
        key = _first(values, "source_id") or place_key(_first(values, "name")) + "|" + place_key(
            _first(values, "commune")
        ) + "|" + _first(values, "postcode")
        if key.strip("|") and key in seen:
            obj["duplicate_of"] = seen[key]
        else:
            seen[key] = number
        found.append((_("line %(line)s") % {"line": number}, obj))
    return found


def _first(values: dict, field: str) -> str:
    return values.get(field, [""])[0]


def describe(obj) -> tuple[str, str]:
    return _first(obj["values"], "source_id"), _first(obj["values"], "name")


def map_line(obj, type_labels: dict[str, str]) -> dict:
    values = obj["values"]
    if obj["formulas"]:
        raise RecordRefused(
            _("%(columns)s: a formula (a cell starting with =, +, - or @), refused: type the value itself.")
            % {"columns": ", ".join(obj["formulas"])}
        )
    if obj.get("duplicate_of"):
        raise RecordRefused(_("The same record as line %(line)s.") % {"line": obj["duplicate_of"]})
    name = _first(values, "name")
    if not name:
        raise RecordRefused(_("No name."))
    labels = [label for cell in values.get("type", []) for label in _labels(cell)]
    if not labels:
        raise RecordRefused(_("No type."))
    unknown = [label for label in labels if not type_labels.get(label)]
    if unknown:
        raise RecordRefused(
            _("Unknown type label “%(label)s”: give its offer type on the mapping screen.") % {"label": unknown[0]}
        )
    postcode = _first(values, "postcode")
    commune = _commune(_first(values, "commune"), postcode)
    fields = {"name": name, **{f: _first(values, f) for f in ("postcode", "phone") if f in values}}
    if "address" in values:
        fields["address"] = ", ".join(values["address"])
    if "description" in values:
        fields["description_fr"] = "\n\n".join(values["description"])
    if "short_description" in values:
        fields["short_description_fr"] = _first(values, "short_description")
    for field, limit in LIMITS.items():
        key = f"{field}_fr" if field == "short_description" else field
        if len(fields.get(key, "")) > limit:
            raise RecordRefused(
                _("%(field)s longer than %(limit)s characters.") % {"field": FIELDS[field], "limit": limit}
            )
    if "email" in values:
        fields["email"] = _email(_first(values, "email"))
    if "website" in values:
        fields["website"] = _website(_first(values, "website"))
    if "capacity_persons" in values:
        fields["capacity_persons"] = _capacity(_first(values, "capacity_persons"))
    latitude, longitude = _position(_first(values, "latitude"), _first(values, "longitude"))
    identifier = _first(values, "source_id") or "~" + place_key(name) + "|" + commune.insee
    return {
        "source_id": f"{obj['source']}:{identifier}"[:255],
        "updated": "",
        "name": name,
        "types": list(dict.fromkeys(type_labels[label] for label in labels)),
        "insee": commune.insee,
        "city": commune.name,
        "latitude": latitude,
        "longitude": longitude,
        "fields": fields,
        "extra": {},
    }


_lookup: dict = {}


def _places() -> tuple[dict, dict]:
    """The communes by INSEE code and by name key, built once per place index."""
    index = place_index()
    if _lookup.get("index") is not index:
        by_name: dict[str, list] = {}
        for place in index.places:
            by_name.setdefault(place.key, []).append(place)
        _lookup.update(index=index, by_insee={p.insee: p for p in index.places}, by_name=by_name)
    return _lookup["by_insee"], _lookup["by_name"]


def _commune(text: str, postcode: str):
    if not text:
        raise RecordRefused(_("No commune."))
    by_insee, by_name = _places()
    if INSEE.match(text):
        place = by_insee.get(text.upper())
    else:
        named = by_name.get(place_key(text), [])
        place = next((p for p in named if postcode in p.postcodes), None) if postcode else None
        place = place or (named[0] if len(named) == 1 and not postcode else None)
    if place is None:
        if postcode:
            raise RecordRefused(
                _("Unknown commune “%(commune)s” (postcode %(postcode)s).") % {"commune": text, "postcode": postcode}
            )
        raise RecordRefused(_("Unknown commune “%(commune)s”.") % {"commune": text})
    return place


def _position(latitude: str, longitude: str) -> tuple[float | None, float | None]:
    """Both coordinates (a comma or a point for decimals), or neither (the commune's centre is taken)."""
    if not latitude and not longitude:
        return None, None
    reason = _("Malformed coordinates (latitude “%(latitude)s”, longitude “%(longitude)s”).") % {
        "latitude": latitude,
        "longitude": longitude,
    }
    return coordinates(latitude.replace(",", "."), longitude.replace(",", "."), reason)


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise RecordRefused(_("Not a valid email address: %(value)s.") % {"value": value}) from None
    return value


def _website(value: str) -> str:
    url = value if re.match(r"^https?://", value, re.IGNORECASE) else f"https://{value}"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise RecordRefused(_("Not a valid website address: %(value)s.") % {"value": value}) from None
    return url


def _capacity(value: str) -> int:
    try:
        number = int(value.replace(" ", "").replace("\u202f", ""))
    except ValueError:
        number = -1
    if number < 0:
        raise RecordRefused(_("The capacity is not a whole number: %(value)s.") % {"value": value})
    return number


def connector(source_key: str, columns: dict[str, str], type_labels: dict[str, str]) -> Connector:
    """The connector of one former base with its mapping (the source's key makes its identifiers its own)."""
    return Connector(
        code="legacy",
        label=str(gettext_lazy("Former base (CSV, XLSX)")),
        extensions=(".csv", ".xlsx"),
        help_text=gettext_lazy("A table of your former base; you map its columns next."),
        read=lambda name, content: objects(vars(read_table(name, content)), columns, source_key),
        map=lambda obj: map_line(obj, type_labels),
        describe=describe,
    )
