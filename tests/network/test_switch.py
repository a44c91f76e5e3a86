"""The office switcher of the top bar still works after the views moved into a package."""

from django.urls import reverse

from acvs.network.models import Membership, Role

from .helpers import as_


def test_a_member_of_two_offices_switches_and_manages_the_second(client, manager, croix_valmer, cavalaire):
    Membership.objects.create(user=manager, office=croix_valmer, role=Role.AGENT)
    as_(client, manager)
    # Cavalaire comes first by name: the manager acts for it and reaches the network pages.
    assert client.get(reverse("network:offices")).status_code == 200
    response = client.post(reverse("network:switch_office"), {"office": croix_valmer.pk, "next": "/network/offices/"})
    assert response.status_code == 302
    assert response.url == "/network/offices/"
    # As an agent of La Croix-Valmer, the same person manages nothing.
    assert client.get(reverse("network:offices")).status_code == 403
    response = client.post(reverse("network:switch_office"), {"office": cavalaire.pk, "next": "https://evil.example/"})
    assert response.url == "/"
    assert client.get(reverse("network:offices")).status_code == 200


def test_without_next_the_switch_goes_back_to_the_referring_page_of_this_site(client, agent):
    as_(client, agent)
    switch = reverse("network:switch_office")
    back = client.post(switch, {"office": "1"}, headers={"referer": "http://testserver/offers/?q=plage"})
    assert back.url == "http://testserver/offers/?q=plage"
    elsewhere = client.post(switch, {"office": "1"}, headers={"referer": "https://evil.example/offers/"})
    assert elsewhere.url == "/"


def test_switching_to_an_office_one_does_not_belong_to_is_refused(client, agent, greoux):
    as_(client, agent)
    client.post(reverse("network:switch_office"), {"office": greoux.pk})
    response = client.get(reverse("home"))
    assert response.context["current_office"].slug == "cavalaire"
