"""Facets: exact up to the cap on both databases; above it PostgreSQL counts a sample of the table and scales up."""

import pytest
from django.db import connection

from acvs.network.models import Commune
from acvs.offer.models import Feature, OfferType
from acvs.offer.search import OfferQuery, offer_facets
from acvs.offer.search.backends import postgres
from acvs.offer.search.compiled import Search
from tests.conftest import read_only
from tests.factories import OfferFactory


@pytest.fixture
def hotels(cavalaire, croix_valmer):
    wheelchair = Feature.objects.get(code="fauteuil-roulant")
    offers = []
    for i in range(60):
        commune = Commune.objects.get(insee="83036" if i % 3 else "83048")
        offer = OfferFactory(name=f"Hôtel {i:02d}", commune=commune, owner_office=cavalaire)
        if i % 2:
            offer.features.add(wheelchair)
        offers.append(offer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE offer_offer" if connection.vendor == "postgresql" else "ANALYZE")
    return offers


def test_facets_are_exact_up_to_the_cap(hotels, settings):
    settings.ACVS_SEARCH_TOTAL_CAP = 60
    with read_only():
        facets = offer_facets(OfferQuery(text="hôtel"))
    accommodation = OfferType.objects.get(code="Accommodation").pk
    wheelchair = Feature.objects.get(code="fauteuil-roulant").pk
    assert (facets["families"], facets["features"], facets["estimated"]) == (
        {accommodation: 60},
        {wheelchair: 30},
        False,
    )
    assert [(row["commune__name"], row["n"]) for row in facets["communes"]] == [
        ("Cavalaire-sur-Mer", 40),
        ("La Croix-Valmer", 20),
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite counts every match (small databases)")
def test_above_the_cap_facets_are_a_sample_scaled_up(hotels, settings, monkeypatch):
    settings.ACVS_SEARCH_TOTAL_CAP = 10  # 60 expected: broad
    settings.ACVS_SEARCH_FACET_SAMPLE = 30  # about half the table's pages
    monkeypatch.setattr(postgres, "MIN_SAMPLE_ROWS", 1)
    with read_only():
        facets = offer_facets(OfferQuery(text="hôtel"))
    search = Search(OfferQuery(text="hôtel"))
    percent = search.backend._sample_percent(search.backend.estimate(search))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE commune_id = '83036')
                  FROM offer_offer TABLESAMPLE SYSTEM ({percent:.6f}) REPEATABLE (0)"""
        )
        sampled, in_cavalaire = cursor.fetchone()
    assert 0 < sampled < 60  # a real sample: some pages, not all
    scale = 100 / percent
    accommodation = OfferType.objects.get(code="Accommodation").pk
    assert facets["estimated"] is True
    assert facets["matches"] == sampled
    assert facets["families"] == {accommodation: round(sampled * scale)}
    cavalaire = next(row["n"] for row in facets["communes"] if row["commune_id"] == "83036")
    assert cavalaire == round(in_cavalaire * scale)


def test_sqlite_counts_every_match_above_the_cap(hotels, settings):
    """Above the cap, SQLite (no sampling) counts exactly; PostgreSQL without statistics counts exactly too (its
    sample would be the whole table)."""
    settings.ACVS_SEARCH_TOTAL_CAP = 10
    if connection.vendor == "postgresql":
        settings.ACVS_SEARCH_FACET_SAMPLE = 1_000  # more than the table: the "sample" is every page
    with read_only():
        facets = offer_facets(OfferQuery(text="hôtel"))
    accommodation = OfferType.objects.get(code="Accommodation").pk
    assert (facets["families"], facets["estimated"]) == ({accommodation: 60}, False)
