"""Statements compiled once per shape of search (acvs.offer.search.compiled): a later search of the same shape rebinds
its own values into the kept SQL, another shape compiles its own, and a kept statement always gives what compiling
the search itself gives."""

import dataclasses

import pytest
from django.db import connection

from acvs.network.models import Commune
from acvs.offer.models import Feature, Label, OfferType, Status
from acvs.offer.search import OfferQuery, compiled, search_page
from acvs.offer.search.compiled import Search
from tests.conftest import read_only
from tests.factories import OfferFactory


@pytest.fixture
def offers(cavalaire, croix_valmer, greoux):
    cav, lcv = Commune.objects.get(insee="83036"), Commune.objects.get(insee="83048")
    gre = Commune.objects.get(insee="04094")
    made = [
        OfferFactory(name="Hôtel du Port", commune=cav, owner_office=cavalaire, types=["Hotel"]),
        OfferFactory(name="Hôtel des Pins", commune=cav, owner_office=cavalaire, types=["Hotel"]),
        OfferFactory(name="Camping de la Baie", commune=lcv, owner_office=croix_valmer, types=["Camping"]),
        OfferFactory(name="Musée des Arts", commune=gre, owner_office=greoux, types=["Museum"]),
    ]
    for offer in made:  # at their commune's centre
        offer.latitude, offer.longitude = offer.commune.latitude, offer.commune.longitude
        offer.save(update_fields=["latitude", "longitude"])
    compiled.forget()
    return made


def page(query: OfferQuery, per_page: int = 20) -> list[str]:
    with read_only():
        return [o.name for o in search_page(query, 1, per_page)]


def counters():
    return dict(compiled.stats)


def test_same_shape_other_values_rebinds_the_kept_sql(offers):
    cavalaire, croix_valmer = Commune.objects.get(insee="83036"), Commune.objects.get(insee="83048")
    accommodation = (OfferType.objects.get(code="Accommodation").pk,)
    assert page(OfferQuery(types=accommodation, commune=cavalaire)) == ["Hôtel des Pins", "Hôtel du Port"]
    before = counters()
    assert page(OfferQuery(types=accommodation, commune=croix_valmer)) == ["Camping de la Baie"]
    after = counters()
    assert after["compiled"] == before["compiled"]  # nothing compiled: the first search's statement, rebound
    assert after["hits"] > before["hits"]


def test_another_shape_compiles_its_own_statement(offers):
    cavalaire = Commune.objects.get(insee="83036")
    hotel, museum = (OfferType.objects.get(code=code).pk for code in ("Hotel", "Museum"))
    assert page(OfferQuery(types=(hotel,), commune=cavalaire)) == ["Hôtel des Pins", "Hôtel du Port"]
    before = counters()
    # Two types: one more parameter; a point instead of a commune: other conditions; no type: fewer.
    assert page(OfferQuery(types=(hotel, museum), commune=cavalaire)) == ["Hôtel des Pins", "Hôtel du Port"]
    assert counters()["compiled"] > before["compiled"]
    before = counters()
    around = OfferQuery(point=(cavalaire.latitude, cavalaire.longitude), radius_km=10, order="distance")
    assert page(around) == ["Hôtel du Port", "Hôtel des Pins", "Camping de la Baie"]  # ties by id
    assert counters()["compiled"] > before["compiled"]
    before = counters()
    assert page(OfferQuery(commune=cavalaire)) == ["Hôtel des Pins", "Hôtel du Port"]
    assert counters()["compiled"] > before["compiled"]


def queries(offers):
    cav = Commune.objects.get(insee="83036")
    hotel, museum = (OfferType.objects.get(code=code).pk for code in ("Hotel", "Museum"))
    label, feature = Label.objects.order_by("pk").first(), Feature.objects.order_by("pk").first()
    offers[0].labels.add(label)
    offers[0].features.add(feature)
    return [
        OfferQuery(text="hôtel"),
        OfferQuery(text="musée arts", types=(museum,)),
        OfferQuery(text="et ou"),  # only stop words
        OfferQuery(types=(hotel, museum), office=offers[0].owner_office),
        OfferQuery(commune=cav, radius_km=25, order="distance"),
        OfferQuery(point=(43.17, 6.53), radius_km=5, text="port"),
        OfferQuery(owner=offers[2].owner_office, statuses=(Status.PUBLISHED, Status.DRAFT), order="freshness"),
        OfferQuery(labels=(label.pk,), features=(feature.pk,)),
        OfferQuery(statuses=()),
    ]


