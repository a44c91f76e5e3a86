"""DATAtourisme import: real exports (tests/interop/samples), read, dry-run, committed, re-imported."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from acvs.core.models import AuditEntry
from acvs.interop.importing import base, datatourisme, services
from acvs.interop.models import ImportedRecord, ImportRun
from acvs.network.models import Role
from acvs.offer.models import Offer
from tests.conftest import make_user, membership

SAMPLES = Path(__file__).resolve().parent / "samples"


def zipped(files: dict[str, bytes]) -> bytes:
    """A zip with a fixed date: its bytes name a parametrized test, which every xdist worker must collect alike."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


def flux_2024() -> bytes:
    return (SAMPLES / "flux-2024-oaz-sample.zip").read_bytes()


def objects_2023_files() -> dict[str, bytes]:
    with zipfile.ZipFile(SAMPLES / "objects-2023-farontir.zip") as archive:
        return {name: archive.read(name) for name in sorted(archive.namelist())}


def objects_2023(**changes) -> bytes:
    """The ten 2023 objects as one flux; `changes` sets a property of the object whose file name starts with the key."""
    files = {}
    for name, content in objects_2023_files().items():
        obj = json.loads(content)
        for prefix, (key, value) in changes.items():
            if name.startswith(prefix):
                obj[key] = value
        files[f"objects/{name}"] = json.dumps(obj).encode()
    return zipped(files)


def actions(run: ImportRun) -> list[str]:
    return [line["action"] for line in run.report]


@pytest.fixture
def m(manager):
    return membership(manager)


def test_the_samples_are_read_in_both_formats():
    records = datatourisme.read_file("flux.zip", objects_2023()) + datatourisme.read_file("flux.zip", flux_2024())
    assert len(records) == 15
    assert not [r for r in records if r.get("refused")]
    carcassonne = next(r for r in records if r["name"].startswith("CHÂTEAU ET REMPARTS"))
    assert carcassonne["insee"] == "11069"
    assert "CulturalSite" in carcassonne["types"]
    assert isinstance(carcassonne["latitude"], float)
    assert carcassonne["fields"]["phone"] == "+33 4 68 11 70 70"
    # One specification per weekday in the file, merged into periods of several days.
    assert any(len(p["weekdays"]) > 1 for p in carcassonne["periods"])
    market = next(r for r in records if r["name"].startswith("MARCHE DE NOEL"))
    assert {"start_date": "2024-11-28", "end_date": "2024-12-29"}.items() <= market["periods"][0].items()


def test_the_older_namespace_and_wrapped_values_are_read():
    obj = json.loads(next(iter(objects_2023_files().values())))
    obj["@type"] = [f"https://www.datatourisme.gouv.fr/ontology/core#{t}" for t in obj["@type"]]
    place = obj["isLocatedAt"][0]
    place["schema:address"][0]["hasAddressCity"] = [place["schema:address"][0]["hasAddressCity"]]
    (record,) = datatourisme.read_file("old.json", json.dumps(obj).encode())
    assert record["insee"] == "19010"
    assert "SportsAndLeisurePlace" in record["types"]


def test_a_dry_run_writes_nothing_and_the_commit_creates_every_offer(m):
    offers, audit = Offer.objects.count(), AuditEntry.objects.count()
    run = services.import_prepare(membership=m, name="objects-2023.zip", content=objects_2023())
    assert actions(run) == ["created"] * 10, run.report
    assert (Offer.objects.count(), AuditEntry.objects.count(), ImportedRecord.objects.count()) == (offers, audit, 0)

    services.import_commit(membership=m, run=run, exclude_refused=False)
    assert run.status == ImportRun.Status.COMMITTED
    assert actions(run) == ["created"] * 10
    imported = Offer.objects.filter(imported_from__source="datatourisme")
    assert imported.count() == 10
    assert set(imported.values_list("owner_office", flat=True)) == {m.office_id}
    argentat = imported.get(imported_from__source_id__endswith="/005424b9-231a-3735-b357-b13d2e2f661a")
    assert argentat.commune_id == "19010"
    assert argentat.types.filter(code="SportsAndLeisurePlace").exists()
    assert argentat.description_en
    assert argentat.periods.exists()
    assert argentat.status == "published"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).count() >= 10


