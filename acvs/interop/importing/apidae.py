"""Apidae exports (JSON) → mapped records (pure: no database).

Accepted: an API response (`objetsTouristiques`), a list of objects, one object, or an export archive (.zip) whose
`objets_modifies/*.json` hold the objects; the archive's `communes.json` gives the INSEE code of the communes its
objects name by Apidae id only, and `criteres_internes.json` the names of the private criteria. Apidae types become
DATAtourisme classes through TYPES; territories are not offers and are refused as such.

A STRUCTURE (the business or body behind offers) becomes a provider record ("kind": "provider"); an offer names its
managing, informing and booking structures (`informations.structureGestion`, `informations.structureInformation`,
`reservation.organismes[].structureReference`), embedded with their name and address: the first is its provider
("provider": the structure's id). A structure an offer names but the file does not hold is read from the offer's
embedded copy. Structures come first in the file's records, so that their providers exist when the offers follow.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    read_zip,
)

# Apidae object type → the DATAtourisme classes of its offers (the closest the ontology has).
TYPES = {
    "ACTIVITE": ["ActivityProvider"],
    "COMMERCE_ET_SERVICE": ["ServiceProvider"],
    "DEGUSTATION": ["TastingProvider"],
    "DOMAINE_SKIABLE": ["DownhillSkiResort"],
    "EQUIPEMENT": ["SportsAndLeisurePlace"],
    "FETE_ET_MANIFESTATION": ["EntertainmentAndEvent"],
    "HEBERGEMENT_COLLECTIF": ["CollectiveAccommodation"],
    "HEBERGEMENT_LOCATIF": ["RentalAccommodation"],
    "HOTELLERIE": ["Hotel"],
    "HOTELLERIE_PLEIN_AIR": ["CampingAndCaravanning"],
    "PATRIMOINE_CULTUREL": ["CulturalSite"],
    "PATRIMOINE_NATUREL": ["NaturalHeritage"],
    "RESTAURATION": ["FoodEstablishment"],
    "SEJOUR_PACKAGE": ["Tour"],
}
STRUCTURE = "STRUCTURE"
NOT_OFFERS = {"TERRITOIRE"}
DAYS = {"LUNDI": 0, "MARDI": 1, "MERCREDI": 2, "JEUDI": 3, "VENDREDI": 4, "SAMEDI": 5, "DIMANCHE": 6}
# moyensCommunication type ids (elementReference MoyenCommunicationType).
PHONE, EMAIL, WEBSITE = 201, 204, 205


def read(name: str, content: bytes) -> list[tuple[str, object]]:
    if name.lower().endswith(".zip"):
        return _read_export(content)
    data = load_json(name, content)
    if isinstance(data, dict) and "objetsTouristiques" in data:
        data = data["objetsTouristiques"]
    elif isinstance(data, dict) and "numFound" in data:  # an API response that found nothing
        data = []
    return _structures_first(numbered(name, data if isinstance(data, list) else [data]))


def _is_structure(obj) -> bool:
    return isinstance(obj, dict) and obj.get("type") == STRUCTURE


def structure_refs(obj: dict) -> list[dict]:
    """The structures an offer names, the managing one first, then the informing and booking ones."""
    informations = obj.get("informations") or {}
    refs = [informations.get("structureGestion"), informations.get("structureInformation")]
    refs += [o.get("structureReference") for o in as_list((obj.get("reservation") or {}).get("organismes"))
             if isinstance(o, dict)]  # fmt: skip
    return [ref for ref in refs if isinstance(ref, dict) and ref.get("id")]


def _structures_first(objects: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The file's structures, then those its offers name that it does not hold (their embedded copy), then the rest."""
    structures = [(label, obj) for label, obj in objects if _is_structure(obj)]
    known = {str(obj.get("id")) for _label, obj in structures}
    named = []
    for label, obj in objects:
        if _is_structure(obj) or not isinstance(obj, dict):
            continue
        for ref in structure_refs(obj):
            if str(ref["id"]) not in known and text(ref.get("nom")):
                known.add(str(ref["id"]))
                named.append((_("%(record)s, its structure") % {"record": label}, {**ref, "type": STRUCTURE}))
    return structures + named + [(label, obj) for label, obj in objects if not _is_structure(obj)]


