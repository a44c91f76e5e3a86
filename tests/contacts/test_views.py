import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from acvs.contacts import services
from acvs.contacts.models import ConsentEvent, Contact, Segment
from acvs.contacts.services import ContactData
from acvs.core.models import AuditEntry
from tests.conftest import membership


@pytest.fixture
def people(agent, themes):
    m = membership(agent)
    anna = services.contact_create(
        membership=m,
        data=ContactData(fields={"name": "Anna Schmidt", "country": "DE", "language": "de"},
                         emails=["anna@example.de"], phones=["+49 30 1234567"], interests=[themes["hiking"]],
                         tags=["fidèle"]),
    )  # fmt: skip
    paul = services.contact_create(
        membership=m,
        data=ContactData(fields={"name": "Paul Martin", "country": "FR", "language": "fr"}, phones=["06 12 34 56 78"]),
    )
    services.consent_record(membership=m, contact=anna, purpose="newsletter", given=True, text="Oui", face_to_face=True)
    services.consent_record(membership=m, contact=paul, purpose="newsletter", given=True, text="Oui", face_to_face=True)
    services.consent_record(membership=m, contact=paul, purpose="newsletter", given=False, text="Non")
    return anna, paul


def names(response) -> list[str]:
    return [c.name for c in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "schmidt"}, ["Anna Schmidt"]),
        ({"q": "ANNA@example"}, ["Anna Schmidt"]),
        ({"q": "06 12 34"}, ["Paul Martin"]),
        ({"language": "fr"}, ["Paul Martin"]),
        ({"country": "DE"}, ["Anna Schmidt"]),
        ({"consent": "newsletter"}, ["Anna Schmidt"]),  # Paul withdrew: his latest event counts
        ({}, ["Anna Schmidt", "Paul Martin"]),
    ],
)
def test_search_and_filters(client, agent, people, query, expected):
    client.force_login(agent)
    response = client.get(reverse("contacts:list"), query)
    assert response.status_code == 200
    assert names(response) == expected


def test_filter_by_interest_and_tag(client, agent, people, themes):
    client.force_login(agent)
    tag = people[0].tags.get()
    assert names(client.get(reverse("contacts:list"), {"interest": themes["hiking"].pk})) == ["Anna Schmidt"]
    assert names(client.get(reverse("contacts:list"), {"tag": tag.pk})) == ["Anna Schmidt"]


def test_a_bad_filter_is_refused_with_its_reason(client, agent, people):
    client.force_login(agent)
    response = client.get(reverse("contacts:list"), {"since": "2026-13-45"})
    assert response.status_code == 400
    assert "date" in response.content.decode().lower()


