"""New records created together (interop.importing.creating, offer.services.offers_create_bulk): the same offers,
children, provenance and history as one record at a time, and a record the offer's validation refuses is refused
with the same reason while its batch's others are written."""

import pytest
from django.contrib.contenttypes.models import ContentType

from acvs.agenda.models import EventSchedule
from acvs.core.models import AuditEntry
from acvs.interop.importing import creating, services
from acvs.interop.models import ImportedRecord, ImportRun
from acvs.offer import services as offer_services
from acvs.offer.models import Offer
from tests.conftest import membership
from tests.interop.test_datatourisme_import import flux_2024, objects_2023

SKIPPED = {"id", "uuid", "created_at", "updated_at"}


@pytest.fixture
def m(manager):
    return membership(manager)


@pytest.fixture
def created_in_bulk(monkeypatch):
    """The offers `offers_create_bulk` wrote, and in `.checked` those `offers_check_bulk` validated for a dry run
    (to know the bulk path ran)."""
    counted = Counted()

    def counting(real, into):
        def call(**kwargs):
            results = real(**kwargs)
            into.extend(r for r in results if not isinstance(r, offer_services.ValidationError))
            return results

        return call

    monkeypatch.setattr(creating, "offers_create_bulk", counting(offer_services.offers_create_bulk, counted))
    monkeypatch.setattr(creating, "offers_check_bulk", counting(offer_services.offers_check_bulk, counted.checked))
    return counted


class Counted(list):
    def __init__(self):
        super().__init__()
        self.checked = []


def one_at_a_time(monkeypatch):
    monkeypatch.setattr(creating, "_create_new", lambda *args: {})


def imported(m, content, django_capture_on_commit_callbacks, exclude_refused=False) -> ImportRun:
    with django_capture_on_commit_callbacks(execute=True):  # the search index, rebuilt once committed
        run = services.import_prepare(membership=m, name="flux.zip", content=content)
        services.import_commit(membership=m, run=run, exclude_refused=exclude_refused)
    return run


def lines(text: str) -> str:
    return "\n".join(sorted(text.split("\n")))  # periods of the same day come in any order from the base


def state() -> dict:
    """Every imported offer as the base holds it, by its source id: fields, children, provenance, history, events."""
    found = {}
    kind = ContentType.objects.get_for_model(Offer)
    for known in ImportedRecord.objects.select_related("offer"):
        offer = known.offer
        history = [(e.action, e.user_id, e.office_id, [{**c, "old": lines(c["old"]), "new": lines(c["new"])}
                                                        for c in e.changes])
                   for e in AuditEntry.objects.filter(content_type=kind, object_id=offer.pk)]  # fmt: skip
        fields = {f.attname: getattr(offer, f.attname) for f in Offer._meta.concrete_fields if f.attname not in SKIPPED}
        periods = offer.periods.values("start_date", "end_date", "weekdays", "opens", "closes", "note")
        schedules = EventSchedule.objects.filter(offer=offer).values(
            "start_date", "end_date", "weekdays", "start_time", "end_time", "note"
        )
        found[known.source_id] = {
            "offer": fields,
            "types": sorted(offer.types.values_list("code", flat=True)),
            "labels": sorted(offer.labels.values_list("code", flat=True)),
            "features": sorted(offer.features.values_list("code", flat=True)),
            "periods": sorted(map(str, periods)),
            "prices": sorted(map(str, offer.prices.values(*services.PRICE_FIELDS))),
            "provenance": (known.source_updated, known.extra, known.values, known.source_digest),
            "history": history,
            "schedules": sorted(map(str, schedules)),
        }
    return found


def report(run: ImportRun) -> list[tuple]:
    return [(line["line"], line["source_id"], line["action"], line["reason"], bool(line["offer"]))
            for line in run.report]  # fmt: skip


@pytest.mark.parametrize("content", [objects_2023, flux_2024], ids=["objects-2023", "flux-2024"])
def test_the_bulk_path_creates_what_one_record_at_a_time_created(
    m, monkeypatch, created_in_bulk, django_capture_on_commit_callbacks, content
):
    with monkeypatch.context() as patch:
        one_at_a_time(patch)
        single = imported(m, content(), django_capture_on_commit_callbacks)
    assert not created_in_bulk
    expected, expected_report = state(), report(single)
    assert expected
    assert all(line[2] == "created" for line in expected_report)
    Offer.objects.all().delete()  # their provenance with them: the same records are new again
    AuditEntry.objects.all().delete()

    together = imported(m, content(), django_capture_on_commit_callbacks)
    assert len(created_in_bulk) == len(created_in_bulk.checked) == len(expected)  # all went the bulk path, both times
    assert report(together) == expected_report
    assert state() == expected