def _read_export(content: bytes) -> list[tuple[str, object]]:
    files = read_zip(content, lambda path: True)
    communes = {c.get("id"): c for c in as_list(files.get("communes.json")) if isinstance(c, dict)}
    criteria = {c.get("id"): c.get("libelle", "") for c in as_list(files.get("criteres_internes.json"))
                if isinstance(c, dict)}  # fmt: skip
    objects = []
    for path, content in files.items():
        if not path.startswith("objets_modifies/"):
            continue
        for i, obj in enumerate(as_list(content), 1):
            if isinstance(obj, dict):
                _complete(obj, communes, criteria)
            objects.append((f"{path} #{i}", obj))
    if not objects:
        raise FileRefused(_("The archive holds no Apidae object (objets_modifies/*.json)."))
    return _structures_first(objects)


def _complete(obj: dict, communes: dict, criteria: dict) -> None:
    """Give the object what the export keeps in its side files: its commune's codes, its criteria's names."""
    address = (obj.get("localisation") or {}).get("adresse") or {}
    commune = address.get("commune")
    if isinstance(commune, dict) and not commune.get("code") and commune.get("id") in communes:
        address["commune"] = {**communes[commune["id"]], **commune}
    for criterion in as_list(obj.get("criteresInternes")):
        if isinstance(criterion, dict) and not criterion.get("libelle") and criterion.get("id") in criteria:
            criterion["libelle"] = criteria[criterion["id"]]


def text(value) -> dict[str, str]:
    """An Apidae translated label {"libelleFr": …, "libelleEn": …} as {language: text}."""
    if not isinstance(value, dict):
        return {}
    texts = {lang: str(value.get(f"libelle{lang.capitalize()}") or "").strip() for lang in LANGUAGES}
    return {lang: t for lang, t in texts.items() if t}


def describe(obj) -> tuple[str, str]:
    if not isinstance(obj, dict):
        return "", ""
    return (str(obj.get("id") or ""), text(obj.get("nom")).get("fr", ""))


def map_object(obj) -> dict:
    """One Apidae object as the fields ACVS keeps; RecordRefused when it cannot become an offer."""
    if not isinstance(obj, dict):
        raise RecordRefused(_("The record is not a JSON object."))
    source_id, name = describe(obj)
    if not source_id:
        raise RecordRefused(_("The record has no identifier (id)."))
    kind = str(obj.get("type") or "")
    if kind == STRUCTURE:
        return map_structure(obj)
    if kind in NOT_OFFERS:
        raise RecordRefused(_("An Apidae %(type)s is not an offer.") % {"type": kind})
    if kind not in TYPES:
        raise RecordRefused(_("Unknown Apidae type “%(type)s”.") % {"type": kind})
    names = text(obj.get("nom"))
    name = names.get("fr") or next(iter(names.values()), "")
    if not name:
        raise RecordRefused(_("The record has no name (nom)."))
    location = obj.get("localisation") or {}
    address = location.get("adresse") or {}
    commune = address.get("commune") or {}
    point = ((location.get("geolocalisation") or {}).get("geoJson") or {}).get("coordinates") or [None, None]
    longitude, latitude = (point + [None, None])[:2] if isinstance(point, list) else (None, None)
    latitude, longitude = coordinates(
        latitude, longitude, _("The record has no valid coordinates (localisation.geolocalisation).")
    )
    presentation = obj.get("presentation") or {}
    fields = {"name": name[:200]}
    for field, key, limit in (
        ("short_description", "descriptifCourt", 300),
        ("description", "descriptifDetaille", None),
    ):
        for lang, value in text(presentation.get(key)).items():
            fields[f"{field}_{lang}"] = value[:limit] if limit else value
    fields["address"] = ", ".join(str(address[k]).strip() for k in ("adresse1", "adresse2", "adresse3")
                                  if address.get(k))[:250]  # fmt: skip
    fields["postcode"] = str(address.get("codePostal") or commune.get("codePostal") or "")[:5]
    fields.update(_contacts(obj))
    links = [_means(m) for m in _means_of(obj) if _means(m).startswith(("http://", "https://"))]
    linked = [str((link.get("objetTouristique") or {}).get("id") or "")
              for link in as_list((obj.get("liens") or {}).get("liensObjetsTouristiquesTypes"))
              if isinstance(link, dict)]  # fmt: skip
    criteria = [c.get("libelle") or str(c.get("id")) for c in as_list(obj.get("criteresInternes"))
                if isinstance(c, dict)]  # fmt: skip
    structures = structure_refs(obj)
    return {
        "source_id": source_id,
        "updated": str((obj.get("gestion") or {}).get("dateModification") or ""),
        "name": name,
        "types": TYPES[kind],
        "insee": str(commune.get("code") or ""),
        "city": str(commune.get("nom") or _("Apidae commune %(id)s") % {"id": commune.get("id")}),
        "latitude": latitude,
        "longitude": longitude,
        "fields": fields,
        "periods": merged(_periods(obj.get("ouverture") or {})),
        "prices": _prices(obj.get("descriptionTarif") or {}),
        "extra": {
            key: value
            for key, value in (("links", links), ("linked_objects", [x for x in linked if x]), ("criteria", criteria))
            if value
        },
        **({"provider": str(structures[0]["id"])} if structures else {}),
    }


