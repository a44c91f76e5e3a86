"""Pages of the search: ids first with their computed values, a total counted up to the cap, pages that never
overlap even when many offers rank the same."""

import json

import pytest
from django.db import connection
from django.utils import timezone

from acvs.network.models import Commune
from acvs.offer.models import Offer, OfferType
from acvs.offer.search import OfferQuery, offers_search, search_page
from acvs.offer.search.backends.postgres import PostgresBackend
from tests.conftest import read_only
from tests.factories import OfferFactory


@pytest.fixture
def offers(cavalaire):
    commune = Commune.objects.get(insee="83036")
    # Due north of Cavalaire, 0 to 4 km away (1/111 of a degree of latitude is about 1 km).
    return [
        OfferFactory(
            name=f"Hôtel {i}", owner_office=cavalaire, latitude=commune.latitude + i / 111, longitude=commune.longitude
        )
        for i in range(5)
    ]


def test_a_page_comes_with_the_total_in_order_with_the_distance(offers):
    query = OfferQuery(commune=Commune.objects.get(insee="83036"), radius_km=10, order="distance")
    with read_only():
        page = search_page(query, 2, 2, select_related=("commune",))
    assert [o.name for o in page] == ["Hôtel 2", "Hôtel 3"]
    assert (page.paginator.count, page.paginator.num_pages, page.paginator.capped) == (5, 3, False)
    assert page.has_next()
    assert page[0].distance_km == pytest.approx(2.0, abs=0.1)
    assert page[0].commune.insee == "83036"


def test_past_the_end_gives_the_last_page_and_garbage_the_first(offers):
    query = OfferQuery(order="name")
    assert [o.name for o in search_page(query, 99, 2)] == ["Hôtel 4"]
    assert search_page(query, "abc", 2).number == 1


def test_no_result_is_an_empty_first_page(db):
    page = search_page(OfferQuery(text="camping"), 1, 20)
    assert list(page) == []
    assert (page.paginator.count, page.number) == (0, 1)


