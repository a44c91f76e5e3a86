"""A former base's CSV/XLSX: upload, column and type-label mapping saved per source, dry run line by line,
all-or-nothing commit, unchanged re-import; matching by name, commune and position with a review of the uncertain
ones; tenancy."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from acvs.core.models import AuditEntry, Job
from acvs.interop.importing import legacy, matching, services
from acvs.interop.importing.base import FileRefused
from acvs.interop.models import ImportedRecord, ImportRun, LegacySource
from acvs.network.models import Commune, Role
from acvs.offer.models import Offer
from tests.conftest import make_user, membership
from tests.factories import OfferFactory

HEADER = "Réf;Libellé établissement;Catégorie;Adresse;CP;Ville;Lat;Lon;Tél;Mél;Site;Capacité"
LINES = [
    "H1;Hôtel des Pins;Hôtel;12 avenue des Pins;83240;Cavalaire-sur-Mer;43,1720;6,5290;04 94 00 00 01;"
    "pins@example.fr;www.hotel-des-pins.fr;40",
    "R1;La Table du Port;Restaurant traditionnel;Quai du port;83240;83036;43,1730;6,5330;;;;",
    "C1;Camping les Mimosas;Camping;;;Cavalaire-sur-Mer;;;;;;120",
]
COLUMNS = {"Réf": "source_id", "Libellé établissement": "name", "Catégorie": "type", "Adresse": "address",
           "CP": "postcode", "Ville": "commune", "Lat": "latitude", "Lon": "longitude", "Tél": "phone",
           "Mél": "email", "Site": "website", "Capacité": "capacity_persons"}  # fmt: skip
TYPES = {"Hôtel": "Hotel", "Restaurant traditionnel": "Restaurant", "Camping": "Camping"}


def csv(*lines: str, header: str = HEADER, encoding: str = "cp1252") -> bytes:
    return "\r\n".join([header, *lines]).encode(encoding)


@pytest.fixture
def m(manager):
    return membership(manager)


def upload(m, content: bytes, name: str = "base.csv", label: str = "Ancienne base") -> ImportRun:
    return services.legacy_upload(membership=m, name=name, content=content, label=label)


def checked(m, content: bytes, columns=None, types=None, **kwargs) -> ImportRun:
    run = upload(m, content, **kwargs)
    return services.legacy_map(membership=m, run=run, columns=columns or COLUMNS, type_labels=types or TYPES)


def committed(m, content: bytes, **kwargs) -> ImportRun:
    return services.import_commit(membership=m, run=checked(m, content, **kwargs), exclude_refused=False)


def send(client, label: str, name: str):
    return client.post(
        reverse("interop:legacy_start"), {"source_label": label, "file": SimpleUploadedFile(name, csv(*LINES))}
    )


def actions(run: ImportRun) -> list[str]:
    return [line["action"] for line in run.report]


def reasons(run: ImportRun) -> dict[int, str]:
    return {line["line"]: line["reason"] for line in run.report if line["reason"]}


def test_a_windows_1252_csv_is_mapped_with_its_communes_coordinates_and_contacts(m):
    run = checked(m, csv(*LINES))
    hotel, table, camping = run.records
    assert (hotel["name"], hotel["types"], hotel["insee"]) == ("Hôtel des Pins", ["Hotel"], "83036")
    assert (hotel["latitude"], hotel["longitude"]) == (43.172, 6.529)
    assert hotel["fields"]["website"] == "https://www.hotel-des-pins.fr"
    assert hotel["fields"]["capacity_persons"] == 40
    assert hotel["source_id"] == f"{run.legacy_source.pk}:H1"
    assert table["insee"] == "83036"
    assert table["types"] == ["Restaurant"]
    assert camping["latitude"] is None  # placed at the commune's centre
    assert actions(run) == ["created"] * 3
    assert run.status == ImportRun.Status.CHECKED
    assert not Offer.objects.exists()  # a dry run writes nothing


def test_commit_creates_then_an_unchanged_reimport_changes_nothing(m):
    run = committed(m, csv(*LINES))
    assert run.status == ImportRun.Status.COMMITTED
    assert actions(run) == ["created"] * 3
    camping = Offer.objects.get(name="Camping les Mimosas")
    commune = Commune.objects.get(insee="83036")
    assert (camping.latitude, camping.longitude) == (commune.latitude, commune.longitude)
    hotel = Offer.objects.get(name="Hôtel des Pins")
    assert hotel.owner_office == m.office
    assert hotel.phone.as_e164 == "+33494000001"
    versions, audits = {o.pk: o.version for o in Offer.objects.all()}, AuditEntry.objects.count()

    again = committed(m, csv(*LINES))
    assert actions(again) == ["unchanged"] * 3
    assert {o.pk: o.version for o in Offer.objects.all()} == versions
    assert AuditEntry.objects.count() == audits
    assert Offer.objects.count() == 3

    changed = committed(m, csv(LINES[0].replace(";40", ";45"), *LINES[1:]))
    assert actions(changed) == ["updated", "unchanged", "unchanged"]
    assert Offer.objects.get(name="Hôtel des Pins").capacity_persons == 45


def test_the_mapping_is_saved_per_source_and_offered_again(m, client, manager):
    checked(m, csv(*LINES))
    source = LegacySource.objects.get()
    assert source.columns == COLUMNS
    assert source.type_labels == TYPES
    assert legacy.guess_columns(HEADER.split(";"), source.columns) == COLUMNS
    # Without a saved mapping, the usual column names are recognised.
    assert legacy.guess_columns(["Nom", "Type", "Code postal", "Commune", "Adresse 1", "Adresse 2"], {}) == {
        "Nom": "name", "Type": "type", "Code postal": "postcode", "Commune": "commune", "Adresse 1": "address",
        "Adresse 2": "address"}  # fmt: skip

    client.force_login(manager)
    response = send(client, "Ancienne base", "b.csv")
    run = ImportRun.objects.filter(status=ImportRun.Status.MAPPING).get()
    assert response["Location"] == reverse("interop:legacy_mapping", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert '<option value="source_id" selected>' in page  # the saved mapping, not a guess
    assert '<option value="Hotel" selected>' in page  # the saved type label


def test_bad_lines_are_refused_with_their_reason_and_nothing_is_written(m):
    run = committed(
        m,
        csv(
            LINES[0],
            "X1;Villa;Gîte chic;;83240;Cavalaire-sur-Mer;;;;;;",
            "X2;Mauvaise position;Hôtel;;83240;Cavalaire-sur-Mer;43,1;abc;;;;",
            "X3;Nulle part;Hôtel;;99999;Atlantide;;;;;;",
            'X4;=HYPERLINK("http://evil");Hôtel;;83240;Cavalaire-sur-Mer;;;;;;',
            LINES[0],
            "X5;Hors du globe;Hôtel;;83240;Cavalaire-sur-Mer;95;6,5;;;;",
            "X6;Courriel faux;Hôtel;;83240;Cavalaire-sur-Mer;;;;pas-un-courriel;;",
            "X7;;Hôtel;;83240;Cavalaire-sur-Mer;;;;;;",
        ),
    )
    assert run.status == ImportRun.Status.REFUSED
    assert not Offer.objects.exists()
    why = reasons(run)  # by record; the file's line is in the report too ("ligne 3")
    assert run.report[1]["file"] == "ligne 3"
    assert "Gîte chic" in why[2]
    assert "latitude" in why[3]
    assert "abc" in why[3]
    assert "Atlantide" in why[4]
    assert "99999" in why[4]
    assert "formule" in why[5]
    assert "Libellé établissement" in why[5]
    assert "ligne 2" in why[6]
    assert "95" in why[7]
    assert "pas-un-courriel" in why[8]
    assert why[9]
    assert actions(run)[0] == "created"  # announced, not written


def test_refused_lines_can_be_left_out(m):
    run = checked(m, csv(LINES[0], "X1;Villa;Gîte chic;;83240;Cavalaire-sur-Mer;;;;;;"))
    run = services.import_commit(membership=m, run=run, exclude_refused=True)
    assert run.status == ImportRun.Status.COMMITTED
    assert list(Offer.objects.values_list("name", flat=True)) == ["Hôtel des Pins"]


def test_file_level_refusals(m):
    with pytest.raises(FileRefused, match="UTF-16"):
        upload(m, csv(*LINES, encoding="utf-16"))
    with pytest.raises(FileRefused, match="encodages"):
        upload(m, csv(LINES[0]).replace(b"\r\n", b"\n") + "\nA;Château;Hôtel;;;Cavalaire-sur-Mer".encode())
    with pytest.raises(FileRefused, match="XLSX"):
        upload(m, b"not a workbook", name="base.xlsx")
    with pytest.raises(FileRefused):
        upload(m, HEADER.encode())
    run = upload(m, csv(*LINES))
    columns = {k: v for k, v in COLUMNS.items() if v != "commune"}
    with pytest.raises(ValidationError, match="Commune"):
        services.legacy_map(membership=m, run=run, columns=columns, type_labels=TYPES)
    with pytest.raises(ValidationError, match="Nom"):
        services.legacy_map(membership=m, run=run, columns={**COLUMNS, "Réf": "name"}, type_labels=TYPES)
    with pytest.raises(ValidationError, match="NoSuchType"):
        services.legacy_map(membership=m, run=run, columns=COLUMNS, type_labels={"Hôtel": "NoSuchType"})


def test_an_xlsx_with_a_formula_cell_is_read_and_the_formula_refused(m):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append(["H1", "Hôtel des Pins", "Hôtel", "", "83240", "Cavalaire-sur-Mer", 43.172, 6.529, "", "", "", 40])
    sheet.append(["H2", "=1+2", "Hôtel", "", "83240", "Cavalaire-sur-Mer", None, None, "", "", "", None])
    out = io.BytesIO()
    book.save(out)
    run = checked(m, out.getvalue(), name="base.xlsx")
    assert actions(run) == ["created", "refused"]
    assert run.records[0]["latitude"] == 43.172


@pytest.fixture
def plage(cavalaire):
    commune = Commune.objects.get(insee="83036")
    return OfferFactory(name="Hôtel de la Plage", owner_office=cavalaire, commune=commune, latitude=43.1700,
                        longitude=6.5300, types=["Hotel"])  # fmt: skip


NO_ID = "Nom;Type;Commune;CP;Latitude;Longitude;Téléphone"
NO_ID_COLUMNS = {"Nom": "name", "Type": "type", "Commune": "commune", "CP": "postcode", "Latitude": "latitude",
                 "Longitude": "longitude", "Téléphone": "phone"}  # fmt: skip


def test_the_matching_rule():
    assert matching.similarity("Hôtel de la Plage", "HOTEL DE LA PLAGE") == 1
    assert matching.similarity("Hôtel de la Plage", "Camping du Lac") < matching.REVIEW_NAME
    assert 1100 < matching.metres(43.17, 6.53, 43.18, 6.53) < 1120


def test_a_certain_match_updates_the_existing_offer(m, plage):
    line = "Hotel de la plage;Hôtel;Cavalaire-sur-Mer;83240;43,1701;6,5301;04 94 11 22 33"
    run = services.import_commit(membership=m, run=checked(m, csv(line, header=NO_ID), NO_ID_COLUMNS),
                                 exclude_refused=False)  # fmt: skip
    assert actions(run) == ["updated"]
    assert run.report[0]["offer"] == plage.pk
    plage.refresh_from_db()
    assert plage.phone.as_e164 == "+33494112233"
    assert plage.name == "Hotel de la plage"
    assert Offer.objects.count() == 1
    assert ImportedRecord.objects.get().offer == plage
    again = services.import_commit(membership=m, run=checked(m, csv(line, header=NO_ID), NO_ID_COLUMNS),
                                   exclude_refused=False)  # fmt: skip
    assert actions(again) == ["unchanged"]


def test_an_uncertain_match_waits_for_the_office(m, plage):
    lines = ["Hôtel Plage;Hôtel;Cavalaire-sur-Mer;83240;43,1750;6,5300;", "Hôtel Plage;Hôtel;83036;;43,1751;6,5300;"]
    run = checked(m, csv(lines[0], header=NO_ID), NO_ID_COLUMNS)
    assert actions(run) == ["review"]
    (candidate,) = run.report[0]["candidates"]
    assert candidate["offer"] == plage.pk
    assert 500 < candidate["metres"] < 600
    with pytest.raises(ValidationError):
        services.import_commit(membership=m, run=run, exclude_refused=True)
    with pytest.raises(ValidationError):  # only an offer proposed
        services.review_decide(membership=m, run=run, choices={1: str(plage.pk + 1000)})

    run = services.review_decide(membership=m, run=run, choices={1: str(plage.pk)})
    assert actions(run) == ["updated"]
    run = services.import_commit(membership=m, run=run, exclude_refused=False)
    assert run.status == ImportRun.Status.COMMITTED
    plage.refresh_from_db()
    assert plage.name == "Hôtel Plage"
    assert Offer.objects.count() == 1


def test_a_new_offer_when_the_office_says_so_or_nothing_is_alike(m, plage):
    lines = ["Hôtel Plage;Hôtel;Cavalaire-sur-Mer;83240;43,1750;6,5300;",
             "Camping du Lac;Camping;Cavalaire-sur-Mer;83240;43,1700;6,5300;"]  # fmt: skip
    run = checked(m, csv(*lines, header=NO_ID), NO_ID_COLUMNS)
    assert actions(run) == ["review", "created"]
    run = services.review_decide(membership=m, run=run, choices={1: "new"})
    assert actions(run) == ["created", "created"]
    services.import_commit(membership=m, run=run, exclude_refused=False)
    assert Offer.objects.count() == 3
    plage.refresh_from_db()
    assert plage.name == "Hôtel de la Plage"


def test_the_review_screen(client, manager, m, plage):
    run = checked(m, csv("Hôtel Plage;Hôtel;Cavalaire-sur-Mer;83240;43,1750;6,5300;", header=NO_ID), NO_ID_COLUMNS)
    client.force_login(manager)
    page = client.get(reverse("interop:import_run", args=[run.pk])).content.decode()
    assert 'id="review-form"' in page
    assert "Hôtel de la Plage" in page
    assert 'id="commit-form"' not in page
    assert client.post(reverse("interop:import_commit", args=[run.pk])).status_code == 400
    response = client.post(reverse("interop:import_review", args=[run.pk]), {"match_1": str(plage.pk)})
    assert response.status_code == 302
    run.refresh_from_db()
    assert actions(run) == ["updated"]
    assert client.post(reverse("interop:import_commit", args=[run.pk])).status_code == 302
    plage.refresh_from_db()
    assert plage.name == "Hôtel Plage"


def test_the_journey_in_the_browser_pages(client, manager):
    client.force_login(manager)
    assert client.get(reverse("interop:legacy_start")).status_code == 200
    response = send(client, "Tourisoft 2009", "b.csv")
    mapping = response["Location"]
    header = HEADER.split(";")
    data = {f"col_{i}": COLUMNS[t] for i, t in enumerate(header)} | {"type_column": "Catégorie"}
    labels = list(TYPES)
    data |= {f"label_{i}": TYPES[label] for i, label in enumerate(labels)}
    response = client.post(mapping, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ImportRun.objects.get()
    assert actions(run) == ["created"] * 3
    assert client.post(reverse("interop:import_commit", args=[run.pk])).status_code == 302
    assert Offer.objects.count() == 3
    # A missing mandatory column is said on the mapping screen.
    response = send(client, "Tourisoft 2009", "c.csv")
    response = client.post(response["Location"], {**data, "col_5": ""})
    assert response.status_code == 400
    assert "Commune" in response.content.decode()


def test_changing_the_type_column_asks_for_its_labels(client, manager):
    client.force_login(manager)
    response = send(client, "X", "b.csv")
    header = HEADER.split(";")
    data = {f"col_{i}": COLUMNS[t] for i, t in enumerate(header)}  # the type column was not shown as such
    page = client.post(response["Location"], data)
    assert page.status_code == 200
    assert "Restaurant traditionnel" in page.content.decode()
    assert ImportRun.objects.get().status == ImportRun.Status.MAPPING


def test_another_office_cannot_see_map_review_or_commit_the_run(client, m, plage, croix_valmer, agent):
    run = checked(m, csv("Hôtel Plage;Hôtel;Cavalaire-sur-Mer;83240;43,1750;6,5300;", header=NO_ID), NO_ID_COLUMNS)
    client.force_login(make_user("othermanager", croix_valmer, Role.MANAGER))
    assert client.get(reverse("interop:import_run", args=[run.pk])).status_code == 404
    assert client.get(reverse("interop:legacy_mapping", args=[run.pk])).status_code == 404
    assert client.post(reverse("interop:import_review", args=[run.pk]), {"match_1": "new"}).status_code == 404
    assert client.post(reverse("interop:import_commit", args=[run.pk])).status_code == 404
    assert '<option value="Ancienne base">' not in client.get(reverse("interop:legacy_start")).content.decode()
    client.force_login(agent)
    assert client.get(reverse("interop:legacy_mapping", args=[run.pk])).status_code == 403
    other = membership(make_user("othermanager2", croix_valmer, Role.MANAGER))
    with pytest.raises(PermissionDenied):
        services.review_decide(membership=other, run=run, choices={1: "new"})
    with pytest.raises(PermissionDenied):
        services.legacy_map(membership=other, run=run, columns=NO_ID_COLUMNS, type_labels=TYPES)
    run.refresh_from_db()
    assert run.decisions == {}


def test_ownership_follows_the_communes_territory(m, croix_valmer):
    run = checked(m, csv("Z1;Hôtel du Cap;Hôtel;;83420;La Croix-Valmer;;;;;;", LINES[0]))
    assert actions(run) == ["refused", "created"]
    assert "Croix-Valmer" in run.report[0]["reason"] or run.report[0]["reason"]


def test_a_large_file_is_checked_and_committed_in_the_background(m, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "SYNC_RECORDS", 2)
    with django_capture_on_commit_callbacks(execute=True):
        run = checked(m, csv(*LINES))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED
    assert actions(run) == ["created"] * 3
    assert Job.objects.get(kind="interop.import_check").done == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.import_commit(membership=m, run=run, exclude_refused=False)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED
    assert Offer.objects.count() == 3


# A former base without an identifier column: a renamed offer is the same offer, never a second one.
RENAMED = "Hôtel des Pins;Hôtel;Cavalaire-sur-Mer;83240;43,1720;6,5290;04 94 00 00 01"


def committed_no_id(m, *lines: str) -> ImportRun:
    run = checked(m, csv(*lines, header=NO_ID), NO_ID_COLUMNS)
    return services.import_commit(membership=m, run=run, exclude_refused=False)


def test_a_renamed_offer_of_a_file_without_identifiers_updates_the_same_offer(m):
    first = committed_no_id(m, RENAMED)
    assert actions(first) == ["created"]
    (hotel,) = Offer.objects.all()

    renamed = committed_no_id(m, RENAMED.replace("Hôtel des Pins", "Hôtel Les Pins"))
    assert actions(renamed) == ["updated"]
    assert renamed.report[0]["offer"] == hotel.pk
    assert Offer.objects.count() == 1
    hotel.refresh_from_db()
    assert hotel.name == "Hôtel Les Pins"
    # The provenance follows the new name: the next import of the same file finds it by its identifier.
    (record,) = ImportedRecord.objects.all()
    assert record.offer == hotel
    assert record.source_id.endswith("~hotel les pins|83036")
    versions = hotel.version
    again = committed_no_id(m, RENAMED.replace("Hôtel des Pins", "Hôtel Les Pins"))
    assert actions(again) == ["unchanged"]
    hotel.refresh_from_db()
    assert hotel.version == versions


def test_a_new_name_at_the_same_place_with_the_same_phone_is_the_same_offer(m):
    committed_no_id(m, RENAMED)
    (hotel,) = Offer.objects.all()
    renamed = committed_no_id(m, RENAMED.replace("Hôtel des Pins", "Azur Résidence & Spa"))
    assert actions(renamed) == ["updated"]
    assert Offer.objects.count() == 1
    hotel.refresh_from_db()
    assert hotel.name == "Azur Résidence & Spa"


def test_a_new_name_at_the_same_place_without_other_clue_goes_to_review(m):
    committed_no_id(m, RENAMED)
    (hotel,) = Offer.objects.all()
    line = RENAMED.replace("Hôtel des Pins", "Azur Résidence & Spa").replace("04 94 00 00 01", "")
    run = checked(m, csv(line, header=NO_ID), NO_ID_COLUMNS)
    assert actions(run) == ["review"]
    assert [c["offer"] for c in run.report[0]["candidates"]] == [hotel.pk]
    run = services.review_decide(membership=m, run=run, choices={1: str(hotel.pk)})
    assert actions(run) == ["updated"]
    services.import_commit(membership=m, run=run, exclude_refused=False)
    assert Offer.objects.count() == 1
    hotel.refresh_from_db()
    assert hotel.name == "Azur Résidence & Spa"
    assert ImportedRecord.objects.get().source_id.endswith("~azur residence spa|83036")


def test_an_offer_still_in_the_file_under_its_name_is_not_taken_by_another_line(m):
    committed_no_id(m, RENAMED)
    (hotel,) = Offer.objects.all()
    other = RENAMED.replace("Hôtel des Pins", "Hôtel Les Pins").replace("04 94 00 00 01", "04 94 00 00 02")
    run = checked(m, csv(RENAMED, other, header=NO_ID), NO_ID_COLUMNS)
    assert actions(run) == ["unchanged", "created"]  # both lines are in the file: two offers
    assert run.report[0]["offer"] == hotel.pk


def test_another_former_base_matches_the_offer_as_any_offer_of_the_base(m):
    committed_no_id(m, RENAMED)
    (hotel,) = Offer.objects.all()
    same = checked(m, csv(RENAMED, header=NO_ID), NO_ID_COLUMNS, label="Autre base")
    assert actions(same) == ["unchanged"]  # the same values
    assert same.report[0]["offer"] == hotel.pk
    # A new name is not enough there: the other base never had the old one, so the office decides.
    run = checked(m, csv(RENAMED.replace("Hôtel des Pins", "Hôtel Les Pins"), header=NO_ID), NO_ID_COLUMNS,
                  label="Autre base")  # fmt: skip
    assert actions(run) == ["review"]
    assert [c["offer"] for c in run.report[0]["candidates"]] == [hotel.pk]
    services.import_commit(membership=m, run=services.review_decide(membership=m, run=run, choices={1: str(hotel.pk)}),
                           exclude_refused=False)  # fmt: skip
    assert Offer.objects.count() == 1
    assert ImportedRecord.objects.filter(offer=hotel).count() == 2  # one record per former base
