import random
import threading

import pytest
from django.db import connection, transaction

from acvs.core.exceptions import ConflictError
from acvs.network.models import Commune
from acvs.offer import services
from acvs.offer.models import Label, Offer, OfferType
from acvs.offer.search import OfferQuery, indexing, offer_facets, search_page
from tests.conftest import membership
from tests.factories import OfferFactory


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_the_same_version_one_wins(agent, manager, cavalaire):
    offer = OfferFactory(name="Hôtel Le Bon Port", owner_office=cavalaire)
    camping = list(OfferType.objects.filter(code="Camping"))
    commune = Commune.objects.get(insee="83036")
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(user, name):
        try:
            data = services.OfferData(
                fields={"name": name, "commune": commune, "latitude": 43.17, "longitude": 6.53}, types=camping
            )
            acting = membership(user)
            barrier.wait()
            services.offer_update(offer=offer, membership=acting, version=1, data=data)
            outcomes[name] = "saved"
        except ConflictError:
            outcomes[name] = "refused"
        finally:
            connection.close()  # this thread's connection, so that the test database can be dropped

    threads = [threading.Thread(target=save, args=args) for args in ((agent, "A"), (manager, "B"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    offer = Offer.objects.get(pk=offer.pk)
    assert (offer.name, offer.version) == (winner, 2)


# --- the search under concurrent writes (PostgreSQL: row locks and the RUM index) ----------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL locking")


def in_threads(work, count: int, timeout: float = 120) -> dict:
    """Run work(i) in `count` threads started together; {i: None or the exception raised}."""
    barrier = threading.Barrier(count)
    outcomes = {}

    def run(i):
        try:
            barrier.wait()
            work(i)
            outcomes[i] = None
        except Exception as error:  # noqa: BLE001 - reported to the test
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return outcomes


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_bulk_tagging_in_random_order_never_deadlocks(cavalaire):
    """8 transactions each add a label to the same 1,000 offers in its own random order (an import, a bulk
    tagging), then have them re-indexed after commit. Nothing but the link rows is written in the transactions, and
    re-indexing locks offers in id order: no deadlock, and every document ends with the 8 labels."""
    commune = Commune.objects.get(insee="83036")
    offers = Offer.objects.bulk_create(
        Offer(name=f"Hôtel {i}", owner_office=cavalaire, commune=commune, latitude=43.17, longitude=6.53,
              status="published")
        for i in range(1000)
    )  # fmt: skip
    ids = [o.pk for o in offers]
    labels = list(Label.objects.order_by("pk")[:8])
    assert len(labels) == 8

    def tag(i):
        order = random.Random(i).sample(ids, len(ids))
        with transaction.atomic():
            for offer_id in order:
                Offer.labels.through.objects.create(offer_id=offer_id, label_id=labels[i].pk)
            indexing.schedule(order)

    assert in_threads(tag, 8) == dict.fromkeys(range(8))
    assert Offer.labels.through.objects.count() == 8000
    # build_document lists an offer's labels in their order (scheme, rank, name) on one line.
    line = " ".join(label.name_fr for label in Label.objects.filter(pk__in=[lb.pk for lb in labels]))
    documents = Offer.objects.values_list("search_document", flat=True)
    assert all(line in document.split("\n") for document in documents)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_truncate_in_progress_does_not_block_text_searches(cavalaire):
    OfferFactory(name="Camping du Cap", owner_office=cavalaire, types=["Camping"])
    truncated, searched = threading.Event(), threading.Event()

    def truncate(_):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE offer_offer_features")
            truncated.set()
            searched.wait(timeout=30)

    thread = threading.Thread(target=in_threads, args=(truncate, 1))
    thread.start()
    try:
        assert truncated.wait(timeout=30)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")
            page = search_page(OfferQuery(text="camping"), 1, 20)
            assert [o.name for o in page] == ["Camping du Cap"]
    finally:
        searched.set()
        thread.join(timeout=30)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_creations_do_not_wait_for_a_transaction_that_searched_after_writing(agent, cavalaire):
    """Both create a published offer: nothing they write is shared (no count row), and searching writes nothing."""
    searched, created = threading.Event(), threading.Event()
    commune = Commune.objects.get(insee="83036")

    def write_then_search(_):
        with transaction.atomic():
            OfferFactory(name="Camping A", owner_office=cavalaire, types=["Camping"])
            search_page(OfferQuery(text="camping"), 1, 20)
            offer_facets(OfferQuery())
            searched.set()
            created.wait(timeout=30)

    thread = threading.Thread(target=in_threads, args=(write_then_search, 1))
    thread.start()
    try:
        assert searched.wait(timeout=30)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")
            data = services.OfferData(
                fields={"name": "Camping B", "commune": commune, "latitude": 43.17, "longitude": 6.53,
                        "status": "published"},
                types=list(OfferType.objects.filter(code="Camping")),
            )  # fmt: skip
            services.offer_create(membership=membership(agent), data=data)
    finally:
        created.set()
        thread.join(timeout=30)
    assert Offer.objects.filter(name__in=["Camping A", "Camping B"]).count() == 2


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("isolation", ["REPEATABLE READ", "SERIALIZABLE"])
def test_offers_are_written_under_any_isolation_level(agent, cavalaire, isolation):
    commune = Commune.objects.get(insee="83036")
    data = services.OfferData(
        fields={"name": "Camping du Cap", "commune": commune, "latitude": 43.17, "longitude": 6.53,
                "status": "published"},
        types=list(OfferType.objects.filter(code="Camping")),
    )  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET TRANSACTION ISOLATION LEVEL {isolation}")
        services.offer_create(membership=membership(agent), data=data)
    assert [o.name for o in search_page(OfferQuery(text="camping"), 1, 20)] == ["Camping du Cap"]
