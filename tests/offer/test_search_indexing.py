"""The search document is rebuilt after a change commits, by a task (offer.tasks.reindex_offers): an offer's own
change, a provider's or a label's new name, a new type tree. Bulk changes enqueue batches, not a task per offer."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.tasks import default_task_backend
from django.tasks.signals import task_enqueued

from acvs.network.models import Commune
from acvs.offer import services
from acvs.offer.models import Label, Offer, OfferType, Provider
from acvs.offer.providers import provider_save
from acvs.offer.reference import load_labels_and_features
from acvs.offer.reference_data import FEATURES, LABELS
from acvs.offer.search import OfferQuery, indexing, offers_search
from acvs.offer.tasks import reindex_offers
from tests.conftest import membership
from tests.factories import OfferFactory


def found(text: str) -> set[str]:
    return set(offers_search(OfferQuery(text=text)).values_list("name", flat=True))


@pytest.fixture
def enqueued():
    """The id batches of every reindex_offers task enqueued during the test."""
    # Ids an earlier test scheduled in its rolled-back transaction would go with this test's first commit.
    vars(connections["default"]).pop(indexing.PENDING, None)
    batches = []

    def record(sender, task_result, **kwargs):
        if task_result.task.name == reindex_offers.name:
            batches.append(task_result.args[0])

    task_enqueued.connect(record)
    yield batches
    task_enqueued.disconnect(record)


def test_a_new_offer_is_found_once_its_transaction_commits(agent, django_capture_on_commit_callbacks, enqueued):
    data = services.OfferData(
        fields={
            "name": "Auberge du Tilleul",
            "commune": agent.memberships.get().office.territory.get(),
            "latitude": 43.17,
            "longitude": 6.53,
            "status": "published",
        },
        types=list(OfferType.objects.filter(code="Hotel")),
    )
    with django_capture_on_commit_callbacks() as callbacks:
        offer = services.offer_create(membership=membership(agent), data=data)
        assert found("tilleul") == set()  # not before the commit
    assert Offer.objects.get(pk=offer.pk).search_document == ""
    for callback in callbacks:  # the commit
        callback()
    assert enqueued == [[offer.pk]]
    assert found("tilleul") == {"Auberge du Tilleul"}


def test_a_renamed_provider_is_found_by_its_new_name(agent, cavalaire, django_capture_on_commit_callbacks):
    provider = Provider.objects.create(name="SARL Les Mimosas", owner_office=cavalaire)
    offer = OfferFactory(name="Hôtel du Port", owner_office=cavalaire, provider=provider)
    indexing.reindex([offer.pk])
    assert found("mimosas") == {"Hôtel du Port"}
    with django_capture_on_commit_callbacks(execute=True):
        provider_save(membership=membership(agent), provider=provider, fields={"name": "SAS Azur Loisirs"}, contacts=[])
    assert found("azur loisirs") == {"Hôtel du Port"}
    assert found("mimosas") == set()


def test_a_provider_saved_without_a_new_name_reindexes_nothing(agent, cavalaire, django_capture_on_commit_callbacks):
    provider = Provider.objects.create(name="SARL Les Mimosas", owner_office=cavalaire)
    OfferFactory(owner_office=cavalaire, provider=provider)
    with django_capture_on_commit_callbacks() as callbacks:
        provider_save(membership=membership(agent), provider=provider, fields={"phone": ""}, contacts=[])
    assert callbacks == []


def test_a_renamed_label_is_found_by_its_new_name(cavalaire, django_capture_on_commit_callbacks):
    offer = OfferFactory(name="Hôtel du Port", owner_office=cavalaire)
    offer.labels.add(Label.objects.get(code="qualite-tourisme"))
    indexing.reindex([offer.pk])
    renamed = [
        (code, scheme, kind, rank, "Qualité Tourisme Sud" if code == "qualite-tourisme" else name_fr, name_en)
        for code, scheme, kind, rank, name_fr, name_en in LABELS
    ]
    assert found("sud") == set()
    with django_capture_on_commit_callbacks(execute=True):
        load_labels_and_features(renamed, FEATURES)
    assert found("sud") == {"Hôtel du Port"}


def test_a_bulk_change_enqueues_batches(cavalaire, django_capture_on_commit_callbacks, enqueued):
    ids = list(range(1, 2501))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for offer_id in ids:  # e.g. an import tagging offers one by one
            indexing.schedule([offer_id])
    assert [len(batch) for batch in enqueued] == [1000, 1000, 500]
    assert [i for batch in enqueued for i in batch] == ids


def test_reindexing_writes_only_changed_documents(cavalaire):
    offer = OfferFactory(name="Hôtel du Port", owner_office=cavalaire)
    assert indexing.reindex([offer.pk]) == 0  # the factory indexed it
    Offer.objects.filter(pk=offer.pk).update(name="Hôtel de la Marine")
    assert indexing.reindex([offer.pk, offer.pk, 999_999]) == 1
    assert found("marine") == {"Hôtel de la Marine"}


def test_a_queue_runs_the_task_later_from_its_json_arguments(agent, settings, django_capture_on_commit_callbacks):
    """With a backend that only queues (as a database worker does), nothing is indexed until the task runs, and it
    runs from what the queue stored: the ids, as JSON."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    offer = OfferFactory(name="Hôtel du Port", owner_office=agent.memberships.get().office)
    with django_capture_on_commit_callbacks(execute=True):
        Offer.objects.filter(pk=offer.pk).update(name="Gîte des Oliviers")
        indexing.schedule([offer.pk])
    assert found("oliviers") == set()
    (queued,) = default_task_backend.results
    assert queued.task.module_path == "acvs.offer.tasks.reindex_offers"
    stored = json.loads(json.dumps(queued.args))  # what a database queue keeps
    assert stored == [[offer.pk]]
    queued.task.call(*stored)  # what the worker does
    assert found("oliviers") == {"Gîte des Oliviers"}


