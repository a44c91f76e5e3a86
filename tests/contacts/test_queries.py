"""The prospect file's pages make a fixed number of queries, whatever the number of contacts, events, requests or
booklets they show (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from acvs.booklet import services as booklet_services
from acvs.contacts import services
from acvs.contacts.models import Contact
from acvs.contacts.services import ContactData
from acvs.desk import services as desk_services
from acvs.desk.services import RequestData
from acvs.network.models import Commune
from tests.conftest import membership


def add_people(agent, themes, count: int, start: int = 0) -> None:
    m = membership(agent)
    commune = Commune.objects.get(insee="83036")
    for i in range(start, start + count):
        contact = services.contact_create(
            membership=m,
            data=ContactData(fields={"name": f"Anna Schmidt {i:03}", "commune": commune, "language": "de"},
                             emails=[f"anna{i}@example.de"], phones=[f"06 12 34 {i // 100:02} {i % 100:02}"],
                             interests=[themes["hiking"]], tags=["fidèle"]),
        )  # fmt: skip
        services.consent_record(membership=m, contact=contact, purpose="newsletter", given=True, text="Oui")


def queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"q": "schmidt"}, {"q": "06 12 34"}, {"consent": "newsletter"}])
def test_the_list_makes_as_many_queries_for_25_rows_as_for_2(client, agent, themes, params):
    client.force_login(agent)
    url = reverse("contacts:list")
    add_people(agent, themes, 2)
    few = queries(client, url, params)
    add_people(agent, themes, 28, start=2)
    # On SQLite a text search whose first page holds every match has its count from it; with more, it counts them
    # (up to settings.ACVS_CONTACT_EXACT_COUNT_MAX): one statement more, never one per row.
    assert queries(client, url, params) == few + ("q" in params and connection.vendor == "sqlite")
    assert few <= 15


def test_the_contact_page_makes_as_many_queries_for_many_events_requests_and_booklets(
    client, agent, themes, django_assert_max_num_queries
):
    m = membership(agent)
    fields = {"origin": "abroad", "country": "DE", "adults": 2, "language": "de", "outcome": "fully",
              "email": "anna@example.de", "consent_newsletter": True}  # fmt: skip

    def visit():
        r = desk_services.request_create(membership=m, data=RequestData(fields=fields))
        booklet_services.booklet_create(membership=m, visitor_request=r)
        contact = Contact.objects.get()
        for given in (False, True):
            services.consent_record(membership=m, contact=contact, purpose="network", given=given, text="Texte")
        return contact

    client.force_login(agent)
    url = reverse("contacts:detail", args=[visit().pk])
    once = queries(client, url)
    for _ in range(4):
        visit()
    assert queries(client, url) == once
    with django_assert_max_num_queries(30):
        client.get(url)
