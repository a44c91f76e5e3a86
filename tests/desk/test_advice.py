import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from acvs.availability.services import availability_set
from acvs.desk import advice
from acvs.offer.models import OfferType
from tests.conftest import membership
from tests.factories import OfferFactory

ARRIVAL = datetime.date(2027, 7, 10)
DEPARTURE = datetime.date(2027, 7, 13)


@pytest.fixture
def family_request(make_request):
    visitor_request = make_request(stay_start=ARRIVAL, stay_end=DEPARTURE)
    visitor_request.requested_types.set([OfferType.objects.get(code="Accommodation")])
    return visitor_request


def test_advice_url_carries_the_request_criteria(family_request, cavalaire):
    query = parse_qs(urlparse(advice.advice_search_url(family_request)).query)
    assert query == {
        "advice": [str(family_request.pk)],
        "office": [str(cavalaire.pk)],
        "types": [str(OfferType.objects.get(code="Accommodation").pk)],
        "arrival": ["2027-07-10"],
        "departure": ["2027-07-13"],
    }
    # A precise type narrows its family: the search gets Camping alone, not Camping or Hébergement.
    family_request.requested_types.add(OfferType.objects.get(code="Camping"))
    query = parse_qs(urlparse(advice.advice_search_url(family_request)).query)
    assert (query.get("types"), query["subtype"]) == (None, [str(OfferType.objects.get(code="Camping").pk)])


def test_advice_page_keeps_offers_available_for_its_nights(client, agent, family_request, cavalaire):
    free = OfferFactory(name="Camping La Baie", owner_office=cavalaire, types=["Camping"])
    full = OfferFactory(name="Camping Complet", owner_office=cavalaire, types=["Camping"])
    availability_set(membership=membership(agent), offer=free, start=ARRIVAL, end=DEPARTURE, state="free")
    availability_set(membership=membership(agent), offer=full, start=ARRIVAL, end=DEPARTURE, state="full")
    client.force_login(agent)
    page = client.get(reverse("desk:advise", args=[family_request.pk]))
    assert [p.offer.name for p in page.context["advice"].proposals] == ["Camping La Baie"]
    body = page.content.decode()
    assert 'id="advice-banner"' in body
    assert ">Ajouter aux suggestions</button>" in body
    assert "Rien à proposer : Hébergement" in body


def test_a_criterion_is_dropped_and_restored_in_one_tap(client, agent, family_request, cavalaire):
    autumn = OfferFactory(name="Camping La Baie", owner_office=cavalaire, types=["Camping"])
    autumn.periods.create(start_date=datetime.date(2027, 9, 1), end_date=datetime.date(2027, 10, 31), weekdays=[])
    client.force_login(agent)
    url = reverse("desk:advise", args=[family_request.pk])
    page = client.get(url)
    assert page.context["advice"].proposals == []  # closed in July
    drop = {c.key: link for c, link in page.context["drop_links"]}["dates"]
    widened = client.get(drop, headers={"HX-Request": "true", "HX-Target": "advice"})
    assert widened.templates[0].name == "desk/_advice_body.html"
    assert [p.offer.name for p in widened.context["advice"].proposals] == ["Camping La Baie"]
    restore = {c.key: link for c, link in widened.context["restore_links"]}["dates"]
    assert restore == url
    refused = client.get(url, {"without": "theme:999"})
    assert refused.status_code == 400
    assert "Ce critère n’est pas celui de la demande." in refused.content.decode()