def test_a_re_import_updates_what_changed_and_leaves_the_rest_alone(m):
    first = services.import_prepare(membership=m, name="a.zip", content=objects_2023())
    services.import_commit(membership=m, run=first, exclude_refused=False)
    versions = dict(Offer.objects.values_list("pk", "version"))
    audit = AuditEntry.objects.count()

    again = services.import_prepare(membership=m, name="b.zip", content=objects_2023())
    services.import_commit(membership=m, run=again, exclude_refused=False)
    assert actions(again) == ["unchanged"] * 10
    assert dict(Offer.objects.values_list("pk", "version")) == versions
    assert AuditEntry.objects.count() == audit

    renamed = objects_2023(**{"23-005424b9": ("rdfs:label", {"fr": ["Escapade Nature (nouveau nom)"]})})
    third = services.import_prepare(membership=m, name="c.zip", content=renamed)
    services.import_commit(membership=m, run=third, exclude_refused=False)
    assert sorted(actions(third)) == ["unchanged"] * 9 + ["updated"]
    offer = Offer.objects.get(name="Escapade Nature (nouveau nom)")
    assert offer.version == versions[offer.pk] + 1
    assert Offer.objects.count() == len(versions)


def test_an_unchanged_record_is_known_by_its_digest_without_comparing_its_offer(m, monkeypatch):
    first = services.import_prepare(membership=m, name="a.zip", content=objects_2023())
    services.import_commit(membership=m, run=first, exclude_refused=False)
    assert all(ImportedRecord.objects.values_list("source_digest", flat=True))

    def compared(*args, **kwargs):
        raise AssertionError("an unchanged record was mapped onto its offer")

    monkeypatch.setattr(services, "_update", compared)
    again = services.import_prepare(membership=m, name="b.zip", content=objects_2023())
    services.import_commit(membership=m, run=again, exclude_refused=False)
    assert actions(again) == ["unchanged"] * 10
    assert {line["offer"] for line in again.report} == set(Offer.objects.values_list("pk", flat=True))
    # A changed record is compared in full (and here refused by the stand-in: nothing of its batch is written).
    with pytest.raises(AssertionError, match="mapped onto its offer"):
        services.import_prepare(membership=m, name="c.zip", content=objects_2023(**{"23-005424b9": ("rdfs:label",
                                {"fr": ["Escapade Nature (nouveau nom)"]})}))  # fmt: skip


def test_a_type_the_base_learns_later_makes_the_same_record_compared_again(m):
    from acvs.offer.models import OfferType

    first = services.import_prepare(membership=m, name="a.zip", content=objects_2023())
    services.import_commit(membership=m, run=first, exclude_refused=False)
    assert not OfferType.objects.filter(code="LodgingBusiness").exists()  # schema:LodgingBusiness, unknown so far
    OfferType.objects.create(code="LodgingBusiness", label="Hébergement (schema.org)")
    again = services.import_prepare(membership=m, name="b.zip", content=objects_2023())
    services.import_commit(membership=m, run=again, exclude_refused=False)
    # The records that name it are compared in full and take it; the others stay unchanged.
    updated = {line["offer"] for line in again.report if line["action"] == "updated"}
    assert updated
    assert updated == set(Offer.objects.filter(types__code="LodgingBusiness").values_list("pk", flat=True))
    assert actions(again).count("unchanged") == 10 - len(updated)


def test_a_record_twice_in_a_file_is_compared_in_full_the_second_time(m):
    files = objects_2023_files()
    name, content = next(iter(files.items()))
    changed = json.loads(content) | {"rdfs:label": {"fr": ["Un autre nom"]}}
    services.import_commit(membership=m, run=services.import_prepare(membership=m, name="a.json", content=content),
                           exclude_refused=False)  # fmt: skip
    offer = Offer.objects.get()
    # The changed copy first, then the copy as imported: the second brings the offer back, it is not "unchanged".
    both = json.dumps([changed, json.loads(content)]).encode()
    run = services.import_prepare(membership=m, name="both.json", content=both)
    services.import_commit(membership=m, run=run, exclude_refused=False)
    assert actions(run) == ["updated", "updated"]
    offer.refresh_from_db()
    assert offer.name == json.loads(content)["rdfs:label"]["fr"][0]


def test_one_refused_record_writes_nothing_unless_the_refused_are_left_out(m):
    content = objects_2023(
        **{
            "49-": (
                "isLocatedAt",
                [
                    {
                        "schema:geo": {"schema:latitude": "47", "schema:longitude": "-0.5"},
                        "schema:address": [{"hasAddressCity": {"insee": "99999"}}],
                    }
                ],
            ),  # fmt: skip
            "58-": ("@type", ["schema:Thing", "Spaceport"]),
        }
    )
    run = services.import_prepare(membership=m, name="bad.zip", content=content)
    refused = {line["file"]: line["reason"] for line in run.report if line["action"] == "refused"}
    assert len(refused) == 2
    assert actions(run).count("created") == 8
    assert any("99999" in reason for reason in refused.values())
    assert any("Spaceport" in reason for reason in refused.values())

    offers = Offer.objects.count()
    services.import_commit(membership=m, run=run, exclude_refused=False)
    assert run.status == ImportRun.Status.REFUSED
    assert Offer.objects.count() == offers
    assert not ImportedRecord.objects.exists()

    services.import_commit(membership=m, run=run, exclude_refused=True)
    assert run.status == ImportRun.Status.COMMITTED
    assert Offer.objects.count() == offers + 8


