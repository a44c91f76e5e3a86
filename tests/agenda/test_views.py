from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from acvs.agenda import services
from acvs.agenda.models import EventOccurrence, EventSchedule
from acvs.desk.models import VisitorRequest
from acvs.offer.models import Status
from tests.conftest import membership
from tests.factories import OfferFactory

from .conftest import make_event


def add_dates(offer, user, start, end=None, weekdays=(), **extra):
    return services.schedule_add(
        offer=offer,
        membership=membership(user),
        data={"start_date": start, "end_date": end, "weekdays": list(weekdays), **extra},
    )


def test_detail_of_an_event_lists_upcoming_dates_and_the_form_for_the_owner(client, event, agent):
    today = timezone.localdate()
    add_dates(event, agent, today - timedelta(days=3), today + timedelta(days=2), start_time=time(21, 0))
    client.force_login(agent)
    response = client.get(reverse("offer:detail", args=[event.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="dates"' in body
    assert body.count("21:00", body.index('id="upcoming-dates"'), body.index('id="event-schedules"')) == 3
    assert 'id="schedule-form"' in body
    assert reverse("agenda:schedule_delete", args=[event.pk, EventSchedule.objects.get().pk]) in body


def test_detail_read_only_for_another_office_and_nothing_for_other_offers(client, event, cavalaire, other_agent):
    hotel = OfferFactory(owner_office=cavalaire)
    client.force_login(other_agent)
    body = client.get(reverse("offer:detail", args=[event.pk])).content.decode()
    assert 'id="dates"' in body
    assert 'id="schedule-form"' not in body
    body = client.get(reverse("offer:detail", args=[hotel.pk])).content.decode()
    assert 'id="dates"' not in body


def test_add_and_delete_dates_through_the_page(client, event, agent):
    client.force_login(agent)
    url = reverse("agenda:schedule_add", args=[event.pk])
    response = client.post(
        url,
        {"start_date": "2027-07-01", "end_date": "2027-08-31", "weekdays": ["1"], "start_time": "21:00"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("offer:detail", args=[event.pk]) + "#dates")
    assert EventOccurrence.objects.filter(offer=event).count() == 9
    schedule = EventSchedule.objects.get()
    response = client.post(reverse("agenda:schedule_delete", args=[event.pk, schedule.pk]))
    assert response.status_code == 302
    assert not EventOccurrence.objects.exists()


def test_invalid_dates_are_shown_in_french(client, event, agent):
    client.force_login(agent)
    response = client.post(
        reverse("agenda:schedule_add", args=[event.pk]),
        {"start_date": "2027-07-01", "start_time": "22:00", "end_time": "21:00"},
    )
    assert response.status_code == 400
    assert "L’heure de fin doit être après l’heure de début." in response.content.decode()
    assert not EventSchedule.objects.exists()


@pytest.mark.parametrize("who", ["other_agent", "partner"])
def test_other_office_and_partner_get_403(request, client, event, agent, who):
    schedule = add_dates(event, agent, date(2027, 7, 1))
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("agenda:schedule_add", args=[event.pk]), {"start_date": "2027-07-02"})
    assert response.status_code == 403
    response = client.post(reverse("agenda:schedule_delete", args=[event.pk, schedule.pk]))
    assert response.status_code == 403
    assert list(EventOccurrence.objects.values_list("date", flat=True)) == [date(2027, 7, 1)]


def test_unknown_offer_or_schedule_gives_404(client, event, agent):
    client.force_login(agent)
    assert client.post(reverse("agenda:schedule_add", args=[999999]), {"start_date": "2027-07-02"}).status_code == 404
    assert client.post(reverse("agenda:schedule_delete", args=[event.pk, 999999])).status_code == 404
    assert client.get(reverse("agenda:schedule_add", args=[event.pk])).status_code == 405


@pytest.fixture
def agenda_events(cavalaire, croix_valmer, greoux, agent, network_admin):
    """Events in Cavalaire, La Croix-Valmer (about 7 km away), Gréoux-les-Bains (far) and a draft in Cavalaire."""
    here = make_event(cavalaire, "Nuits du Pradet")
    near = make_event(croix_valmer, "Jazz à la Croix", insee="83048")
    far = make_event(greoux, "Fête des thermes", insee="04094")
    draft = make_event(cavalaire, "Brouillon de fête", status=Status.DRAFT)
    admin = network_admin
    add_dates(here, agent, date(2027, 7, 1), date(2027, 8, 31), [1], start_time=time(21, 0))
    add_dates(near, admin, date(2027, 7, 14))
    add_dates(far, admin, date(2027, 7, 14))
    add_dates(draft, agent, date(2027, 7, 14))
    return {"here": here, "near": near, "far": far, "draft": draft}


def names(response):
    return {o.offer.name for day, rows in response.context["days"] for o in rows}


def test_agenda_filters_dates_area_and_published(client, agent, agenda_events, django_assert_max_num_queries):
    client.force_login(agent)
    url = reverse("agenda:agenda")
    with django_assert_max_num_queries(12):
        response = client.get(url, {"date_from": "2027-07-01", "date_to": "2027-07-31"})
    assert response.status_code == 200
    assert names(response) == {"Nuits du Pradet", "Jazz à la Croix", "Fête des thermes"}
    assert response.context["page"].paginator.count == 4 + 2
    assert [day for day, _rows in response.context["days"]][:2] == [date(2027, 7, 6), date(2027, 7, 13)]
    body = response.content.decode()
    assert "Brouillon de fête" not in body
    assert reverse("offer:detail", args=[agenda_events["here"].pk]) in body

    response = client.get(url, {"date_from": "2027-07-14", "date_to": "2027-07-14", "commune": "83036", "radius": "20"})
    assert names(response) == {"Jazz à la Croix"}
    response = client.get(url, {"date_from": "2027-07-01", "date_to": "2027-08-31", "commune": "83036"})
    assert names(response) == {"Nuits du Pradet"}
    assert response.context["page"].paginator.count == 9
    office = agenda_events["far"].owner_office
    response = client.get(url, {"date_from": "2027-07-01", "date_to": "2027-08-31", "office": office.pk})
    assert names(response) == {"Fête des thermes"}
    response = client.get(url, {"date_from": "2027-07-01", "date_to": "2027-08-31", "q": "jazz"})
    assert names(response) == {"Jazz à la Croix"}


def test_agenda_defaults_to_the_next_30_days_and_checks_dates(client, agent, event):
    today = timezone.localdate()
    add_dates(event, agent, today + timedelta(days=1))
    later = make_event(event.owner_office, "Plus tard")
    add_dates(later, agent, today + timedelta(days=40))
    client.force_login(agent)
    response = client.get(reverse("agenda:agenda"))
    assert names(response) == {event.name}
    response = client.get(reverse("agenda:agenda"), {"date_from": "2027-07-10", "date_to": "2027-07-01"})
    assert response.context["page"] is None
    assert "La date de fin est avant la date de début." in response.content.decode()


def test_agenda_is_paginated(client, agent, event, settings):
    settings.ACVS_AGENDA_PAGE_SIZE = 10
    add_dates(event, agent, date(2027, 7, 1), date(2027, 7, 25))
    client.force_login(agent)
    response = client.get(reverse("agenda:agenda"), {"date_from": "2027-07-01", "date_to": "2027-07-31", "page": 3})
    assert response.context["page"].number == 3
    assert len(response.context["page"].object_list) == 5


def visitor_request(office, **stay):
    return VisitorRequest.objects.create(
        office=office, received_at=timezone.now(), origin="abroad", country="DE", adults=2, **stay
    )


def test_request_page_lists_events_during_the_stay(client, agent, cavalaire, agenda_events):
    r = visitor_request(cavalaire, stay_start=date(2027, 7, 10), stay_end=date(2027, 7, 20))
    client.force_login(agent)
    body = client.get(reverse("desk:detail", args=[r.pk])).content.decode()
    section = body[body.index('id="stay-events"') :]
    # Cavalaire's territory: its own event on the two Tuesdays of the stay, not the neighbours'.
    assert section.count("Nuits du Pradet") == 2
    assert "Jazz à la Croix" not in section
    assert "Fête des thermes" not in section
    assert f"office={cavalaire.pk}" in section
    assert "date_from=2027-07-10" in section

    without_stay = visitor_request(cavalaire)
    body = client.get(reverse("desk:detail", args=[without_stay.pk])).content.decode()
    assert 'id="stay-events"' not in body


@pytest.mark.parametrize(("start", "end"), [("9999-12-31", ""), ("9999-12-31", "9999-12-31"), ("0001-01-01", "")])
def test_dates_beyond_the_years_of_the_network_are_refused(client, event, agent, start, end):
    client.force_login(agent)
    response = client.post(reverse("agenda:schedule_add", args=[event.pk]), {"start_date": start, "end_date": end})
    assert response.status_code == 400
    assert response.context["form"].errors["start_date"] == [
        "Saisissez une date comprise entre les années 1900 et 2100."
    ]
    assert not EventSchedule.objects.exists()


@pytest.mark.parametrize(("date_from", "date_to"), [("9999-12-31", ""), ("", "0001-01-01")])
def test_agenda_periods_beyond_the_years_of_the_network_are_refused(client, agent, date_from, date_to):
    client.force_login(agent)
    response = client.get(reverse("agenda:agenda"), {"date_from": date_from, "date_to": date_to})
    assert (response.status_code, response.context["page"]) == (400, None)
    assert "Saisissez une date comprise entre les années 1900 et 2100." in response.content.decode()
