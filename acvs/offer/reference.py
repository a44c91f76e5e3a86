"""Load the offer reference data: DATAtourisme types, labels, amenities, accessibility, payment methods."""

from pathlib import Path

import rdflib
from django.conf import settings
from django.db import transaction
from rdflib.namespace import RDFS

from .models import Feature, Label, OfferType
from .models.taxonomy import DATATOURISME_CORE
from .reference_data import FEATURES, LABELS

TTL = Path(__file__).resolve().parent / "data" / "datatourisme-core-3.1.6.ttl"
ROOT = "PointOfInterest"
# Broad families shown as search facets, in display order.
FAMILIES = [
    "Accommodation",
    "FoodEstablishment",
    "CulturalSite",
    "NaturalHeritage",
    "SportsAndLeisurePlace",
    "ActivityProvider",
    "EntertainmentAndEvent",
    "Tour",
    "TastingProvider",
    "Store",
    "ServiceProvider",
    "ConvenientService",
    "TouristInformationCenter",
    "Transport",
    "BusinessPlace",
    "MedicalPlace",
    "Product",
]


@transaction.atomic
def load_offer_types(path: Path = TTL) -> int:
    """Import the PointOfInterest sub-tree of the DATAtourisme ontology, with labels in every content language."""
    graph = rdflib.Graph()
    graph.parse(path)
    ns = rdflib.Namespace(DATATOURISME_CORE)
    languages = settings.MODELTRANSLATION_LANGUAGES

    parents: dict[str, set[str]] = {ROOT: set()}
    frontier = [ROOT]
    while frontier:
        current = frontier.pop()
        for child in graph.subjects(RDFS.subClassOf, ns[current]):
            code = str(child).removeprefix(DATATOURISME_CORE)
            if code not in parents:
                parents[code] = set()
                frontier.append(code)
            parents[code].add(current)

    types = {}
    for code in parents:
        labels = {lit.language: str(lit) for lit in graph.objects(ns[code], RDFS.label) if lit.language}
        defaults = {f"label_{lang}": labels.get(lang, "") for lang in languages}
        defaults["label"] = labels.get("fr") or code
        defaults["label_fr"] = defaults["label"]
        defaults["is_family"] = code in FAMILIES
        defaults["position"] = FAMILIES.index(code) if code in FAMILIES else len(FAMILIES)
        types[code], _ = OfferType.objects.update_or_create(code=code, defaults=defaults)

    for code, offer_type in types.items():
        offer_type.parents.set([types[p] for p in parents[code]])
        offer_type.ancestors.set([types[a] for a in _ancestors(code, parents)])
    return len(types)


def _ancestors(code: str, parents: dict[str, set[str]]) -> set[str]:
    seen = {code}
    stack = [code]
    while stack:
        for parent in parents[stack.pop()]:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


@transaction.atomic
def load_labels_and_features() -> int:
    for code, scheme, kind, rank, name_fr, name_en in LABELS:
        Label.objects.update_or_create(
            code=code,
            defaults={
                "scheme": scheme,
                "kind": kind,
                "rank": rank,
                "name": name_fr,
                "name_fr": name_fr,
                "name_en": name_en,
            },
        )
    for code, kind, name_fr, name_en in FEATURES:
        Feature.objects.update_or_create(
            code=code, defaults={"kind": kind, "name": name_fr, "name_fr": name_fr, "name_en": name_en}
        )
    return len(LABELS) + len(FEATURES)