def test_a_kept_statement_gives_what_compiling_the_search_gives(offers):
    """For every criterion: the same shape with other values, rebound from the kept SQL, gives exactly the SQL and
    parameters the ORM compiles for it, and the same offers."""
    cases = queries(offers)
    others = [
        OfferQuery(text="musée"),
        OfferQuery(text="camping baie", types=(OfferType.objects.get(code="Camping").pk,)),
        OfferQuery(text="du de des"),
        OfferQuery(types=cases[3].types, office=offers[3].owner_office),
        OfferQuery(commune=Commune.objects.get(insee="04094"), radius_km=3, order="distance"),
        OfferQuery(point=(43.8, 6.0), radius_km=50, text="arts"),
        OfferQuery(owner=offers[0].owner_office, statuses=(Status.ARCHIVED, Status.PUBLISHED), order="freshness"),
        OfferQuery(labels=(cases[7].labels[0] + 1000,), features=cases[7].features),
        OfferQuery(statuses=()),
    ]

    def ids(qs):
        return qs.order_by().values_list("pk", flat=True), None

    for query in cases:
        Search(query).statement(("ids",), ids)  # kept
    for query, other in zip(cases, others, strict=True):
        search = Search(other)
        assert search.shape == Search(query).shape
        before = counters()
        kept = search.statement(("ids",), ids)
        expected = compiled.compiled(search.queryset.order_by().values_list("pk", flat=True))
        if expected is None:  # nothing can match
            assert kept is None
            continue
        assert counters()["hits"] == before["hits"] + 1
        assert (kept[0], kept[1]) == (expected[0], list(expected[1]))
        with connection.cursor() as cursor:
            cursor.execute(kept[0], kept[1])
            assert sorted(row[0] for row in cursor.fetchall()) == sorted(search.queryset.values_list("pk", flat=True))


def test_a_page_of_a_kept_shape_is_one_statement(offers, django_assert_num_queries):
    cavalaire, greoux = Commune.objects.get(insee="83036"), Commune.objects.get(insee="04094")
    page(OfferQuery(commune=cavalaire))
    with read_only(), django_assert_num_queries(1):
        assert [o.name for o in search_page(OfferQuery(commune=greoux), 1, 20)] == ["Musée des Arts"]


def test_searches_with_criteria_not_rebound_are_compiled_every_time(offers):
    """The offers to verify read today's date from the query: never kept. A field the compiled statements do not
    know (a criterion added later) is never kept either."""
    owner = offers[0].owner_office
    for _ in range(2):
        before = counters()
        assert page(OfferQuery(owner=owner, to_verify=True)) == ["Hôtel des Pins", "Hôtel du Port"]
        assert counters()["hits"] == before["hits"]
    assert Search(OfferQuery(owner=owner, to_verify=True)).shape is None
    for field in dataclasses.fields(OfferQuery):
        assert field.name in compiled.REBOUND_FIELDS | {"to_verify", "arrival", "departure", "updated_since"}, (
            field.name
        )


def test_another_cap_or_database_is_another_statement(offers, settings):
    cavalaire = Commune.objects.get(insee="83036")
    query = OfferQuery(commune=cavalaire)
    assert page(query) == ["Hôtel des Pins", "Hôtel du Port"]
    keys = set(compiled._statements)
    assert keys
    assert all(key[:3] == (connection.alias, connection.vendor, 10_000) for key in keys)
    settings.ACVS_SEARCH_TOTAL_CAP = 1  # the cap is in the SQL (LIMIT cap + 1)
    with read_only():
        capped = search_page(query, 1, 20)
    assert (capped.paginator.count, capped.paginator.capped) == (1, True)


def test_the_rows_layout_is_computed_once_per_connection_and_columns(offers):
    """The page's columns and their converters are worked out once, not per page."""
    first = search_page(OfferQuery(), 1, 2, select_related=("commune",), only=("name",)).paginator.rows
    again = search_page(OfferQuery(text="hôtel"), 1, 2, select_related=("commune",), only=("name",)).paginator.rows
    other = search_page(OfferQuery(), 1, 2, select_related=("commune",)).paginator.rows
    assert again is first
    assert other is not first
    assert other.width > first.width