def test_a_commune_renamed_by_the_reference_data_is_found_by_its_new_name(
    cavalaire, django_capture_on_commit_callbacks
):
    Commune.objects.filter(insee="83036").update(name="Cavalaire-Ancienne")
    offer = OfferFactory(name="Hôtel du Port", owner_office=cavalaire)
    assert found("ancienne") == {"Hôtel du Port"}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_reference", stdout=io.StringIO())  # the official name again
    assert found("ancienne") == set()
    assert "Cavalaire-sur-Mer" in Offer.objects.get(pk=offer.pk).search_document


def test_a_text_with_a_type_follows_the_offer_s_types(cavalaire):
    """A text search with a type reads the offer's types as the re-indexing left them (PostgreSQL: the column
    offer_offer.search_types, which its GIN index combines with the text's): a new type is found once re-indexed,
    the old one no longer, even when the document does not change (written for every re-indexed offer)."""
    offer = OfferFactory(name="Les Flots bleus", owner_office=cavalaire, types=["Hotel"])
    hotels, restaurants = (OfferType.objects.get(code=code).pk for code in ("Hotel", "Restaurant"))

    def found_as(type_id):
        return [o.pk for o in offers_search(OfferQuery(text="flots", types=(type_id,)))]

    assert (found_as(hotels), found_as(restaurants)) == ([offer.pk], [])
    offer.types.set([restaurants])
    Offer.objects.filter(pk=offer.pk).update(search_document="Les Flots bleus")  # the document as if unchanged
    indexing.reindex([offer.pk])
    assert (found_as(hotels), found_as(restaurants)) == ([], [offer.pk])
    if connections["default"].vendor == "postgresql":
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT search_types FROM offer_offer WHERE id = %s", [offer.pk])
            assert cursor.fetchone()[0] == [restaurants]


def test_offers_created_in_bulk_are_found_by_text_and_type(agent, cavalaire):
    """Offers created in bulk (an import) get their search document and, on PostgreSQL, their type ids at once."""
    hotel = OfferType.objects.get(code="Hotel")
    commune = Commune.objects.get(insee="83036")
    datas = [services.OfferData(fields={"name": f"Les Flots bleus {n}", "commune": commune, "status": "published",
                                        "latitude": commune.latitude, "longitude": commune.longitude},
                                types=[hotel]) for n in range(2)]  # fmt: skip
    created = services.offers_create_bulk(membership=membership(agent), datas=datas)
    assert all(isinstance(offer, Offer) for offer in created), created
    assert {o.pk for o in offers_search(OfferQuery(text="flots", types=(hotel.pk,)))} == {o.pk for o in created}
    if connections["default"].vendor == "postgresql":  # written with the rows, as the re-indexing writes them
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT search_types FROM offer_offer WHERE id = ANY(%s)", [[o.pk for o in created]])
            assert cursor.fetchall() == [([hotel.pk],), ([hotel.pk],)]
