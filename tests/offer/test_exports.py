"""Spreadsheet exports of a search and of one offer: the search's criteria, the columns, the cap, read back."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from acvs.offer.models import Label, Status
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(cavalaire, croix_valmer):
    label = Label.objects.order_by("pk").first()
    hotel = OfferFactory(
        name="Hôtel La Pergola",
        owner_office=cavalaire,
        address="12 avenue des Alliés",
        postcode="83240",
        phone="+33494640000",
        email="contact@pergola.example",
        website="https://pergola.example/",
        capacity_persons=40,
        capacity_units=18,
        capacity_unit="rooms",
    )
    hotel.labels.add(label)
    camping = OfferFactory(
        name="Camping Bonporteau", owner_office=cavalaire, types=["Campsite"], short_description_fr="Sous les pins."
    )
    draft = OfferFactory(name="Hôtel brouillon", owner_office=cavalaire, status=Status.DRAFT)
    other = OfferFactory(name="=HYPERLINK(1)", owner_office=croix_valmer, short_description_fr="Au port.")
    return hotel, camping, draft, other


def test_csv_has_the_search_results_and_their_columns(client, agent, offers):
    client.force_login(agent)
    response = client.get(reverse("offer:export", args=["csv"]), {"q": "hôtel", "order": "name"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="offers-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Nom", "Type", "Commune"]
    assert "Office propriétaire" in header
    names = [row[0] for row in body]
    assert "Hôtel La Pergola" in names
    assert "Camping Bonporteau" not in names  # the search's text criterion applies
    assert "Hôtel brouillon" not in names  # published only, as on the page
    pergola = dict(zip(header, body[names.index("Hôtel La Pergola")], strict=True))
    assert pergola["Commune"] == "Cavalaire-sur-Mer"
    assert pergola["Téléphone"] == "04 94 64 00 00"
    assert pergola["Labels et classements"] == label_name(offers[0])
    assert pergola["Capacité (personnes)"] == "40"
    assert pergola["Office propriétaire"] == offers[0].owner_office.name


def test_xlsx_is_read_back_and_neutralises_formulas(client, agent, offers):
    client.force_login(agent)
    response = client.get(reverse("offer:export", args=["xlsx"]), {"all_statuses": "on", "order": "name"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    names = [row[0] for row in values[1:]]
    assert {"Hôtel La Pergola", "Camping Bonporteau", "Hôtel brouillon"} <= set(names)
    assert "'=HYPERLINK(1)" in names


def test_above_the_cap_nothing_is_exported_and_the_user_is_told(client, agent, offers, settings):
    settings.ACVS_EXPORT_MAX_OFFERS = 2
    client.force_login(agent)
    response = client.get(reverse("offer:export", args=["csv"]), {"q": ""}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("offer:search"))
    assert "plus de 2 offres" in response.content.decode()


def test_invalid_criteria_export_nothing(client, agent, offers):
    client.force_login(agent)
    response = client.get(reverse("offer:export", args=["csv"]), {"radius": "10"}, follow=True)
    assert "corrigez les critères" in response.content.decode()


def test_unknown_format_is_404(client, agent, offers):
    client.force_login(agent)
    assert client.get(reverse("offer:export", args=["pdf"])).status_code == 404


def test_one_offer_and_the_menus(client, agent, offers):
    client.force_login(agent)
    hotel = offers[0]
    response = client.get(reverse("offer:export_one", args=[hotel.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["Hôtel La Pergola"]
    page = client.get(reverse("offer:detail", args=[hotel.pk])).content.decode()
    assert reverse("offer:export_one", args=[hotel.pk, "xlsx"]) in page
    search = client.get(reverse("offer:search"), {"q": "hôtel"}).content.decode()
    assert reverse("offer:export", args=["xlsx"]) + "?q=h%C3%B4tel" in search


def test_anonymous_is_sent_to_log_in(client, offers):
    response = client.get(reverse("offer:export", args=["csv"]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def label_name(offer) -> str:
    return offer.labels.get().name