def test_a_segment_is_saved_listed_and_exported(client, agent, people):
    client.force_login(agent)
    response = client.post(reverse("contacts:segment_save"), {"name": "Allemands", "country": "DE"})
    segment = Segment.objects.get()
    assert response.url.endswith(f"?segment={segment.pk}")
    assert segment.criteria == {"country": "DE"}
    page = client.get(response.url)
    assert names(page) == ["Anna Schmidt"]
    assert "Allemands" in page.content.decode()
    export = client.get(reverse("contacts:export", args=["csv"]), {"segment": segment.pk})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[1] for r in rows[1:]] == ["Anna Schmidt"]
    assert rows[1][2] == "anna@example.de"
    xlsx = client.get(reverse("contacts:export", args=["xlsx"]), {"country": "FR"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Paul Martin"]
    client.post(reverse("contacts:segment_delete", args=[segment.pk]))
    assert not Segment.objects.exists()


def test_a_segment_without_a_name_is_refused_and_nothing_saved(client, agent):
    client.force_login(agent)
    response = client.post(reverse("contacts:segment_save"), {"name": "", "country": "DE"}, follow=True)
    assert not Segment.objects.exists()
    assert "nothing was saved" in response.content.decode() or "rien" in response.content.decode()


def test_an_export_never_writes_a_formula(client, agent):
    services.contact_create(membership=membership(agent), data=ContactData(fields={"name": "=cmd|' /C calc'!A0"}))
    client.force_login(agent)
    export = client.get(reverse("contacts:export", args=["csv"]))
    assert "'=cmd" in export.content.decode("utf-8-sig")


def test_create_with_validation_and_edit(client, agent, themes):
    client.force_login(agent)
    url = reverse("contacts:create")
    bad = client.post(url, {"kind": "person", "name": "Jean", "emails": "pas-un-courriel", "language": "fr"})
    assert bad.status_code == 400
    assert "pas-un-courriel" in bad.content.decode()
    assert not Contact.objects.exists()
    ok = client.post(url, {"kind": "person", "name": "Jean", "emails": "Jean@Example.fr", "phones": "0612345678",
                           "language": "fr", "interests": [themes["heritage"].pk], "tags": "vip, famille"})  # fmt: skip
    contact = Contact.objects.get()
    assert ok.url == reverse("contacts:detail", args=[contact.pk])
    assert [e.email for e in contact.emails.all()] == ["jean@example.fr"]
    assert sorted(t.name for t in contact.tags.all()) == ["famille", "vip"]
    edit = reverse("contacts:edit", args=[contact.pk])
    assert client.get(edit).status_code == 200
    client.post(
        edit,
        {"kind": "group", "name": "Club de randonnée", "language": "fr", "emails": "club@example.fr", "version": "1"},
    )
    contact.refresh_from_db()
    assert contact.kind == "group"
    assert contact.name == "Club de randonnée"
    assert [e.email for e in contact.emails.all()] == ["club@example.fr"]
    assert AuditEntry.objects.filter(object_id=contact.pk, action="update").exists()


def test_an_address_of_another_contact_is_refused_by_name(client, agent, people):
    client.force_login(agent)
    response = client.post(
        reverse("contacts:create"), {"kind": "person", "name": "Autre", "emails": "anna@example.de", "language": "fr"}
    )
    assert response.status_code == 400
    assert "Anna Schmidt" in response.content.decode()


def test_give_and_withdraw_from_the_detail_page(client, agent, people):
    anna, _paul = people
    client.force_login(agent)
    page = client.get(reverse("contacts:detail", args=[anna.pk]))
    assert page.status_code == 200
    url = reverse("contacts:consent", args=[anna.pk])
    client.post(url, {"purpose": "newsletter", "given": "0", "text": "Je ne veux plus la lettre."})
    client.post(url, {"purpose": "network", "given": "1", "text": "J’accepte."})
    latest = ConsentEvent.objects.filter(contact=anna, purpose="newsletter").first()
    assert (latest.given, latest.text, latest.by, latest.method) == (
        False,
        "Je ne veux plus la lettre.",
        agent,
        "agent",
    )
    assert ConsentEvent.objects.filter(contact=anna).count() == 3
    refused = client.post(url, {"purpose": "network", "given": "1", "text": ""})
    assert refused.status_code == 400
    assert ConsentEvent.objects.filter(contact=anna).count() == 3


def test_the_timeline_shows_requests_and_booklets_newest_first(client, agent):
    from acvs.booklet import services as booklet_services
    from acvs.desk import services as desk_services
    from acvs.desk.services import RequestData

    m = membership(agent)
    fields = {"origin": "abroad", "country": "DE", "adults": 2, "language": "de", "outcome": "fully",
              "email": "anna@example.de"}  # fmt: skip
    r = desk_services.request_create(membership=m, data=RequestData(fields=fields))
    booklet = booklet_services.booklet_create(membership=m, visitor_request=r)
    contact = r.contact_link.contact
    client.force_login(agent)
    timeline = client.get(reverse("contacts:detail", args=[contact.pk])).context["timeline"]
    assert [e.url for e in timeline] == [
        reverse("booklet:edit", args=[booklet.pk]),
        reverse("desk:detail", args=[r.pk]),
    ]


def test_merge_screen_then_confirmed_merge(client, agent, people):
    anna, paul = people
    client.force_login(agent)
    url = reverse("contacts:merge", args=[anna.pk])
    screen = client.get(url, {"with": paul.pk})
    assert screen.status_code == 200
    assert "Paul Martin" in screen.content.decode()
    unconfirmed = client.post(url, {"with": paul.pk, "keep_name": "merged"})
    assert unconfirmed.status_code == 400
    assert Contact.objects.count() == 2
    client.post(url, {"with": paul.pk, "keep_name": "merged", "confirm": "on"})
    anna.refresh_from_db()
    assert anna.name == "Paul Martin"
    assert Contact.objects.count() == 1
    assert anna.phones.count() == 2
    assert ConsentEvent.objects.filter(contact=anna).count() == 3


def test_the_request_page_links_to_its_contact(client, agent):
    from acvs.desk import services as desk_services
    from acvs.desk.services import RequestData

    fields = {"origin": "abroad", "country": "DE", "adults": 2, "language": "de", "outcome": "fully",
              "name": "Anna Schmidt", "email": "anna@example.de"}  # fmt: skip
    r = desk_services.request_create(membership=membership(agent), data=RequestData(fields=fields))
    client.force_login(agent)
    page = client.get(reverse("desk:detail", args=[r.pk])).content.decode()
    assert reverse("contacts:detail", args=[r.contact_link.contact.pk]) in page


def test_the_commune_is_found_by_name_or_postcode_and_an_unknown_one_refused(client, agent):
    client.force_login(agent)
    url = reverse("contacts:create")
    base = {"kind": "person", "name": "Jean", "language": "fr"}
    refused = client.post(url, base | {"commune": "Atlantide"})
    assert refused.status_code == 400
    assert "Atlantide" in refused.content.decode()
    client.post(url, base | {"commune": "83240"})
    contact = Contact.objects.get()
    assert contact.commune.name == "Cavalaire-sur-Mer"
    assert contact.department.code == "83"
    assert contact.country == "FR"
    edit = client.get(reverse("contacts:edit", args=[contact.pk])).content.decode()
    assert 'value="Cavalaire-sur-Mer"' in edit


def test_the_list_reads_countries_and_languages_in_french(client, agent, people):
    client.force_login(agent)
    row = client.get(reverse("contacts:list"), {"q": "schmidt"}).content.decode()
    assert "Allemagne" in row
    assert "allemand" in row.lower()
