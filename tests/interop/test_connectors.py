"""Apidae and Tourinsoft imports: the real samples (tests/interop/samples), read, dry-run, committed, re-imported."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from acvs.interop.importing import apidae, base, connectors, services, tourinsoft
from acvs.interop.models import ImportedRecord, ImportRun
from acvs.offer.models import Offer
from acvs.offer.reference import read_ontology
from tests.conftest import membership

SAMPLES = Path(__file__).resolve().parent / "samples"


def sample(path: str) -> bytes:
    return (SAMPLES / path).read_bytes()


def read(connector, path: str, content: bytes | None = None) -> list[dict]:
    return base.read_records(connector, Path(path).name, sample(path) if content is None else content)


def actions(run: ImportRun) -> list[str]:
    return [line["action"] for line in run.report]


@pytest.fixture
def m(manager):
    return membership(manager)


def test_every_connector_maps_to_classes_of_the_ontology():
    parents, _labels = read_ontology()
    for table in (apidae.TYPES, tourinsoft.TYPES):
        assert {c for classes in table.values() for c in classes} <= set(parents)
    assert list(connectors.CONNECTORS) == ["datatourisme", "apidae", "tourinsoft"]


def test_apidae_objects_are_read_with_their_texts_contacts_periods_prices_and_links():
    (raft,) = read(apidae.CONNECTOR, "apidae/apidaeContent.json")
    assert (raft["source_id"], raft["name"], raft["types"], raft["insee"]) == (
        "479743", "Quey' Raft", ["ServiceProvider"], "05038"
    )  # fmt: skip
    assert (raft["latitude"], raft["longitude"]) == (44.756403, 6.794103)
    assert raft["fields"]["phone"] == "06 10 15 13 28"
    assert raft["fields"]["email"] == "info@queyraft.com"
    assert raft["fields"]["website"] == "http://www.queyraft.com"
    assert raft["fields"]["short_description_fr"].startswith("Des descentes familiales")
    assert raft["fields"]["short_description_it"] == "Descriptif Court IT"
    assert raft["fields"]["description_en"] == "Descriptif Détaillé EN"

    structure, event = read(apidae.CONNECTOR, "apidae/apidaeEvent.json")  # its managing structure first
    assert (structure["kind"], structure["name"]) == ("provider", "Toto")
    assert event["types"] == ["EntertainmentAndEvent"]
    assert event["periods"] == [{"start_date": "2019-08-06", "end_date": "2019-08-06", "weekdays": list(range(7)),
                                 "opens": "09:00:00", "closes": "12:00:00", "note": ""}]  # fmt: skip
    assert "http://facebook.com" in event["extra"]["links"]

    (hotel,) = read(apidae.CONNECTOR, "apidae/hot_fr_en.json")
    assert hotel["types"] == ["Hotel"]
    assert {"label": "chambre familiale", "min_amount": "80.0", "max_amount": "125.0"}.items() <= hotel["prices"][
        1
    ].items()
    assert hotel["prices"][0]["valid_from"] == "2018-04-01"


def test_an_apidae_export_archive_is_read_with_its_criteria_and_communes():
    records = read(apidae.CONNECTOR, "apidae/json_export.zip")
    assert len(records) == 5
    assert all(r["types"] == ["EntertainmentAndEvent"] for r in records)
    zingaro = next(r for r in records if r["source_id"] == "4828422")
    assert zingaro["extra"]["criteria"] == ["2060", "6588", "6769", "542", "9580"]
    assert len(zingaro["periods"]) == 20
    # The archive's communes.json names only three communes, none of these: the commune is reported unknown.
    assert {r["insee"] for r in records} == {""}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"type": "TERRITOIRE"}, "Apidae TERRITOIRE n’est pas une offre"),
        ({"type": "SPACEPORT"}, "Type Apidae inconnu « SPACEPORT »"),
        ({"localisation": {"geolocalisation": {"geoJson": {"coordinates": ["x", 44]}}}}, "coordonnées valides"),
        ({"localisation": {"geolocalisation": {"geoJson": {"coordinates": [6.7, 144]}}}}, "coordonnées valides"),
        ({"localisation": "Château Queyras"}, "pas de la forme attendue"),
        ({"nom": {}}, "pas de nom"),
    ],
)
def test_an_unexpected_apidae_object_is_refused_with_its_reason(change, reason):
    obj = json.loads(sample("apidae/apidaeContent.json"))["objetsTouristiques"][0]
    obj.update(change)
    content = json.dumps({"objetsTouristiques": [obj, {"id": 2, "type": "HOTELLERIE"}]}).encode()
    first, second = read(apidae.CONNECTOR, "apidae.json", content)
    assert reason in first["refused"]
    assert first["source_id"] == "479743"
    assert second["refused"]


def test_an_empty_apidae_response_is_refused_whole():
    with pytest.raises(base.FileRefused, match="aucune fiche"):
        read(apidae.CONNECTOR, "apidae/apidaeNoEvent.json")


def test_apidae_objects_are_imported_then_a_re_import_changes_nothing(m):
    content = json.dumps(
        [
            json.loads(sample(f"apidae/{name}.json"))["objetsTouristiques"][0]
            for name in ("apidaeContent", "apidaeEvent")
        ]
    ).encode()
    run = services.import_prepare(membership=m, name="apidae.json", content=content, source="apidae")
    assert actions(run) == ["created", "created", "created"], run.report  # the event's structure, then the offers
    assert not Offer.objects.exists()
    services.import_commit(membership=m, run=run, exclude_refused=False)
    raft = Offer.objects.get(imported_from__source="apidae", imported_from__source_id="479743")
    assert raft.commune_id == "05038"
    assert raft.owner_office == m.office
    assert raft.types.filter(code="ServiceProvider").exists()
    assert raft.short_description_en == "Descriptif Court EN"
    event = Offer.objects.get(imported_from__source_id="323154")
    assert event.periods.get().opens.hour == 9
    assert ImportedRecord.objects.get(offer=event).extra["links"][-1] == "http://www.coucou.com"
    versions = dict(Offer.objects.values_list("pk", "version"))

    again = services.import_prepare(membership=m, name="apidae.json", content=content, source="apidae")
    services.import_commit(membership=m, run=again, exclude_refused=False)
    assert actions(again) == ["unchanged", "unchanged", "unchanged"]
    assert dict(Offer.objects.values_list("pk", "version")) == versions


def test_apidae_prices_are_imported(m):
    hotel = json.loads(sample("apidae/hot_fr_en.json"))[0]
    hotel["localisation"]["adresse"]["commune"] = {"id": 1, "code": "83036"}  # the export only named it by id
    run = services.import_prepare(membership=m, name="hotel.json", content=json.dumps(hotel).encode(), source="apidae")
    services.import_commit(membership=m, run=run, exclude_refused=False)
    assert actions(run) == ["created"], run.report
    offer = Offer.objects.get()
    assert offer.prices.count() == 5
    assert offer.prices.get(label="chambre familiale").max_amount == 125


def test_an_apidae_archive_with_unknown_communes_writes_nothing(m):
    run = services.import_prepare(
        membership=m, name="export.zip", content=sample("apidae/json_export.zip"), source="apidae"
    )
    assert actions(run) == ["refused"] * 5
    assert "Commune inconnue" in run.report[0]["reason"]
    assert "30248" in run.report[0]["reason"]
    services.import_commit(membership=m, run=run, exclude_refused=False)
    assert run.status == ImportRun.Status.REFUSED
    assert not Offer.objects.exists()


def test_tourinsoft_v2_and_v3_are_read_alike():
    (v2,) = read(tourinsoft.CONNECTOR, "tourinsoft/tourinsoftContent.json")
    v3, chatel = read(tourinsoft.CONNECTOR, "tourinsoft/tourinsoftContentV3.json")
    assert {k: v for k, v in v2.items() if k not in {"file", "extra"}} == {
        k: v for k, v in v3.items() if k not in {"file", "extra"}
    }
    assert (v2["source_id"], v2["name"], v2["types"], v2["insee"], v2["fields"]["postcode"]) == (
        "HOTCEN0280010001", "Hôtel du Perche", ["Hotel"], "28280", "28400"
    )  # fmt: skip
    assert v2["fields"]["phone"] == "02 37 53 43 60"
    assert v2["fields"]["website"] == "http://www.hotel-du-perche.com"
    assert v2["updated"].startswith("2019-01-02")
    # Closed on Mondays; a lunch break makes two periods of the same dates.
    assert [(p["start_date"], p["weekdays"], p["opens"]) for p in v2["periods"][:2]] == [
        ("2019-01-01", [1, 2, 3, 4, 5, 6], "08:00:00"),
        ("2019-01-01", [1, 2, 3, 4, 5, 6], "18:00:00"),
    ]
    assert v3["extra"]["photos"] == ["https://cdt61.media.tourinsoft.eu/upload/SteCath800-2.jpg"]
    assert chatel["source_id"] == "HOTCEN0280210001"


def test_tourinsoft_v2_then_v3_creates_then_updates_only_what_is_new(m):
    first = services.import_prepare(membership=m, name="v2.json", content=sample("tourinsoft/tourinsoftContent.json"),
                                    source="tourinsoft")  # fmt: skip
    services.import_commit(membership=m, run=first, exclude_refused=False)
    assert actions(first) == ["created"]
    perche = Offer.objects.get()
    assert perche.commune_id == "28280"
    assert perche.periods.count() == 4
    v3 = sample("tourinsoft/tourinsoftContentV3.json")
    second = services.import_prepare(membership=m, name="v3.json", content=v3, source="tourinsoft")
    services.import_commit(membership=m, run=second, exclude_refused=False)
    assert actions(second) == ["unchanged", "created"]
    perche.refresh_from_db()
    assert perche.version == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"SyndicObjectID": "XYZCEN0280010001"}, "Type Tourinsoft inconnu « XYZ »"),
        ({"GmapLatitude": "48,32", "GooglemapLatitude": None}, "coordonnées valides"),
        ({"SyndicObjectName": ""}, "pas de nom"),
    ],
)
def test_an_unexpected_tourinsoft_object_is_refused_with_its_reason(change, reason):
    data = json.loads(sample("tourinsoft/tourinsoftContentV3.json"))
    data["value"][0].update(change)
    first, second = read(tourinsoft.CONNECTOR, "v3.json", json.dumps(data).encode())
    assert reason in first["refused"]
    assert not second.get("refused")


def test_the_page_imports_from_the_chosen_source(client, manager):
    client.force_login(manager)
    page = client.get(reverse("interop:import_start")).content.decode()
    assert 'value="tourinsoft"' in page
    assert 'value="apidae"' in page
    upload = SimpleUploadedFile("v3.json", sample("tourinsoft/tourinsoftContentV3.json"))
    response = client.post(reverse("interop:import_start"), {"source": "tourinsoft", "file": upload})
    assert response.status_code == 302, response.content.decode()
    run = ImportRun.objects.get()
    assert run.source == "tourinsoft"
    assert "Chatel du Perche" in client.get(response["Location"]).content.decode()
    client.post(reverse("interop:import_commit", args=[run.pk]))
    assert Offer.objects.filter(imported_from__source="tourinsoft").count() == 2
    assert "Tourinsoft" in client.get(reverse("interop:import_start")).content.decode()


def test_the_page_refuses_a_file_kind_the_source_does_not_read(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile("export.zip", sample("apidae/json_export.zip"))
    response = client.post(reverse("interop:import_start"), {"source": "tourinsoft", "file": upload})
    assert response.status_code == 400
    assert "Choisissez un fichier .json." in response.content.decode()
    assert not ImportRun.objects.exists()
