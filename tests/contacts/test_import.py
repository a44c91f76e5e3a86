"""Importing contacts from real files: reading (encodings, separators, XLSX), mapping, the dry run line by line, the
all-or-nothing commit, formulas kept as text and neutralised on export, tenancy."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from acvs.contacts import importing, services
from acvs.contacts.import_files import FileRefused, read
from acvs.contacts.models import ConsentEvent, Contact, ContactEmail, ContactImport, ContactPhone, ImportMapping
from acvs.contacts.services import ContactData
from acvs.core import exports
from acvs.core.models import AuditEntry, Job
from tests.conftest import membership

FILES = Path(__file__).parent.parent / "data" / "contacts_import"


def upload(client, name, content=None, source="Salon"):
    content = (FILES / name).read_bytes() if content is None else content
    return client.post(reverse("contacts:import_start"), {"file": SimpleUploadedFile(name, content), "source": source})


def prepare(agent, name, source="Salon") -> ContactImport:
    content = (FILES / name).read_bytes()
    return importing.import_upload(membership=membership(agent), name=name, content=content, source=source)


def check(agent, run, columns=None, origin="", consent_text="") -> ContactImport:
    return importing.import_map(membership=membership(agent), run=run, columns=columns or run.columns, origin=origin,
                                consent_text=consent_text)  # fmt: skip


def actions(run) -> list[tuple]:
    return [(line[0], line[1], line[2], line[3]) for line in run.report]


def snapshot() -> dict:
    return {m.__name__: m.objects.count() for m in (Contact, ContactEmail, ContactPhone, ConsentEvent)}


# Reading ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding"), [("utf8.csv", "utf-8"), ("utf8_bom.csv", "utf-8-sig"), ("cp1252.csv", "cp1252")]
)
def test_csv_files_are_read_in_their_encoding_and_separator(name, encoding):
    table = read(name, (FILES / name).read_bytes())
    assert table.encoding == encoding
    assert table.header[:3] == ["Nom", "Courriel", "Téléphone"]
    assert table.rows[0][0] == "Anne Lefèvre"
    assert table.rows[1][0] == "Jürgen Müller"
    assert len(table.rows) == 4


def test_a_file_mixing_encodings_is_refused_naming_its_lines():
    with pytest.raises(FileRefused) as refused:
        read("mixed.csv", (FILES / "mixed.csv").read_bytes())
    assert str(refused.value) == (
        "Le fichier mélange des encodages : les lignes 1, 2, 3, 5 sont en UTF-8, les lignes 6 non. "
        "Enregistrez-le à nouveau en UTF-8."
    )


def test_utf16_and_binary_files_are_refused():
    with pytest.raises(FileRefused, match="UTF-16"):
        read("x.csv", "Nom;Email\n".encode("utf-16"))
    with pytest.raises(FileRefused, match="Ligne 2"):
        read("x.csv", b"Nom;Email\nA\x00B;a@example.fr\n")
    with pytest.raises(FileRefused, match="XLSX"):
        read("x.xlsx", b"Nom;Email\n")
    with pytest.raises(FileRefused, match="XLSX"):
        read("x.xlsx", b"PK\x03\x04 not a zip")


def test_an_xlsx_file_is_read_with_formulas_as_their_text():
    table = read("contacts.xlsx", (FILES / "contacts.xlsx").read_bytes())
    assert table.encoding == "xlsx"
    assert table.header == ["Nom", "E-mail", "Tel", "Commune"]
    assert table.rows[1] == ["Zoé Martin", "zoe@example.fr", "612345679", "Gréoux-les-Bains"]
    assert table.rows[2] == ["=cmd|' /C calc'!A0", "evil@example.fr", "", ""]


def test_a_file_over_the_size_limit_is_refused_clearly(client, agent, tmp_path):
    """A real 50 MB file, built on the fly, posted as a browser would."""
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.write(b"Nom;Email\n")
        line = b"Anne Lefevre;anne.lefevre@example.fr\n"
        f.write(line * (50_000_001 // len(line) + 1))
    client.force_login(agent)
    with big.open("rb") as f:
        response = client.post(reverse("contacts:import_start"), {"file": f, "source": "Gros"})
    assert response.status_code == 400
    assert "Le fichier pèse 50,0 Mo, au-delà de la limite de 50 Mo" in response.content.decode()
    assert ContactImport.objects.count() == 0


# Mapping --------------------------------------------------------------------------------------------------------


def test_columns_are_guessed_then_remembered_per_source(agent):
    run = prepare(agent, "utf8.csv")
    assert run.columns == {"0": "name", "1": "email", "2": "phone", "3": "postcode", "4": "commune", "5": "country",
                           "6": "language", "7": "tags", "8": "interests", "9": "consent_newsletter"}  # fmt: skip
    columns = {**run.columns, "7": "interests", "8": ""}
    columns.pop("8")
    check(agent, run, columns, origin="Salon", consent_text="Oui")
    assert ImportMapping.objects.get(source="Salon").columns["Étiquettes"] == "interests"
    again = prepare(agent, "cp1252.csv")
    assert again.columns["7"] == "interests"
    assert "8" not in again.columns
    assert prepare(agent, "cp1252.csv", source="Autre").columns["7"] == "tags"


def test_a_file_without_an_email_column_gets_a_clear_message(client, agent):
    client.force_login(agent)
    response = upload(client, "no_email.csv")
    run = ContactImport.objects.get()
    assert response.url == reverse("contacts:import_mapping", args=[run.pk])
    page = client.post(response.url, {"col_0": "name", "col_1": "commune", "col_2": "country"})
    assert page.status_code == 400
    assert "Aucune colonne n’est associée au courriel ni au téléphone" in page.content.decode()
    assert ContactImport.objects.get().report == []


def test_consent_columns_need_their_stated_origin(agent):
    run = prepare(agent, "utf8.csv")
    with pytest.raises(ValidationError) as error:
        check(agent, run)
    assert set(error.value.message_dict) == {"origin", "consent_text"}


# The dry run and the commit ---------------------------------------------------------------------------------------


def test_dry_run_then_commit_create_merge_and_record_consents(agent, themes):
    m = membership(agent)
    known = services.contact_create(
        membership=m, data=ContactData(fields={"name": "", "country": "DE"}, emails=["juergen@example.de"])
    )
    run = prepare(agent, "utf8.csv")
    before = snapshot()
    run = check(agent, run, origin="Salon du randonneur, Lyon 2026", consent_text="J’accepte la lettre.")
    assert run.status == "checked"
    assert actions(run) == [(2, "create", None, None), (3, "merge", known.pk, None), (4, "merge", None, 2),
                            (5, "create", None, None)]  # fmt: skip
    assert snapshot() == before  # the dry run writes nothing
    dry = actions(run)
    run = importing.import_commit(membership=m, run=run)
    assert run.status == "committed"
    anne = Contact.objects.get(name="Anne Lefèvre")
    # What the dry run announced is what was written.
    assert [(n, a) for n, a, *_ in actions(run)] == [(n, a) for n, a, *_ in dry]
    assert [line[2] for line in run.report] == [anne.pk, known.pk, anne.pk, Contact.objects.get(name="Chloé Dubois").pk]
    assert anne.source == "import"
    assert anne.commune_id == "83036"
    assert anne.postcode == "83240"
    assert anne.department.code == "83"
    assert anne.country == "FR"
    assert anne.language == "fr"
    assert [e.email for e in anne.emails.all()] == ["anne.lefevre@example.fr"]
    assert [p.phone.as_e164 for p in anne.phones.all()] == ["+33611223344"]
    assert sorted(t.name for t in anne.tags.all()) == ["fidèle", "salon 2026"]
    assert list(anne.interests.all()) == [themes["hiking"]]
    known.refresh_from_db()
    assert known.name == "Jürgen Müller"
    assert known.country == "DE"
    assert sorted(p.phone.as_e164 for p in known.phones.all()) == ["+49309876543"]
    consents = ConsentEvent.objects.order_by("contact_id").values_list(
        "contact_id", "purpose", "given", "method", "origin", "pending"
    )
    # A consent the file states awaits the person's confirmation (double opt-in); a refusal counts at once.
    salon = "Salon du randonneur, Lyon 2026"
    assert list(consents) == [(known.pk, "newsletter", False, "import", salon, False),
                              (anne.pk, "newsletter", True, "import", salon, True)]  # fmt: skip
    history = AuditEntry.objects.filter(object_id=known.pk, content_type__model="contact", action="update").get()
    assert history.changes[0]["new"] == "utf8.csv, lignes 3"


def test_duplicate_rows_are_flagged_and_same_people_merged(agent):
    run = check(agent, prepare(agent, "duplicates.csv"))
    assert actions(run) == [(2, "create", None, None), (3, "duplicate", None, 2), (4, "merge", None, 2),
                            (5, "create", None, None)]  # fmt: skip
    run = importing.import_commit(membership=membership(agent), run=run)
    assert Contact.objects.count() == 2
    paul = Contact.objects.get(name="Paul Martin")
    assert paul.emails.count() == 1
    assert paul.phones.count() == 1


def test_a_bad_line_imports_nothing_until_it_is_left_out(client, agent):
    client.force_login(agent)
    upload(client, "bad_line.csv")
    run = ContactImport.objects.get()
    client.post(
        reverse("contacts:import_mapping", args=[run.pk]), {"col_0": "name", "col_1": "email", "col_2": "country"}
    )
    run.refresh_from_db()
    assert [(line[0], line[1], line[4]) for line in run.report] == [
        (2, "create", ""),
        (3, "refuse", "Adresse de courriel non valide : pas-un-email."),
        (4, "refuse", "Pays inconnu : Atlantide."),
        (5, "create", ""),
    ]
    page = client.get(reverse("contacts:import_run", args=[run.pk]))
    assert "Adresse de courriel non valide : pas-un-email." in page.content.decode()
    refused = client.post(reverse("contacts:import_commit", args=[run.pk]))
    assert refused.status_code == 400
    assert "Certaines lignes sont refusées" in refused.content.decode()
    assert Contact.objects.count() == 0
    # Leave line 3 out: line 4 still refuses the whole file.
    client.post(reverse("contacts:import_exclude", args=[run.pk]), {"shown": "2,3,4,5", "exclude": ["3"]})
    run.refresh_from_db()
    assert run.excluded == [3]
    assert run.counts()["refuse"] == 1
    assert client.post(reverse("contacts:import_commit", args=[run.pk])).status_code == 400
    assert Contact.objects.count() == 0
    client.post(reverse("contacts:import_exclude", args=[run.pk]), {"refused": "on"})
    run.refresh_from_db()
    assert run.excluded == [3, 4]
    response = client.post(reverse("contacts:import_commit", args=[run.pk]))
    assert response.url == reverse("contacts:import_run", args=[run.pk])
    assert sorted(Contact.objects.values_list("name", flat=True)) == ["Anne Lefèvre", "Dora"]
    assert client.post(reverse("contacts:import_commit", args=[run.pk])).status_code == 400  # only once


def test_a_line_refused_at_commit_time_writes_nothing(agent):
    """Between the dry run and the commit, another contact took an address two lines join: nothing is written."""
    m = membership(agent)
    run = check(agent, prepare(agent, "duplicates.csv"))
    services.contact_create(membership=m, data=ContactData(fields={"name": "Autre"}, phones=["06 12 34 56 78"]))
    services.contact_create(membership=m, data=ContactData(fields={"name": "Encore"}, emails=["paul@example.fr"]))
    before = snapshot()
    run = importing.import_commit(membership=m, run=run)
    assert run.status == "refused"
    assert snapshot() == before
    assert "appartient à la fiche" in run.report[0][4]


def test_a_big_file_is_checked_and_committed_by_a_job(agent, settings, django_capture_on_commit_callbacks):
    settings.ACVS_CONTACT_IMPORT_INLINE_LINES = 2
    run = prepare(agent, "utf8.csv")
    with django_capture_on_commit_callbacks(execute=True):
        run = check(agent, run, origin="Salon", consent_text="Oui")
    assert run.status == "checking"
    run.refresh_from_db()
    assert run.status == "checked"
    assert run.job.status == Job.Status.DONE
    assert run.counts()["create"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        importing.import_commit(membership=membership(agent), run=run)
    run.refresh_from_db()
    assert run.status == "committed"
    assert run.job.status == Job.Status.DONE
    assert Contact.objects.count() == 3


# Formulas ---------------------------------------------------------------------------------------------------------


def test_formula_payloads_are_stored_as_text_and_neutralised_on_export(client, agent):
    run = check(agent, prepare(agent, "formula.csv"), {"0": "name", "1": "email", "2": "address"})
    importing.import_commit(membership=membership(agent), run=run)
    names = sorted(Contact.objects.values_list("name", flat=True))
    assert names == ["=1+2", "=cmd|' /C calc'!A0", "@SUM(1+1)"]
    assert sorted(Contact.objects.values_list("address", flat=True)) == ["+33 rue", "-2+3", '=HYPERLINK("http://evil")']
    client.force_login(agent)
    content = client.get(reverse("contacts:export", args=["csv"])).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(content), delimiter=";") for cell in row[1:] if cell]
    assert not [c for c in cells if c[0] in "=+-@\t\r"]
    assert "'=cmd|' /C calc'!A0" in cells
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("contacts:export", args=["xlsx"])).content))
    values = [c.value for row in book.active.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert "'=cmd|' /C calc'!A0" in values
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


@pytest.mark.parametrize("payload", ["=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"])
def test_exports_never_write_an_executable_formula(payload):
    assert exports.as_csv(["a"], [[payload]]).decode("utf-8-sig").splitlines()[1].strip('"').startswith("'")
    book = openpyxl.load_workbook(io.BytesIO(exports.as_xlsx(["a"], [[payload]], "t")))
    cell = book.active["A2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("'")


def test_an_xlsx_file_is_imported(agent):
    run = check(agent, prepare(agent, "contacts.xlsx"))
    assert run.columns == {"0": "name", "1": "email", "2": "phone", "3": "commune"}
    assert [line[1] for line in run.report] == ["create", "create", "create"]
    importing.import_commit(membership=membership(agent), run=run)
    zoe = Contact.objects.get(name="Zoé Martin")
    assert zoe.commune_id == "04094"
    assert zoe.phones.get().phone.as_e164 == "+33612345679"
    assert Contact.objects.filter(name="=cmd|' /C calc'!A0").exists()


# Tenancy ----------------------------------------------------------------------------------------------------------


def test_a_merge_never_touches_another_offices_contact(agent, other_agent):
    theirs = services.contact_create(
        membership=membership(other_agent), data=ContactData(fields={"name": ""}, emails=["paul@example.fr"])
    )
    run = importing.import_commit(membership=membership(agent), run=check(agent, prepare(agent, "duplicates.csv")))
    assert [line[1] for line in run.report] == ["create", "duplicate", "merge", "create"]
    theirs.refresh_from_db()
    assert theirs.name == ""
    assert theirs.phones.count() == 0
    assert ContactEmail.objects.filter(email="paul@example.fr").count() == 2
    mine = Contact.objects.get(office=agent.memberships.get().office, name="Paul Martin")
    assert mine.pk != theirs.pk


def test_another_offices_import_is_not_found(client, agent, other_agent):
    run = check(agent, prepare(agent, "duplicates.csv"))
    client.force_login(other_agent)
    for name in ("import_run", "import_mapping"):
        assert client.get(reverse(f"contacts:{name}", args=[run.pk])).status_code == 404
    for name in ("import_commit", "import_exclude"):
        assert client.post(reverse(f"contacts:{name}", args=[run.pk]), {"refused": "on"}).status_code == 404
    run.refresh_from_db()
    assert run.status == "checked"
    assert run.excluded == []
    assert Contact.objects.count() == 0


# Demo ---------------------------------------------------------------------------------------------------------------


def test_the_demo_has_an_import_done_and_one_waiting_for_a_bad_line(db):
    import random

    from acvs.demo import contact_imports, network

    offices = network.create_offices()
    contact_imports.fill(offices, network.create_users(random.Random(1), offices))
    done, waiting = ContactImport.objects.order_by("pk")
    assert done.status == "committed"
    assert done.counts() == {"create": 4, "merge": 1, "duplicate": 0, "refuse": 0, "exclude": 0}
    assert ConsentEvent.objects.filter(method="import", given=True).count() == 3
    assert waiting.status == "checked"
    assert [line[1] for line in waiting.report] == ["create", "create", "refuse"]