def test_suggestions_and_unmet_types_are_recorded_with_history(client, agent, family_request, cavalaire):
    offer = OfferFactory(name="Camping La Baie", owner_office=cavalaire, types=["Camping"])
    client.force_login(agent)
    url = reverse("desk:suggest", args=[family_request.pk])
    assert client.post(url, {"offer": offer.pk}, headers={"HX-Request": "true"}).status_code == 200
    advice_page = client.get(reverse("desk:advise", args=[family_request.pk]), {"without": "dates"})
    assert "Suggéré" in advice_page.content.decode()
    assert client.post(url, {"offer": offer.pk}).status_code == 302  # twice is harmless
    assert [s.offer for s in family_request.suggestions.all()] == [offer]
    food = OfferType.objects.get(code="FoodEstablishment")
    recorded = client.post(
        reverse("desk:missing_type", args=[family_request.pk]), {"type": food.pk}, headers={"HX-Request": "true"}
    )
    assert "Noté : pas de « Restauration » à proposer" in recorded.content.decode()
    family_request.refresh_from_db()
    assert list(family_request.missing_types.all()) == [food]
    assert family_request.outcome == "partly"
    detail = client.get(reverse("desk:detail", args=[family_request.pk])).content.decode()
    assert "Camping La Baie" in detail
    client.post(reverse("desk:unsuggest", args=[family_request.pk, offer.pk]))
    assert not family_request.suggestions.exists()


def test_another_office_cannot_advise_on_the_request(client, other_agent, family_request, cavalaire):
    offer = OfferFactory(owner_office=cavalaire)
    client.force_login(other_agent)
    assert client.get(reverse("desk:advise", args=[family_request.pk])).status_code == 404
    assert client.post(reverse("desk:suggest", args=[family_request.pk]), {"offer": offer.pk}).status_code == 404
    food = OfferType.objects.get(code="FoodEstablishment")
    assert client.post(reverse("desk:missing_type", args=[family_request.pk]), {"type": food.pk}).status_code == 404
    page = client.get(reverse("offer:search"), {"advice": family_request.pk})
    assert "advice-banner" not in page.content.decode()
    assert not family_request.suggestions.exists()
    assert not family_request.missing_types.exists()
    with pytest.raises(PermissionDenied):
        advice.suggestion_add(membership=membership(other_agent), visitor_request=family_request, offer=offer)


@pytest.mark.parametrize(
    ("value", "reason"),
    [("", "Choisissez une offre."), ("abc", "Cette offre n’existe plus."), (str(2**63), "Cette offre n’existe plus.")],
)
def test_a_suggestion_of_no_offer_is_refused_with_the_reason(client, agent, family_request, value, reason):
    client.force_login(agent)
    url = reverse("desk:suggest", args=[family_request.pk])
    page = client.post(url, {"offer": value})
    assert (page.status_code, page.context["back"]) == (400, family_request.get_absolute_url())
    assert reason in page.content.decode()
    fragment = client.post(url, {"offer": value}, headers={"HX-Request": "true"})
    assert fragment.status_code == 400
    assert fragment.content.decode() == f'<div class="field-error" role="alert"><p>{reason}</p></div>\n'
    assert family_request.suggestions.count() == 0


@pytest.mark.parametrize(("value", "reason"), [("", "Choisissez un type."), ("1.5", "Choisissez un type de la liste.")])
def test_an_unmet_type_left_empty_is_refused_with_the_reason(client, agent, family_request, value, reason):
    client.force_login(agent)
    response = client.post(reverse("desk:missing_type", args=[family_request.pk]), {"type": value})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert family_request.missing_types.count() == 0


def test_network_administrators_change_what_a_theme_proposes(client, network_admin, agent, manager, themes):
    hiking = themes["hiking"]
    url = reverse("desk:themes")
    for who in (agent, manager):
        client.force_login(who)
        assert client.get(url).status_code == 403
        assert client.post(url, {"theme": hiking.pk, "offer_types": ["Museum"]}).status_code == 403
    client.force_login(network_admin)
    page = client.get(url).content.decode()
    assert 'value="WalkingTour" selected' in page
    response = client.post(url, {"theme": hiking.pk, "offer_types": ["WalkingTour", "Summit"]})
    assert response.status_code == 302
    hiking.refresh_from_db()
    assert hiking.offer_types == ["Summit", "WalkingTour"]
    refused = client.post(url, {"theme": hiking.pk, "offer_types": ["NoSuchType"]})
    assert refused.status_code == 400
    assert 'role="alert"' in refused.content.decode()
    hiking.refresh_from_db()
    assert hiking.offer_types == ["Summit", "WalkingTour"]
