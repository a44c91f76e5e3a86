"""Load the offer reference data: DATAtourisme types, labels, amenities, accessibility, payment methods."""

import functools
from pathlib import Path

import rdflib
from django.conf import settings
from django.db import transaction
from rdflib.namespace import RDFS

from .models import Feature, Label, OfferType
from .models.taxonomy import DATATOURISME_CORE
from .reference_data import FEATURES, LABELS
from .search import indexing, tree

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


@functools.cache
def read_ontology(path: Path = TTL) -> tuple[dict[str, set[str]], dict[str, dict[str, str]]]:
    """The PointOfInterest sub-tree of the ontology: parents per class code, and labels per language."""
    graph = rdflib.Graph()
    graph.parse(path)
    ns = rdflib.Namespace(DATATOURISME_CORE)
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
    labels = {
        code: {lit.language: str(lit) for lit in graph.objects(ns[code], RDFS.label) if lit.language}
        for code in parents
    }
    return parents, labels


@transaction.atomic
def load_offer_types(path: Path = TTL) -> int:
    """Import the DATAtourisme PointOfInterest class tree, with labels in every content language."""
    parents, labels = read_ontology(path)
    before = indexing.type_words()
    types = {}
    for code in parents:
        defaults = {f"label_{lang}": labels[code].get(lang, "") for lang in settings.MODELTRANSLATION_LANGUAGES}
        defaults["label"] = defaults["label_fr"] = labels[code].get("fr") or code
        defaults["is_family"] = code in FAMILIES
        defaults["position"] = FAMILIES.index(code) if code in FAMILIES else len(FAMILIES)
        types[code], _ = OfferType.objects.update_or_create(code=code, defaults=defaults)

    for code, offer_type in types.items():
        offer_type.parents.set([types[p] for p in parents[code]])
        offer_type.ancestors.set([types[a] for a in _ancestors(code, parents)])
    tree.changed()  # the search's copy of the closure
    # Offers are found by their types' labels and their families' labels: index again those whose words changed
    # (the type filter reads the tree itself).
    indexing.schedule_types(before, indexing.type_words())
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
def load_labels_and_features(labels=LABELS, features=FEATURES) -> int:
    names = dict(Label.objects.values_list("code", "name_fr"))
    for code, scheme, kind, rank, name_fr, name_en in labels:
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
    # A label's French name is in the search document of the offers that have it.
    renamed = [code for code, *_, name_fr, _en in labels if code in names and names[code] != name_fr]
    indexing.schedule_labels(Label.objects.filter(code__in=renamed).values_list("pk", flat=True))
    for code, kind, name_fr, name_en in features:
        Feature.objects.update_or_create(
            code=code, defaults={"kind": kind, "name": name_fr, "name_fr": name_fr, "name_en": name_en}
        )
    return len(labels) + len(features)
