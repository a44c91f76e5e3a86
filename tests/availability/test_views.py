import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from acvs.availability.models import AvailabilityChange, AvailabilityNight
from acvs.availability.services import availability_set
from tests.conftest import membership

D = datetime.date


def payload(**changes):
    data = {"start": "2026-07-01", "end": "2026-07-03", "state": "few", "units_free": "2", "month": "2026-07"}
    data.update(changes)
    return data


def test_offer_page_shows_the_calendar_with_text_and_the_form(client, agent, hotel):
    availability_set(membership=membership(agent), offer=hotel, start=D(2026, 7, 1), end=D(2026, 7, 1), state="few")
    client.force_login(agent)
    response = client.get(reverse("offer:detail", args=[hotel.pk]), {"month": "2026-07"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="availability"' in html
    assert 'data-night="2026-07-01" data-state="few"' in html
    assert "Peu de disponibilités" in html
    assert "Inconnu" in html
    assert "Dernière mise à jour" in html
    assert 'id="availability-form"' in html


def test_read_only_for_other_offices(client, other_agent, hotel):
    client.force_login(other_agent)
    html = client.get(reverse("offer:detail", args=[hotel.pk])).content.decode()
    assert 'id="availability"' in html
    assert 'id="availability-form"' not in html


def test_no_section_for_other_offers(client, agent, museum):
    client.force_login(agent)
    html = client.get(reverse("offer:detail", args=[museum.pk])).content.decode()
    assert 'id="availability"' not in html
    assert client.get(reverse("availability:section", args=[museum.pk])).status_code == 404


def test_month_navigation_partial(client, other_agent, hotel):
    client.force_login(other_agent)
    response = client.get(
        reverse("availability:section", args=[hotel.pk]), {"month": "2026-12"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert [m.first for m in response.context["months"]] == [D(2026, 12, 1), D(2027, 1, 1)]
    assert response.context["next_month"] == "2027-01"


def test_owner_sets_a_range_with_plain_post(client, agent, hotel):
    client.force_login(agent)
    response = client.post(reverse("availability:set", args=[hotel.pk]), payload())
    assert response.status_code == 302
    assert AvailabilityNight.objects.filter(offer=hotel, state="few", units_free=2).count() == 3


def test_owner_sets_a_range_with_htmx(client, agent, hotel):
    client.force_login(agent)
    response = client.post(reverse("availability:set", args=[hotel.pk]), payload(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "3 nuits modifiées" in response.content.decode()
    assert AvailabilityChange.objects.filter(offer=hotel).count() == 3


def test_invalid_range_shows_the_error_and_keeps_values(client, agent, hotel):
    client.force_login(agent)
    response = client.post(
        reverse("availability:set", args=[hotel.pk]), payload(end="2026-06-01"), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "La dernière nuit est avant la première." in html
    assert 'value="2026-06-01"' in html
    assert not AvailabilityNight.objects.exists()


@pytest.mark.parametrize("who", ["other_agent", "partner"])
def test_others_get_403(request, client, who, hotel):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("availability:set", args=[hotel.pk]), payload())
    assert response.status_code == 403
    assert not AvailabilityNight.objects.exists()


def test_unknown_offer_is_404(client, agent):
    client.force_login(agent)
    assert client.post(reverse("availability:set", args=[999999]), payload()).status_code == 404
    assert client.get(reverse("availability:section", args=[999999])).status_code == 404


def test_get_on_set_is_refused(client, agent, hotel):
    client.force_login(agent)
    assert client.get(reverse("availability:set", args=[hotel.pk])).status_code == 405


def test_search_form_dates(client, agent, hotel):
    availability_set(membership=membership(agent), offer=hotel, start=D(2026, 7, 10), end=D(2026, 7, 11), state="free")
    client.force_login(agent)
    url = reverse("offer:search")
    response = client.get(url, {"arrival": "2026-07-10", "departure": "2026-07-12"})
    assert [o.name for o in response.context["page"].object_list] == ["Hôtel Le Bon Port"]
    response = client.get(url, {"arrival": "2026-07-10", "departure": "2026-07-13"})
    assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"arrival": "2026-07-10", "departure": "2026-07-10"}, "departure", "Le départ doit être après l’arrivée."),
        ({"arrival": "2026-07-10", "departure": "2026-09-10"}, "departure", "Un séjour dure 60 nuits au plus."),
        ({"arrival": "2026-07-10"}, "departure", "Indiquez aussi la date de départ."),
        ({"departure": "2026-07-10"}, "arrival", "Indiquez aussi la date d’arrivée."),
    ],
)
def test_search_form_date_validation(client, agent, params, field, message):
    client.force_login(agent)
    response = client.get(reverse("offer:search"), params)
    form = response.context["form"]
    assert form.errors[field] == [message]
    for _name, value in params.items():
        assert f'value="{value}"' in response.content.decode()


def test_stale_nights_shown_unknown_on_the_page(client, agent, hotel, settings):
    availability_set(membership=membership(agent), offer=hotel, start=D(2026, 7, 1), end=D(2026, 7, 1), state="full")
    AvailabilityNight.objects.update(updated_at=timezone.now() - datetime.timedelta(days=30))
    client.force_login(agent)
    html = client.get(reverse("offer:detail", args=[hotel.pk]), {"month": "2026-07"}).content.decode()
    assert 'data-night="2026-07-01" data-state="unknown"' in html


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "0000-13", "9" * 30 + "-01", "2026-13", "juillet"])
def test_a_month_outside_the_years_of_the_network_shows_the_current_month(client, agent, hotel, month):
    client.force_login(agent)
    response = client.get(reverse("availability:section", args=[hotel.pk]), {"month": month})
    assert response.status_code == 200
    assert response.context["months"][0].first == timezone.localdate().replace(day=1)
