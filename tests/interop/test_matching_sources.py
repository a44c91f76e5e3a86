"""Every source matches a record whose source id is unknown to the offers already in the base (typed by hand, or
brought by another source): by name, commune and position, with the phone, email and website as clues; the same
matching as a former base's. The real samples of DATAtourisme, Apidae and Tourinsoft (tests/interop/samples)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from acvs.interop.importing import services
from acvs.interop.models import ImportedRecord, ImportRun
from acvs.network.models import Commune, Role
from acvs.offer.models import Offer
from tests.conftest import make_user, membership
from tests.factories import OfferFactory
from tests.interop.test_connectors import sample
from tests.interop.test_datatourisme_import import objects_2023

ESCAPADE = "/005424b9-231a-3735-b357-b13d2e2f661a"


@pytest.fixture
def m(manager):
    return membership(manager)


def actions(run: ImportRun) -> list[str]:
    return [line["action"] for line in run.report]


def prepared(m, name: str, content: bytes, source: str) -> ImportRun:
    return services.import_prepare(membership=m, name=name, content=content, source=source)


def committed(m, name: str, content: bytes, source: str) -> ImportRun:
    return services.import_commit(membership=m, run=prepared(m, name, content, source), exclude_refused=False)


def by_hand(m, name: str, insee: str, latitude: float, longitude: float, **fields) -> Offer:
    commune = Commune.objects.get(insee=insee)
    return OfferFactory(name=name, owner_office=m.office, commune=commune, latitude=latitude, longitude=longitude,
                        **fields)  # fmt: skip


PERCHE = sample("tourinsoft/tourinsoftContent.json")


def test_a_tourinsoft_record_matches_the_offer_typed_by_hand_and_keeps_what_the_office_gave_it(m):
    hand = by_hand(m, "Hotel du Perche", "28280", 48.3295, 0.804899, phone="+33237000000", types=["Hotel"])
    hand.periods.create(start_date="2019-01-01", end_date="2019-12-31", weekdays=[0, 1], note="Typed by hand")
    run = prepared(m, "v2.json", PERCHE, "tourinsoft")
    assert actions(run) == ["updated"]
    assert run.report[0]["offer"] == hand.pk
    assert Offer.objects.count() == 1  # the dry run wrote nothing
    assert not ImportedRecord.objects.exists()

    run = services.import_commit(membership=m, run=run, exclude_refused=False)
    assert Offer.objects.count() == 1
    record = ImportedRecord.objects.get(source="tourinsoft")
    assert (record.offer_id, record.source_id) == (hand.pk, "HOTCEN0280010001")
    hand.refresh_from_db()
    # What the offer lacked comes from the source; what the office typed stays, the differing ones as conflicts.
    assert hand.email == "hotelduperche@brithotel.fr"
    assert hand.website == "http://www.hotel-du-perche.com"
    assert hand.phone.as_e164 == "+33237000000"
    assert hand.name == "Hotel du Perche"
    assert {c["field"] for c in run.report[0]["conflicts"]} == {"phone", "name", "periods"}
    periods = next(c for c in run.report[0]["conflicts"] if c["field"] == "periods")
    assert periods["current"] == "1er janvier 2019 → 31 décembre 2019 lundi, mardi (Typed by hand)"
    assert "8 août 2019 → 31 décembre 2019 mardi, mercredi, jeudi, vendredi, samedi, dimanche 18:00–22:00" in (
        periods["incoming"].split("\n")
    )
    assert [p.note for p in hand.periods.all()] == ["Typed by hand"]
    version = hand.version

    again = committed(m, "v2.json", PERCHE, "tourinsoft")
    assert actions(again) == ["unchanged"]
    hand.refresh_from_db()
    assert hand.version == version
    assert Offer.objects.count() == 1


def test_a_conflict_of_a_matched_offer_is_settled_like_any_other(m):
    hand = by_hand(m, "Hôtel du Perche", "28280", 48.3295, 0.804899, phone="+33237000000", types=["Hotel"])
    run = committed(m, "v2.json", PERCHE, "tourinsoft")
    (conflict,) = run.report[0]["conflicts"]
    assert (conflict["field"], conflict["incoming"]) == ("phone", "02 37 53 43 60")
    services.conflict_settle(membership=m, run=run, line=1, field="phone", accept=False)
    again = committed(m, "v2.json", PERCHE, "tourinsoft")
    assert actions(again) == ["unchanged"]
    assert "conflicts" not in again.report[0]  # kept once: not asked again while the source says the same
    hand.refresh_from_db()
    assert hand.phone.as_e164 == "+33237000000"


def test_the_same_phone_under_another_name_nearby_goes_to_review(m):
    hand = by_hand(m, "Brit Hotel Nogent", "28280", 48.331, 0.806, phone="+33237534360", types=["Hotel"])
    run = prepared(m, "v2.json", PERCHE, "tourinsoft")
    assert actions(run) == ["review"]
    assert [c["offer"] for c in run.report[0]["candidates"]] == [hand.pk]
    with pytest.raises(ValidationError):
        services.import_commit(membership=m, run=run, exclude_refused=False)
    run = services.review_decide(membership=m, run=run, choices={1: "new"})
    assert actions(run) == ["created"]
    services.import_commit(membership=m, run=run, exclude_refused=False)
    assert Offer.objects.count() == 2


def test_an_apidae_object_near_an_offer_of_a_like_name_waits_for_the_office(client, manager, m):
    raft = json.loads(sample("apidae/apidaeContent.json"))["objetsTouristiques"][0]
    hand = by_hand(m, "Quey'Raft rafting", "05038", 44.7600, 6.7941, types=["ServiceProvider"])
    content = json.dumps(raft).encode()
    run = prepared(m, "apidae.json", content, "apidae")
    assert actions(run) == ["review"]
    (candidate,) = run.report[0]["candidates"]
    assert candidate["offer"] == hand.pk
    assert 300 < candidate["metres"] < 500
    # The office says it is the same offer, on the run's page.
    client.force_login(manager)
    assert "Quey&#x27;Raft rafting" in client.get(reverse("interop:import_run", args=[run.pk])).content.decode()
    assert client.post(reverse("interop:import_review", args=[run.pk]), {"match_1": str(hand.pk)}).status_code == 302
    run.refresh_from_db()
    assert actions(run) == ["updated"]
    assert client.post(reverse("interop:import_commit", args=[run.pk])).status_code == 302
    assert Offer.objects.count() == 1
    assert ImportedRecord.objects.get().offer == hand
    hand.refresh_from_db()
    assert hand.short_description_en == "Descriptif Court EN"
    assert actions(committed(m, "apidae.json", content, "apidae")) == ["unchanged"]


def test_a_datatourisme_record_matches_an_offer_another_source_brought(m):
    """The same point of interest in a former base and in the national flux is one offer with two provenances."""
    committed(m, "flux.zip", objects_2023(), "datatourisme")
    escapade = Offer.objects.get(imported_from__source_id__endswith=ESCAPADE)
    ImportedRecord.objects.filter(offer=escapade).update(source="legacy", source_id="1:E1")  # as if a former base's
    count = Offer.objects.count()

    again = committed(m, "flux.zip", objects_2023(), "datatourisme")
    line = next(line for line in again.report if line["source_id"].endswith(ESCAPADE))
    assert (line["action"], line["offer"]) == ("unchanged", escapade.pk)
    assert Offer.objects.count() == count
    assert set(ImportedRecord.objects.filter(offer=escapade).values_list("source", flat=True)) == {
        "legacy", "datatourisme"
    }  # fmt: skip
    assert set(actions(committed(m, "flux.zip", objects_2023(), "datatourisme"))) == {"unchanged"}


def test_an_offer_another_record_of_the_same_source_holds_is_not_taken(m):
    """Two Apidae objects are two offers, however alike: an offer tied to one is no candidate for the other."""
    raft = json.loads(sample("apidae/apidaeContent.json"))["objetsTouristiques"][0]
    committed(m, "apidae.json", json.dumps(raft).encode(), "apidae")
    twin = {**raft, "id": 999999}
    run = committed(m, "apidae.json", json.dumps(twin).encode(), "apidae")
    assert actions(run) == ["created"]
    assert Offer.objects.count() == 2


def test_one_offer_is_matched_by_one_record_of_a_run(m):
    v3 = json.loads(sample("tourinsoft/tourinsoftContentV3.json"))
    perche = v3["value"][0]
    v3["value"] = [perche, {**perche, "SyndicObjectID": "HOTCEN0280019999"}]
    hand = by_hand(m, "Hôtel du Perche", "28280", 48.3295, 0.804899, types=["Hotel"])
    run = prepared(m, "v3.json", json.dumps(v3).encode(), "tourinsoft")
    assert actions(run) == ["updated", "created"]
    assert run.report[0]["offer"] == hand.pk


def test_another_office_cannot_settle_the_match(client, m, croix_valmer):
    hand = by_hand(m, "Brit Hotel Nogent", "28280", 48.331, 0.806, phone="+33237534360", types=["Hotel"])
    run = prepared(m, "v2.json", PERCHE, "tourinsoft")
    assert actions(run) == ["review"]
    other = make_user("othermanager", croix_valmer, Role.MANAGER)
    client.force_login(other)
    assert client.post(reverse("interop:import_review", args=[run.pk]), {"match_1": str(hand.pk)}).status_code == 404
    with pytest.raises(services.PermissionDenied):
        services.review_decide(membership=membership(other), run=run, choices={1: str(hand.pk)})
    run.refresh_from_db()
    assert run.decisions == {}


def test_periods_the_office_changed_after_an_import_stay_its_own(m):
    committed(m, "v2.json", PERCHE, "tourinsoft")
    perche = Offer.objects.get()
    assert perche.periods.count() == 4
    perche.periods.filter(opens__hour=18).delete()  # the office closes the evenings
    again = committed(m, "v2.json", PERCHE, "tourinsoft")
    assert actions(again) == ["unchanged"]
    assert perche.periods.count() == 2
