"""The search's criteria and results, the same on both databases. Every search here runs in a read-only
transaction (tests.conftest.read_only), as it would on a PostgreSQL read replica."""

import pytest
from django.db import DatabaseError, transaction

from acvs.network.models import Commune
from acvs.offer.models import Feature, Label, Offer, OfferType
from acvs.offer.reference import load_offer_types
from acvs.offer.search import OfferQuery, offer_facets, offers_search, search_page, tree
from tests.conftest import read_only
from tests.factories import OfferFactory


def names(query: OfferQuery) -> set[str]:
    with read_only():
        return set(offers_search(query).values_list("name", flat=True))


def ranked(query: OfferQuery) -> list[str]:
    with read_only():
        return [o.name for o in offers_search(query)]


def facets_of(query: OfferQuery) -> dict:
    with read_only():
        return offer_facets(query)


def page_names(query: OfferQuery, per_page: int = 20) -> list[str]:
    with read_only():
        return [o.name for o in search_page(query, 1, per_page)]


@pytest.fixture
def offers(cavalaire, croix_valmer, greoux):
    cav = Commune.objects.get(insee="83036")
    lcv = Commune.objects.get(insee="83048")
    gre = Commune.objects.get(insee="04094")
    return {
        "camping": OfferFactory(
            name="Camping Les Pins Parasols", commune=cav, owner_office=cavalaire, types=["Camping"],
            short_description_fr="Emplacements ombragés près des plages.",
        ),
        "hotel": OfferFactory(
            name="Hôtel de la Plage", commune=lcv, owner_office=croix_valmer, types=["Hotel"],
            short_description_fr="Chambres avec vue sur la mer.",
        ),
        "museum": OfferFactory(
            name="Musée des Arts et Traditions", commune=gre, owner_office=greoux, types=["Museum"],
            short_description_fr="Les traditions provençales.",
        ),
    }  # fmt: skip


def test_text_ignores_accents_case_and_plural(offers):
    assert names(OfferQuery(text="HOTELS")) == {"Hôtel de la Plage"}
    assert names(OfferQuery(text="campings")) == {"Camping Les Pins Parasols"}
    assert names(OfferQuery(text="musée tradition")) == {"Musée des Arts et Traditions"}
    assert names(OfferQuery(text="plage")) == {"Hôtel de la Plage", "Camping Les Pins Parasols"}


def test_text_with_only_stop_words_finds_nothing(offers):
    assert names(OfferQuery(text="de la")) == set()


def test_family_type_finds_subtypes(offers):
    accommodation = OfferType.objects.get(code="Accommodation").pk
    assert names(OfferQuery(types=(accommodation,))) == {"Camping Les Pins Parasols", "Hôtel de la Plage"}
    # The family label is part of the text index too.
    assert names(OfferQuery(text="hébergement")) == {"Camping Les Pins Parasols", "Hôtel de la Plage"}


def test_commune_and_office_territory(offers, croix_valmer):
    assert names(OfferQuery(commune=Commune.objects.get(insee="83048"))) == {"Hôtel de la Plage"}
    assert names(OfferQuery(office=croix_valmer)) == {"Hôtel de la Plage"}


def test_distance_around_a_commune(offers):
    cavalaire = Commune.objects.get(insee="83036")
    with read_only():
        near = {o.name: round(o.distance_km) for o in offers_search(OfferQuery(commune=cavalaire, radius_km=10))}
    assert near == {"Camping Les Pins Parasols": 0, "Hôtel de la Plage": 5}
    assert ranked(OfferQuery(commune=cavalaire, radius_km=10, order="distance")) == [
        "Camping Les Pins Parasols",
        "Hôtel de la Plage",
    ]
    far = names(OfferQuery(commune=cavalaire, radius_km=200))
    assert "Musée des Arts et Traditions" in far


def test_distance_around_a_point(offers):
    gre = Commune.objects.get(insee="04094")
    assert names(OfferQuery(point=(gre.latitude, gre.longitude), radius_km=5)) == {"Musée des Arts et Traditions"}


def test_labels_and_features(offers):
    stars = Label.objects.get(code="hotel-3-etoiles")
    wheelchair = Feature.objects.get(code="fauteuil-roulant")
    offers["hotel"].labels.add(stars)
    offers["hotel"].features.add(wheelchair)
    offers["camping"].features.add(wheelchair)
    assert names(OfferQuery(labels=(stars.pk,))) == {"Hôtel de la Plage"}
    assert names(OfferQuery(features=(wheelchair.pk,))) == {"Hôtel de la Plage", "Camping Les Pins Parasols"}
    assert names(OfferQuery(labels=(stars.pk,), features=(wheelchair.pk,))) == {"Hôtel de la Plage"}