def test_an_offer_of_another_office_is_refused_not_taken(m, croix_valmer):
    run = services.import_prepare(membership=m, name="a.zip", content=flux_2024())
    services.import_commit(membership=m, run=run, exclude_refused=False)
    other = membership(make_user("othermanager", croix_valmer, Role.MANAGER))
    again = services.import_prepare(membership=other, name="b.zip", content=flux_2024())
    assert actions(again) == ["refused"] * 5
    assert again.report[0]["reason"] == "Seul l’office propriétaire peut modifier cette offre."
    assert set(Offer.objects.values_list("owner_office", flat=True)) == {m.office_id}


def post_file(client, name: str, content: bytes):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("interop:import_start"), {"file": upload})


def test_the_pages_check_then_import_the_2024_flux(client, manager):
    client.force_login(manager)
    response = post_file(client, "flux-2024.zip", flux_2024())
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interop:import_run", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "CHÂTEAU ET REMPARTS DE LA CITÉ" in page
    assert "Rien n’a encore été enregistré" in page
    assert not Offer.objects.exists()

    response = client.post(reverse("interop:import_commit", args=[run.pk]))
    assert response.status_code == 302
    assert Offer.objects.count() == 5
    page = client.get(reverse("interop:import_run", args=[run.pk])).content.decode()
    assert "5 offres créées" in page
    assert "Importé" in page
    response = client.post(reverse("interop:import_commit", args=[run.pk]))
    assert response.status_code == 400
    assert "déjà été importé" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("poi.json", b'{"@id": "x", "rdfs:label": ', "n’est pas du JSON valide"),
        ("flux.zip", zipped({"objects/a.json": b"{}"})[:60], "archive zip lisible"),
        ("poi.json", "é".encode("latin-1"), "UTF-8"),
        ("poi.txt", b"{}", ".json, .jsonld ou .zip"),
    ],
    ids=["broken-json", "truncated-zip", "latin-1", "wrong-extension"],
)
def test_a_broken_file_is_refused_with_its_reason(client, manager, name, content, message):
    client.force_login(manager)
    response = post_file(client, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize(
    "content",
    ['\ufeff{"@id": "x"}'.encode(), '{"@id": "x"}'.encode("utf-16"), b'{"@id": "x", "n": NaN}'],
    ids=["utf-8-bom", "utf-16", "nan"],
)
def test_json_the_fast_decoder_refuses_is_still_read(content):
    """orjson refuses these; the standard library reads them, as before orjson."""
    assert base.load_json("poi.json", content)["@id"] == "x"


def test_another_office_cannot_see_nor_confirm_an_import(client, manager, croix_valmer, agent):
    run = services.import_prepare(membership=membership(manager), name="a.zip", content=flux_2024())
    client.force_login(make_user("othermanager", croix_valmer, Role.MANAGER))
    assert client.get(reverse("interop:import_run", args=[run.pk])).status_code == 404
    assert client.post(reverse("interop:import_commit", args=[run.pk])).status_code == 404
    assert (
        reverse("interop:import_run", args=[run.pk]) not in client.get(reverse("interop:import_start")).content.decode()
    )
    client.force_login(agent)  # an agent of the same office: not allowed to import
    assert client.post(reverse("interop:import_commit", args=[run.pk])).status_code == 403
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED
    assert not Offer.objects.exists()


def test_the_2020_flux_in_the_older_namespace_is_imported(m):
    run = services.import_prepare(
        membership=m, name="flux-2020.zip", content=(SAMPLES / "flux-2020-extract.zip").read_bytes()
    )
    services.import_commit(membership=m, run=run, exclude_refused=False)
    assert actions(run) == ["created"] * 3, [line["reason"] for line in run.report]
    hotel = Offer.objects.get(imported_from__source_id__contains="35ed5b9e")
    assert hotel.commune.department.code == "37"
    assert hotel.types.filter(code="Hotel").exists()


def test_a_flux_over_the_limit_is_refused_whole(client, manager, monkeypatch):
    monkeypatch.setattr(base, "MAX_RECORDS", 4)
    client.force_login(manager)
    response = post_file(client, "flux-2024.zip", flux_2024())
    assert response.status_code == 400
    assert "plus de 4 fiches" in response.content.decode()
