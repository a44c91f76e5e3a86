"""PostgreSQL's search postings give the same pages, totals and facets as the general search, through every write."""

import pytest
from django.db import connection

from acvs.core.paginator import OneQueryPaginator
from acvs.network.models import Commune
from acvs.offer import postings
from acvs.offer.models import Feature, Label, Offer, OfferType, Status
from acvs.offer.selectors import OfferQuery, _counted_facets, offer_facets, offers_search, search_page
from tests.factories import OfferFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="search postings are PostgreSQL's")


def general_page(query, number=1, per_page=3):
    page = OneQueryPaginator(offers_search(query), per_page).get_page(number)
    return [o.pk for o in page], page.paginator.count


def fast_page(query, number=1, per_page=3):
    page = search_page(query, number, per_page)
    return [o.pk for o in page], page.paginator.count


def type_id(code):
    return OfferType.objects.get(code=code).pk


def queries():
    return [
        OfferQuery(),
        OfferQuery(text="plage"),
        OfferQuery(text="Campings"),
        OfferQuery(text="hébergement"),
        OfferQuery(text="plage", statuses=(Status.PUBLISHED, Status.DRAFT)),
        OfferQuery(types=(type_id("Accommodation"),)),
        OfferQuery(types=(type_id("Hotel"),), statuses=(Status.DRAFT,)),
        OfferQuery(types=(type_id("Accommodation"),), statuses=(Status.PUBLISHED, Status.DRAFT)),
        OfferQuery(statuses=(Status.PUBLISHED, Status.DRAFT, Status.ARCHIVED)),
    ]


def assert_same_everywhere():
    for query in queries():
        assert postings.single_key(query) is not None, query
        for number in (1, 2, 3):
            assert fast_page(query, number) == general_page(query, number), query
        assert offer_facets(query) == _counted_facets(offers_search(query)), query


@pytest.fixture
def base(cavalaire, croix_valmer, greoux):
    cav, lcv, gre = (Commune.objects.get(insee=code) for code in ("83036", "83048", "04094"))
    offers = [
        OfferFactory(name="Camping Les Pins", commune=cav, owner_office=cavalaire, types=["Camping"],
                     short_description_fr="Emplacements ombragés près des plages. Camping familial."),
        OfferFactory(name="Camping de la Mer", commune=lcv, owner_office=croix_valmer, types=["Camping"],
                     short_description_fr="Au bord de la plage."),
        OfferFactory(name="Hôtel de la Plage", commune=lcv, owner_office=croix_valmer, types=["Hotel"]),
        OfferFactory(name="Hôtel Azur", commune=cav, owner_office=cavalaire, types=["Hotel", "Restaurant"]),
        OfferFactory(name="Hôtel Azur", commune=cav, owner_office=cavalaire, types=["Hotel"], status=Status.DRAFT),
        OfferFactory(name="Musée des Traditions", commune=gre, owner_office=greoux, types=["Museum"],
                     short_description_fr="Les traditions provençales, loin de la plage."),
        OfferFactory(name="Gîte des Thermes", commune=gre, owner_office=greoux, types=["Accommodation"]),
    ]  # fmt: skip
    labels, features = list(Label.objects.all()[:3]), list(Feature.objects.all()[:4])
    offers[0].labels.set(labels[:2])
    offers[2].labels.set(labels[1:])
    offers[0].features.set(features)
    offers[3].features.set(features[2:])
    return offers


def test_single_key_searches_are_recognised(base):
    assert postings.single_key(OfferQuery(text="campings")) == "camping"
    assert postings.single_key(OfferQuery(text="week-end")) is None  # the parser makes several lexemes of it
    assert postings.single_key(OfferQuery(text="hôtel piscine")) is None
    assert postings.single_key(OfferQuery(text="-camping")) is None
    assert postings.single_key(OfferQuery(text="de la")) is None  # only stop words
    hotel = type_id("Hotel")
    assert postings.single_key(OfferQuery(types=(hotel,))) == f"#t{hotel}"
    assert postings.single_key(OfferQuery(types=(hotel, type_id("Camping")))) is None
    assert postings.single_key(OfferQuery(text="camping", types=(hotel,))) is None
    assert postings.single_key(OfferQuery(text="camping", commune=Commune.objects.get(insee="83036"))) is None
    assert postings.single_key(OfferQuery(text="camping", order="name"), ["name", "pk"]) is None