def test_drafts_are_hidden_unless_asked(offers):
    offers["museum"].status = "draft"
    offers["museum"].save()
    assert "Musée des Arts et Traditions" not in names(OfferQuery())
    assert "Musée des Arts et Traditions" in names(OfferQuery(statuses=()))


def test_relevance_puts_name_matches_first(offers):
    OfferFactory(
        name="Restaurant Le Phare",
        owner_office=offers["camping"].owner_office,
        short_description_fr="Face à l'hôtel de ville.",
        types=["Restaurant"],
    )
    assert ranked(OfferQuery(text="hôtel")) == ["Hôtel de la Plage", "Restaurant Le Phare"]
    assert page_names(OfferQuery(text="hôtel")) == ["Hôtel de la Plage", "Restaurant Le Phare"]


def test_facets_count_each_offer_once_per_family(offers):
    offers["hotel"].types.add(OfferType.objects.get(code="HotelRestaurant"))
    wheelchair = Feature.objects.get(code="fauteuil-roulant")
    offers["hotel"].features.add(wheelchair)
    facets = facets_of(OfferQuery())
    accommodation = OfferType.objects.get(code="Accommodation").pk
    food = OfferType.objects.get(code="FoodEstablishment").pk
    cultural = OfferType.objects.get(code="CulturalSite").pk
    assert facets["families"][accommodation] == 2
    assert facets["families"][cultural] == 1
    assert facets["families"][food] == 1  # HotelRestaurant is both accommodation and food
    assert facets["features"] == {wheelchair.pk: 1}
    assert facets["estimated"] is False
    assert {row["commune__name"]: row["n"] for row in facets["communes"]} == {
        "Cavalaire-sur-Mer": 1,
        "La Croix-Valmer": 1,
        "Gréoux-les-Bains": 1,
    }


NEW_TREE = """@prefix : <https://www.datatourisme.fr/ontology/core#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    :CulturalSite rdfs:subClassOf :PointOfInterest ; rdfs:label "Site culturel"@fr .
    :Camping rdfs:subClassOf :CulturalSite ; rdfs:label "Camping"@fr .
"""  # a new ontology release moves campsites under cultural sites


def test_a_new_type_tree_reindexes_the_offers(offers, tmp_path, django_capture_on_commit_callbacks):
    cultural = OfferQuery(types=(OfferType.objects.get(code="CulturalSite").pk,))
    assert names(cultural) == {"Musée des Arts et Traditions"}  # the search now keeps this tree (tree.py)
    # A new ontology release moves campsites under cultural sites.
    ontology = tmp_path / "ontology.ttl"
    ontology.write_text(
        """@prefix : <https://www.datatourisme.fr/ontology/core#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        :CulturalSite rdfs:subClassOf :PointOfInterest ; rdfs:label "Site culturel"@fr .
        :Camping rdfs:subClassOf :CulturalSite ; rdfs:label "Camping"@fr .
        """
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        load_offer_types(ontology)
    assert len([c for c in callbacks if c is not tree.forget]) == 1  # the changed types' offers, after the commit
    assert names(cultural) == {"Camping Les Pins Parasols", "Musée des Arts et Traditions"}  # the new tree at once
    assert set(page_names(cultural)) == names(cultural)
    assert "Camping Les Pins Parasols" in names(OfferQuery(text="culturel"))  # the document, re-indexed


def test_the_type_tree_kept_by_the_search_is_the_transaction_s(offers):
    """The search keeps the tree's closure per process: a tree changed in a transaction is searched at once in it,
    and the old one again if that transaction rolls back."""
    cultural_site = OfferType.objects.get(code="CulturalSite")
    cultural = OfferQuery(types=(cultural_site.pk,))
    assert page_names(cultural) == ["Musée des Arts et Traditions"]  # the tree, now kept
    with transaction.atomic():
        OfferType.objects.get(code="Camping").ancestors.add(cultural_site)
        tree.changed()  # as load_offer_types does
        assert page_names(cultural) == ["Camping Les Pins Parasols", "Musée des Arts et Traditions"]
        transaction.set_rollback(True)
    assert page_names(cultural) == ["Musée des Arts et Traditions"]


def test_searches_run_read_only_and_the_harness_refuses_writes(offers):
    """The read-only transaction of these tests is real: a write inside it fails (on both databases)."""
    with pytest.raises(DatabaseError), read_only():
        Offer.objects.filter(pk=offers["hotel"].pk).update(name="Written")
    assert Offer.objects.get(pk=offers["hotel"].pk).name == "Hôtel de la Plage"
    with read_only():
        page = search_page(OfferQuery(text="plage"), 1, 20)
        assert (page.paginator.count, page.paginator.capped) == (2, False)
        assert offer_facets(OfferQuery(text="plage"))["communes"] == [
            {"commune_id": "83036", "commune__name": "Cavalaire-sur-Mer", "n": 1},
            {"commune_id": "83048", "commune__name": "La Croix-Valmer", "n": 1},
        ]
