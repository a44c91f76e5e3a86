"""Types, opening periods and prices are tracked as wholes: changed by the office since the last import and at the
source too, they are listed on the run's page with both sides in words, then taken from the source (through the
offer services: one new version, one history entry) or kept, like any field. The 2023 DATAtourisme sample."""

import datetime
import decimal
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import escape

from acvs.core.models import AuditEntry
from acvs.interop.importing import services
from acvs.interop.models import ImportedRecord, ImportRun
from acvs.network.models import Role
from acvs.offer.models import Offer, OfferType, OpeningPeriod, Price
from tests.conftest import make_user, membership
from tests.interop.test_datatourisme_import import objects_2023, objects_2023_files, zipped

ESCAPADE = "23-005424b9"


def escapade_place() -> dict:
    name = next(n for n in objects_2023_files() if n.startswith(ESCAPADE))
    return json.loads(objects_2023_files()[name])["isLocatedAt"][0]


def source_types(*extra: str) -> tuple[str, list]:
    return ("@type", ["PlaceOfInterest", "PointOfInterest", *extra])


def source_periods(start: str = "2027-04-01") -> tuple[str, list]:
    spec = {
        "schema:validFrom": f"{start}T10:00:00",
        "schema:validThrough": "2027-10-31T17:00:00",
        "schema:opens": "10:00:00",
        "schema:closes": "17:00:00",
        "schema:dayOfWeek": [{"@id": "schema:Monday"}],
    }
    return ("isLocatedAt", [{**escapade_place(), "schema:openingHoursSpecification": [spec]}])


def source_prices(amount: str = "25") -> tuple[str, list]:
    spec = {"schema:minPrice": [amount], "schema:maxPrice": ["30"], "schema:priceCurrency": "EUR",
            "additionalInformation": {"fr": ["Adulte"]}}  # fmt: skip
    return ("offers", [{"schema:priceSpecification": [spec]}])


# The source's change to each whole, and what the page shows of it.
SOURCE = {
    "types": (source_types("CulturalSite"), "Site culturel"),
    "periods": (source_periods(), "1er avril 2027 → 31 octobre 2027 lundi 10:00–17:00"),
    "prices": (source_prices(), "Adulte: 25,00–30,00 € par personne"),
}


def flux(*changes: tuple[str, object]) -> bytes:
    """The ten 2023 objects, the Escapade one with the source's changes."""
    files = {}
    for name, content in objects_2023_files().items():
        obj = json.loads(content)
        if name.startswith(ESCAPADE):
            obj.update(dict(changes))
        files[f"objects/{name}"] = json.dumps(obj).encode()
    return zipped(files)


def run_of(m, content: bytes) -> ImportRun:
    run = services.import_prepare(membership=m, name="flux.zip", content=content)
    return services.import_commit(membership=m, run=run, exclude_refused=False)


def conflicts(run: ImportRun) -> list[dict]:
    return [c for line in run.report for c in line.get("conflicts", [])]


def conflict_line(run: ImportRun) -> int:
    return next(line["line"] for line in run.report if line.get("conflicts"))


def whole(offer: Offer, name: str) -> list:
    """What the offer holds of a whole, comparable."""
    if name == "types":
        return sorted(offer.types.values_list("code", flat=True))
    if name == "periods":
        return sorted(offer.periods.values_list("start_date", "end_date", "weekdays", "opens", "closes", "note"))
    return sorted(offer.prices.values_list("label", "min_amount", "max_amount", "unit"))


@pytest.fixture
def m(manager):
    return membership(manager)


@pytest.fixture
def edited(m) -> Offer:
    """The ten 2023 objects imported, then the office's own types, periods and prices on one offer."""
    run_of(m, objects_2023())
    offer = Offer.objects.get(imported_from__source_id__endswith="/005424b9-231a-3735-b357-b13d2e2f661a")
    offer.types.set([OfferType.objects.get(code="ActivityProvider")])
    offer.periods.all().delete()
    summer = {"start_date": datetime.date(2026, 6, 1), "end_date": datetime.date(2026, 8, 31), "weekdays": [5, 6]}
    OpeningPeriod.objects.create(offer=offer, **summer, opens=datetime.time(9), closes=datetime.time(12), note="Été")
    offer.prices.all().delete()
    Price.objects.create(offer=offer, label="Tarif de l’office", min_amount=decimal.Decimal("18"))
    offer.refresh_from_db()
    return offer


OFFICE_SIDE = {
    "types": "Prestataire d'activité",
    "periods": "1er juin 2026 → 31 août 2026 samedi, dimanche 09:00–12:00 (Été)",
    "prices": "Tarif de l’office: 18,00 € par personne",
}


def test_the_office_s_wholes_stay_without_a_conflict_when_the_source_did_not_change(m, edited):
    owned = {name: whole(edited, name) for name in SOURCE}
    audit = AuditEntry.objects.count()
    run = run_of(m, objects_2023())
    assert [line["action"] for line in run.report] == ["unchanged"] * 10
    assert not conflicts(run)
    offer = Offer.objects.get(pk=edited.pk)
    assert offer.version == edited.version
    assert {name: whole(offer, name) for name in SOURCE} == owned
    assert AuditEntry.objects.count() == audit