def analyze():
    """Statistics for the planner, as autovacuum keeps them: PostgreSQL tells a broad search by its estimate."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE offer_offer")


@pytest.mark.parametrize("cap", [10_000, 4])
def test_text_pages_follow_the_full_order_across_ties(cavalaire, settings, cap):
    """Eleven offers that rank the same for «camping» (same document but the name) and three that rank better:
    pages of 3 by relevance must be the full order's slices (rank, then name, then id) with no overlap. Narrow
    (cap 10,000): the matches are read once and ordered. Broad (cap 4): on PostgreSQL, by estimate, the first
    offers by RUM distance are read with their ties, then ordered; on SQLite, once the matches pass the cap, the
    page comes from the ordered query."""
    settings.ACVS_SEARCH_TOTAL_CAP = cap
    for i in range(11):
        OfferFactory(name=f"Lieu {10 - i:02d}", owner_office=cavalaire, short_description_fr="Un camping.")
    for name in ("Camping du Cap", "Camping des Pins", "Camping des Pins"):
        OfferFactory(name=name, owner_office=cavalaire, types=["Camping"])
    analyze()
    query = OfferQuery(text="camping")
    with read_only():
        full = [o.pk for o in offers_search(query)]
        pages = [search_page(query, number, 3) for number in range(1, 6 if cap > 14 else 3)]
    assert len(full) == 14
    assert [o.pk for page in pages for o in page] == full[: len(pages) * 3]
    if cap > 14:
        assert all((page.paginator.count, page.paginator.capped) == (14, False) for page in pages)
    else:
        assert all((page.paginator.count, page.paginator.capped) == (4, True) for page in pages)
        assert pages[0].paginator.estimated is (connection.vendor == "postgresql")
    names = [o.name for page in pages for o in page]
    assert names[3:] == [f"Lieu {i:02d}" for i in range(len(names) - 3)]  # tied on rank: by name
    assert sorted(names[:3]) == ["Camping des Pins", "Camping des Pins", "Camping du Cap"]
    ranks = [o.rank for page in pages for o in page]
    assert ranks == sorted(ranks)  # lower is better on both databases


def test_totals_above_the_cap_say_more_than(offers, settings):
    settings.ACVS_SEARCH_TOTAL_CAP = 3
    analyze()
    with read_only():
        first = search_page(OfferQuery(order="name"), 1, 2)
        last = search_page(OfferQuery(order="name"), 9, 2)
        exact = search_page(OfferQuery(text="hôtel 2"), 1, 2)
    assert (first.paginator.count, first.paginator.capped, first.paginator.num_pages) == (3, True, 2)
    assert first.paginator.estimated is (connection.vendor == "postgresql")  # 5 expected > 1.2 x 3
    assert [o.name for o in first] == ["Hôtel 0", "Hôtel 1"]
    assert (last.number, [o.name for o in last]) == (2, ["Hôtel 2", "Hôtel 3"])  # the pages stop at the cap
    assert (exact.paginator.count, exact.paginator.capped) == (1, False)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_search_expected_a_little_over_the_cap_is_not_counted(offers, settings, monkeypatch):
    """Counting up to the cap reads as many table rows as the cap (or many more with a type filter: «plage» +
    Hébergement read 42,000 to find 10,001), more than the page costs: a search the planner expects at 1.3 times the
    cap is answered as a broad one. Its estimate of a text with a type, from the offers' type ids column, runs
    1.01-1.11 times the real matches (1.16-1.21 from the link table): over the cap (BROAD_FACTOR 1.0) is broad."""
    settings.ACVS_SEARCH_TOTAL_CAP = 10
    monkeypatch.setattr(PostgresBackend, "estimate", lambda self, search: 13)
    hotels = (OfferType.objects.get(code="Accommodation").pk,)
    with read_only():
        page = search_page(OfferQuery(text="hôtel", types=hotels), 1, 2)
    assert (page.paginator.count, page.paginator.capped, page.paginator.estimated) == (10, True, True)
    assert [o.name for o in page] == ["Hôtel 0", "Hôtel 1"]
    monkeypatch.setattr(PostgresBackend, "estimate", lambda self, search: 11)  # over the cap: not counted
    with read_only():
        page = search_page(OfferQuery(text="hôtel", types=hotels), 1, 2)
    assert (page.paginator.count, page.paginator.capped, page.paginator.estimated) == (10, True, True)
    monkeypatch.setattr(PostgresBackend, "estimate", lambda self, search: 10)  # up to the cap: counted
    with read_only():
        page = search_page(OfferQuery(text="hôtel", types=hotels), 1, 2)
    assert (page.paginator.count, page.paginator.capped, page.paginator.estimated) == (5, False, False)


def test_a_page_is_one_statement_with_its_offers_and_their_rows(offers, django_assert_num_queries):
    """The page's ids, order, total and computed values come with its offers' fields and the rows they select, in
    one statement, and a search by type reads no type tree (tree.py keeps it per process). On PostgreSQL a search
    not bounded by a place asks the planner's estimate first (EXPLAIN)."""
    Offer.objects.filter(pk=offers[2].pk).update(verified_at=timezone.now())
    cavalaire = Commune.objects.get(insee="83036")
    hotels = (OfferType.objects.get(code="Accommodation").pk,)
    search_page(OfferQuery(types=hotels), 1, 2)  # the tree, read once
    estimate = 1 if connection.vendor == "postgresql" else 0
    with read_only(), django_assert_num_queries(1 + 1 + estimate):
        narrow = search_page(
            OfferQuery(types=hotels, commune=cavalaire, radius_km=10), 2, 2,
            select_related=("commune", "provider"), only=("name", "verified_at"),
        )  # fmt: skip
        broad = search_page(OfferQuery(text="hôtel", types=hotels), 1, 2, select_related=("commune",))
        loaded = [(o.name, o.verified_at, o.commune.name, o.provider, round(o.distance_km)) for o in narrow]
        ranked = [(o.name, o.commune.insee, isinstance(o.rank, float)) for o in broad]
    expected = Offer.objects.get(pk=offers[2].pk)
    assert loaded == [
        ("Hôtel 2", expected.verified_at, "Cavalaire-sur-Mer", None, 2),
        ("Hôtel 3", None, "Cavalaire-sur-Mer", None, 3),
    ]
    assert (narrow.paginator.count, broad.paginator.count) == (5, 5)
    assert ranked == [("Hôtel 0", "83036", True), ("Hôtel 1", "83036", True)]
    with django_assert_num_queries(1):  # a field left out by `only` is read when asked, as Django defers it
        assert narrow[0].short_description_fr == expected.short_description_fr


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_text_with_a_type_is_counted_from_both_indexes(offers):
    """Counting a text with a type tests the offers' type ids column (offer_offer.search_types), whose GIN index the
    planner combines with the text's (BitmapAnd at 512,000 offers: «plage» + Restauration reads its 6,000 real
    matches from the table instead of the 54,000 of the word, each probed for its type in the link table)."""
    from acvs.offer.search.compiled import Search

    analyze()
    hotels = (OfferType.objects.get(code="Accommodation").pk,)
    search = Search(OfferQuery(text="hôtel", types=hotels))
    sql, params, _ = search.statement(("count",), lambda qs: (qs.order_by().values("pk")[:10_001], None))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = json.dumps(cursor.fetchone()[0])
    assert "search_types && " in plan, plan
    assert "offer_offer_types" not in plan
    with read_only():
        assert search_page(OfferQuery(text="hôtel", types=hotels), 1, 2).paginator.count == 5


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_text_with_a_type_it_goes_with_is_broad_by_a_sample(offers, settings, monkeypatch):
    """The planner takes a text and a type as independent: «hôtel» + Hébergement, 25,774 matches at 512,000 offers,
    is expected at 6,382 and would be counted to the cap. The share of the type among the first matches of the text
    corrects it: here every «hôtel» is a hotel, so the 5 expected of the text alone are all of Hébergement (over a
    cap of 3: broad, not counted); none is a restaurant (counted)."""
    settings.ACVS_SEARCH_TOTAL_CAP = 3
    monkeypatch.setattr("acvs.offer.search.backends.postgres.TYPE_SAMPLE", 2)
    monkeypatch.setattr(PostgresBackend, "estimate", lambda self, search: 2)  # the planner's, independent
    analyze()
    hotels, restaurants = (OfferType.objects.get(code=code).pk for code in ("Accommodation", "Restaurant"))
    with read_only():
        page = search_page(OfferQuery(text="hôtel", types=(hotels,), statuses=("published",)), 1, 2)
        other = search_page(OfferQuery(text="hôtel", types=(restaurants,), statuses=("published",)), 1, 2)
    assert (page.paginator.count, page.paginator.capped, page.paginator.estimated) == (3, True, True)
    assert [o.name for o in page] == ["Hôtel 0", "Hôtel 1"]
    assert (other.paginator.count, other.paginator.capped, other.paginator.estimated) == (0, False, False)