def map_structure(obj: dict) -> dict:
    """A STRUCTURE (a whole object, or the copy an offer embeds: its address and position at the top) as a
    provider record: {"kind": "provider", "source_id", "updated", "name", "insee", "city", "fields"}."""
    source_id, name = describe(obj)
    names = text(obj.get("nom"))
    name = names.get("fr") or next(iter(names.values()), "")
    if not name:
        raise RecordRefused(_("The record has no name (nom)."))
    address = (obj.get("localisation") or {}).get("adresse") or obj.get("adresse") or {}
    commune = address.get("commune") or {}
    legal = (obj.get("informations") or {}).get("informationsLegales") or {}
    siret = "".join(ch for ch in str(legal.get("siret") or "") if ch.isdigit())
    fields = {
        "name": name[:200],
        "address": ", ".join(str(address[k]).strip() for k in ("adresse1", "adresse2", "adresse3") if address.get(k))[
            :250
        ],  # fmt: skip
        "siret": siret if len(siret) == 14 else "",
        **_contacts(obj),
    }
    return {
        "kind": "provider",
        "source_id": source_id,
        "updated": str((obj.get("gestion") or {}).get("dateModification") or ""),
        "name": name,
        "insee": str(commune.get("code") or ""),
        "city": str(commune.get("nom") or ""),
        "fields": fields,
    }


def _means_of(obj: dict) -> list[dict]:
    return [m for m in as_list((obj.get("informations") or {}).get("moyensCommunication")) if isinstance(m, dict)]


def _means_type(means: dict):
    return (means.get("type") or {}).get("id")


def _means(means: dict) -> str:
    coordinates = means.get("coordonnees") or {}
    return str(coordinates.get("fr") or next(iter(coordinates.values()), "")).strip()


def _contacts(obj: dict) -> dict:
    """The first phone, email and website of the object's means of communication."""
    found = {}
    for means in _means_of(obj):
        for field, kind in (("phone", PHONE), ("email", EMAIL), ("website", WEBSITE)):
            if _means_type(means) == kind and field not in found and _means(means):
                found[field] = _means(means)
    return {field: found.get(field, "") for field in ("phone", "email", "website")}


def _periods(opening: dict) -> list[dict]:
    periods = []
    for spec in as_list(opening.get("periodesOuvertures")):
        start, end = iso_date(spec.get("dateDebut")), iso_date(spec.get("dateFin"))
        if not start or not end:
            continue
        named = {str(d.get("jour")) for d in as_list(spec.get("ouverturesJournalieres")) if isinstance(d, dict)}
        days = sorted(DAYS[d] for d in named if d in DAYS)
        if spec.get("type") == "OUVERTURE_SAUF":  # every day but the ones named
            days = sorted(set(ALL_DAYS) - set(days))
        elif spec.get("type") != "OUVERTURE_SEMAINE" or "TOUS" in named or not days:
            days = ALL_DAYS
        periods.append(period(start, end, days, spec.get("horaireOuverture"), spec.get("horaireFermeture")))
    return periods


def _prices(pricing: dict) -> list[dict]:
    """The priced rates of every pricing period; a rate without an amount says nothing ACVS can show."""
    prices = []
    for spec in as_list(pricing.get("periodes")):
        for rate in as_list(spec.get("tarifs")):
            amounts = [a for a in (rate.get("minimum"), rate.get("maximum")) if isinstance(a, int | float) and a >= 0]
            if not amounts or rate.get("devise", "EUR") != "EUR":
                continue
            kind = rate.get("type") or {}
            label = text(kind).get("fr") or text(rate.get("precisionTarif")).get("fr") or _("Rate")
            prices.append({
                "label": label[:150],
                "min_amount": str(min(amounts)),
                "max_amount": str(max(amounts)) if len(amounts) > 1 and max(amounts) > min(amounts) else None,
                "valid_from": iso_date(spec.get("dateDebut")),
                "valid_to": iso_date(spec.get("dateFin")),
            })  # fmt: skip
    return prices


CONNECTOR = Connector(
    code="apidae",
    label="Apidae",
    extensions=(".json", ".zip"),
    help_text=gettext_lazy("An API response or list of objects (JSON), or an export archive (.zip)."),
    read=read,
    map=map_object,
    describe=describe,
)