@pytest.mark.parametrize("name", SOURCE)
def test_a_whole_changed_on_both_sides_is_listed_then_the_source_s_is_taken(client, manager, m, edited, name):
    change, shown = SOURCE[name]
    owned = whole(edited, name)
    run = run_of(m, flux(change))
    (conflict,) = conflicts(run)
    assert conflict["field"] == name
    assert (conflict["current"], conflict["incoming"]) == (OFFICE_SIDE[name], shown)
    assert run.counts()["conflicts"] == 1
    offer = Offer.objects.get(pk=edited.pk)
    assert whole(offer, name) == owned  # not overwritten
    assert offer.version == edited.version

    client.force_login(manager)
    page = client.get(reverse("interop:import_run", args=[run.pk])).content.decode()
    assert "1 champ modifié par l’office et changé à la source" in page
    assert escape(shown) in page
    assert escape(OFFICE_SIDE[name]) in page
    assert f'<input type="hidden" name="field" value="{name}">' in page
    response = client.post(
        reverse("interop:import_conflict", args=[run.pk]),
        {"line": conflict_line(run), "field": name, "choice": "accept"},
    )
    assert response.status_code == 302
    offer = Offer.objects.get(pk=edited.pk)
    assert offer.version == edited.version + 1
    assert whole(offer, name) != owned
    others = [n for n in SOURCE if n != name]
    assert {n: whole(offer, n) for n in others} == {n: whole(edited, n) for n in others}  # the other edits stay
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Offer), object_id=offer.pk, action=AuditEntry.Action.UPDATE
    ).latest("at")
    assert [c["field"] for c in entry.changes] == [name]
    run.refresh_from_db()
    assert run.counts()["conflicts"] == 0
    page = client.get(reverse("interop:import_run", args=[run.pk])).content.decode()
    assert "la valeur de la source a été prise" in page

    # Settled: the same source again is no conflict and changes nothing.
    again = run_of(m, flux(change))
    assert not conflicts(again)
    assert [line["action"] for line in again.report] == ["unchanged"] * 10
    assert Offer.objects.get(pk=edited.pk).version == offer.version


@pytest.mark.parametrize("name", SOURCE)
def test_a_whole_kept_by_the_office_comes_back_only_when_the_source_changes_again(m, edited, name):
    change, _shown = SOURCE[name]
    owned = whole(edited, name)
    run = run_of(m, flux(change))
    services.conflict_settle(membership=m, run=run, line=conflict_line(run), field=name, accept=False)
    offer = Offer.objects.get(pk=edited.pk)
    assert whole(offer, name) == owned
    assert offer.version == edited.version
    again = run_of(m, flux(change))
    assert not conflicts(again)
    assert Offer.objects.get(pk=edited.pk).version == edited.version
    changed_again = {"types": source_types("Museum"), "periods": source_periods("2027-05-01"),
                     "prices": source_prices("27")}[name]  # fmt: skip
    (conflict,) = conflicts(run_of(m, flux(changed_again)))
    assert conflict["field"] == name
    assert whole(Offer.objects.get(pk=edited.pk), name) == owned


@pytest.mark.parametrize("name", SOURCE)
def test_a_whole_s_conflict_left_unsettled_is_listed_again_by_the_same_file(m, edited, name):
    change, _shown = SOURCE[name]
    (first,) = conflicts(run_of(m, flux(change)))
    # Not answered: the record's digest is not kept, so the same file compares it again and lists it again.
    (again,) = conflicts(run_of(m, flux(change)))
    assert (again["field"], again["incoming"]) == (first["field"], first["incoming"]) == (name, first["incoming"])


def test_the_three_wholes_changed_at_once_are_three_conflicts(m, edited):
    run = run_of(m, flux(*(change for change, _shown in SOURCE.values())))
    assert sorted(c["field"] for c in conflicts(run)) == ["periods", "prices", "types"]
    record = ImportedRecord.objects.get(offer=edited)
    for name in SOURCE:
        services.conflict_settle(membership=m, run=run, line=conflict_line(run), field=name, accept=True)
    offer = Offer.objects.get(pk=edited.pk)
    assert offer.version == edited.version + 3
    assert whole(offer, "types") == ["CulturalSite"]
    assert whole(offer, "prices") == [("Adulte", decimal.Decimal("25.00"), decimal.Decimal("30.00"), "person")]
    record.refresh_from_db()
    assert not conflicts(run_of(m, flux(*(change for change, _shown in SOURCE.values()))))


def test_another_office_cannot_settle_a_conflict_on_a_whole(client, m, edited, croix_valmer, agent):
    run = run_of(m, flux(SOURCE["periods"][0]))
    data = {"line": conflict_line(run), "field": "periods", "choice": "accept"}
    client.force_login(make_user("othermanager", croix_valmer, Role.MANAGER))
    assert client.post(reverse("interop:import_conflict", args=[run.pk]), data).status_code == 404
    client.force_login(agent)
    assert client.post(reverse("interop:import_conflict", args=[run.pk]), data).status_code == 403
    offer = Offer.objects.get(pk=edited.pk)
    assert offer.version == edited.version
    assert whole(offer, "periods") == whole(edited, "periods")


def test_a_provenance_without_the_source_s_wholes_has_them_recorded_without_touching_the_offer(m):
    run_of(m, objects_2023())
    record = ImportedRecord.objects.get(source_id__endswith="/005424b9-231a-3735-b357-b13d2e2f661a")
    expected = {name: record.values[name]["source"] for name in SOURCE}
    assert all(expected.values())
    record.values = {**record.values, **{name: {**record.values[name], "source": ""} for name in SOURCE}}
    record.source_digest = ""  # nor its digest, kept since
    record.save()  # as written before the source's form of the wholes was kept
    version = record.offer.version
    run = run_of(m, objects_2023())
    assert [line["action"] for line in run.report] == ["unchanged"] * 10
    assert not conflicts(run)
    record.refresh_from_db()
    assert {name: record.values[name]["source"] for name in SOURCE} == expected
    assert Offer.objects.get(pk=record.offer_id).version == version