def test_pages_totals_and_facets_match_the_general_search(base):
    assert_same_everywhere()
    ids, total = fast_page(OfferQuery(text="camping"), per_page=20)
    assert total == 2
    assert ids[0] == base[0].pk  # the word three times ranks first


def test_every_write_is_indexed(base):
    from acvs.offer import search

    assert_same_everywhere()  # indexed as they are now (as a commit would): what follows changes an index
    offer = base[3]
    offer.name = "Auberge du Port"
    offer.commune = Commune.objects.get(insee="04094")
    offer.status = Status.ARCHIVED
    offer.save()
    search.reindex([offer.pk])
    assert_same_everywhere()
    offer.status = Status.PUBLISHED
    offer.save()
    offer.types.set(OfferType.objects.filter(code="Camping"))
    offer.labels.set(Label.objects.all()[:1])
    offer.features.clear()
    search.reindex([offer.pk])
    assert_same_everywhere()
    base[0].delete()
    Label.objects.filter(pk=base[2].labels.first().pk).delete()
    assert_same_everywhere()


def test_the_index_equals_a_rebuild(base):
    assert_same_everywhere()
    base[1].types.add(OfferType.objects.get(code="Hotel"))
    base[5].delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT offer_search_flush()")
        tables = ("offer_search_posting", "offer_search_count WHERE n <> 0")
        before = []
        for table in tables:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4")
            before.append(cursor.fetchall())
        postings.rebuild()
        for table, rows in zip(tables, before, strict=True):
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4")
            assert cursor.fetchall() == rows


@pytest.mark.django_db(transaction=True)
def test_committed_writes_are_indexed_at_commit(cavalaire):
    offer = OfferFactory(name="Camping du Cap", owner_office=cavalaire, types=["Camping"])  # each write commits
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM offer_search_dirty")
        assert cursor.fetchone()[0] == 0
    assert not connection.in_atomic_block  # so search_page reads without flushing
    assert fast_page(OfferQuery(text="camping")) == ([offer.pk], 1)
    Offer.objects.filter(pk=offer.pk).delete()
    assert fast_page(OfferQuery(text="camping")) == ([], 0)
    assert offer_facets(OfferQuery(types=(type_id("Camping"),)))["families"] == {}


def test_communes_whose_count_fell_to_zero_are_not_listed(cavalaire):
    communes = list(Commune.objects.filter(insee__startswith="83").order_by("insee")[:14])
    offers = [OfferFactory(commune=commune, owner_office=cavalaire) for commune in communes]
    offer_facets(OfferQuery())  # indexed as they are now (as a commit would)
    # Fewer than 12 communes keep offers: the twelfth count is a zero if zeros are kept.
    Offer.objects.filter(pk__in=[o.pk for o in offers[:3]]).update(status=Status.ARCHIVED)
    Offer.objects.filter(pk=offers[3].pk).update(commune=communes[5])
    for query in (OfferQuery(), OfferQuery(types=(type_id("Hotel"),)), OfferQuery(text="hôtel")):
        facets = offer_facets(query)
        assert facets == _counted_facets(offers_search(query))
        assert all(row["n"] > 0 for row in facets["communes"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM offer_search_count WHERE n = 0")
        assert cursor.fetchone()[0] == 0


def test_changes_of_the_type_tree_and_of_links_are_indexed(base):
    assert_same_everywhere()
    OfferType.ancestors.through.objects.filter(
        from_offertype__code="Camping", to_offertype__code="Accommodation"
    ).delete()
    OfferType.objects.filter(code="FoodEstablishment").update(is_family=False)
    Offer.labels.through.objects.filter(offer=base[0]).update(offer=base[5])
    assert_same_everywhere()


def test_a_transaction_flushes_once_at_commit(cavalaire):
    for name in ("Camping A", "Camping B", "Camping C"):
        OfferFactory(name=name, owner_office=cavalaire, types=["Camping"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM offer_search_pending")
        assert cursor.fetchone()[0] == 1  # one deferred flush queued, not one per offer