def test_the_dry_run_announces_what_the_bulk_commit_does_and_writes_nothing(m, monkeypatch, created_in_bulk):
    with monkeypatch.context() as patch:
        one_at_a_time(patch)
        single = services.import_prepare(membership=m, name="flux.zip", content=negative_capacity())
    run = services.import_prepare(membership=m, name="flux.zip", content=negative_capacity())
    assert len(created_in_bulk.checked) == 9  # validated without a write; the tenth refused
    assert not created_in_bulk
    assert not Offer.objects.exists()
    assert not ImportedRecord.objects.exists()
    assert not AuditEntry.objects.exists()
    announced = [line[:4] for line in report(run)]  # a dry run's created line names no offer (it would be rolled back)
    assert announced == [line[:4] for line in report(single)]
    services.import_commit(membership=m, run=run, exclude_refused=True)
    assert [line[:4] for line in report(run)] == announced
    assert Offer.objects.count() == 9


def negative_capacity() -> bytes:
    return objects_2023(**{"23-005424b9": ("allowedPersons", -3)})


def test_a_record_the_offer_refuses_keeps_its_reason_and_the_others_go_in(
    m, monkeypatch, created_in_bulk, django_capture_on_commit_callbacks
):
    with monkeypatch.context() as patch:
        one_at_a_time(patch)
        single = services.import_prepare(membership=m, name="a.zip", content=negative_capacity())
    expected = report(single)
    assert [line[2] for line in expected].count("refused") == 1
    assert not created_in_bulk

    run = imported(m, negative_capacity(), django_capture_on_commit_callbacks, exclude_refused=True)
    assert report(run) == expected  # the same reason, word for word
    (refused,) = [line for line in run.report if line["action"] == "refused"]
    assert "capacity_persons" in refused["reason"]
    assert run.status == ImportRun.Status.COMMITTED
    assert Offer.objects.count() == ImportedRecord.objects.count() == 9  # never half an offer
    assert not ImportedRecord.objects.filter(source_id=refused["source_id"]).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).count() == 9


def test_a_refused_record_still_keeps_its_batch_out_unless_the_refused_are_left_out(m, created_in_bulk):
    run = services.import_prepare(membership=m, name="a.zip", content=negative_capacity())
    services.import_commit(membership=m, run=run, exclude_refused=False)
    assert run.status == ImportRun.Status.REFUSED
    assert not Offer.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_record_with_an_offer_of_its_commune_to_match_takes_the_matching(m, created_in_bulk):
    first = services.import_prepare(membership=m, name="a.zip", content=objects_2023())
    services.import_commit(membership=m, run=first, exclude_refused=False)
    argentat = ImportedRecord.objects.get(source_id__endswith="/005424b9-231a-3735-b357-b13d2e2f661a").offer
    ImportedRecord.objects.all().delete()  # the offers are the base's own now: each is its record's match
    created_in_bulk.clear()

    again = services.import_prepare(membership=m, name="b.zip", content=objects_2023())
    assert not created_in_bulk
    assert "created" not in [line["action"] for line in again.report]
    line = next(line for line in again.report if line["source_id"].endswith("/005424b9-231a-3735-b357-b13d2e2f661a"))
    assert line["offer"] == argentat.pk


def test_offers_refused_in_bulk_get_the_errors_full_clean_gives(m, cavalaire):
    """The foreign keys `offers_create_bulk` checks once for all, with `full_clean`'s message; an offer refused
    writes nothing, the others are written."""
    from acvs.network.models import Commune
    from acvs.offer.models import OfferType

    commune = Commune.objects.get(insee="83036")
    kind = OfferType.objects.filter(is_family=False).first()

    def data(**fields):
        return offer_services.OfferData(
            fields={"name": "Mas", "commune": commune, "latitude": commune.latitude, "longitude": commune.longitude,
                    **fields},
            types=[kind],
        )  # fmt: skip

    good, missing, bad = data(), data(provider_id=999_999), data(latitude=95)
    results = offer_services.offers_create_bulk(membership=m, datas=[good, missing, bad])
    assert isinstance(results[0], Offer)
    assert results[0].pk
    for bulk_data, result in zip([missing, bad], results[1:], strict=True):
        with pytest.raises(offer_services.ValidationError) as single:
            offer_services.offer_create(membership=m, data=bulk_data)
        assert result.message_dict == single.value.message_dict
    assert list(Offer.objects.values_list("pk", flat=True)) == [results[0].pk]
