"""The agenda's iCal feed, parsed back: one VEVENT per date, places and times, SEQUENCE and LAST-MODIFIED that move
with changes, the criteria, public data only."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from acvs.agenda import services
from acvs.offer.models import OfferType, Status
from tests.conftest import membership

from .conftest import make_event

pytestmark = pytest.mark.django_db

FEED = reverse("interop:events_ics")


def soon(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def events(response) -> list:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


@pytest.fixture
def concert(cavalaire, agent):
    offer = make_event(
        cavalaire,
        name="Concert sur la plage",
        address="Esplanade Sainte-Estelle",
        postcode="83240",
        website="https://concert.example/",
    )
    schedule = services.schedule_add(
        offer=offer,
        membership=membership(agent),
        data={
            "start_date": soon(1),
            "end_date": soon(3),
            "weekdays": [],
            "start_time": time(21, 0),
            "end_time": time(23, 0),
            "note": "Gratuit",
        },
    )
    return offer, schedule


def test_one_vevent_per_date_with_place_times_and_url(client, concert, cavalaire):
    offer, _schedule = concert
    found = events(client.get(FEED, {"office": cavalaire.pk}))
    assert len(found) == 3
    first = sorted(found, key=lambda e: e.decoded("dtstart"))[0]
    assert str(first["summary"]) == "Concert sur la plage"
    start = first.decoded("dtstart")
    assert (start.date(), start.time()) == (soon(1), time(21, 0))
    assert str(start.tzinfo) == "Europe/Paris"
    assert first.decoded("dtend").time() == time(23, 0)
    assert str(first["location"]) == "Esplanade Sainte-Estelle, 83240 Cavalaire-sur-Mer"
    assert str(first["url"]) == "https://concert.example/"
    assert "Gratuit" in str(first["description"])
    assert first["geo"].latitude == pytest.approx(offer.latitude)
    assert len({str(e["uid"]) for e in found}) == 3


def test_a_date_without_time_is_a_whole_day(client, cavalaire, agent):
    fair = make_event(cavalaire, name="Foire aux santons")
    services.schedule_add(offer=fair, membership=membership(agent), data={"start_date": soon(5), "end_date": None})
    (event,) = events(client.get(FEED, {"q": "santons"}))
    assert event.decoded("dtstart") == soon(5)
    assert event.decoded("dtend") == soon(6)


def test_an_edited_schedule_keeps_its_uids_with_a_higher_sequence_and_a_later_last_modified(
    client, concert, cavalaire, agent
):
    _offer, schedule = concert
    before = {str(e["uid"]): e for e in events(client.get(FEED, {"office": cavalaire.pk}))}
    services.schedule_update(schedule=schedule, membership=membership(agent), data={"start_time": time(20, 30)})
    after = {str(e["uid"]): e for e in events(client.get(FEED, {"office": cavalaire.pk}))}
    assert set(after) == set(before)
    for uid, event in after.items():
        assert event.decoded("sequence") > before[uid].decoded("sequence")
        assert event.decoded("last-modified") >= before[uid].decoded("last-modified")
        assert event.decoded("dtstart").time() == time(20, 30)


def test_criteria_area_type_text_and_drafts(client, concert, cavalaire, croix_valmer, agent, other_agent):
    elsewhere = make_event(croix_valmer, name="Bravade", insee="83048")
    services.schedule_add(offer=elsewhere, membership=membership(other_agent), data={"start_date": soon(2)})
    draft = make_event(cavalaire, name="Concert en préparation", status=Status.DRAFT)
    services.schedule_add(offer=draft, membership=membership(agent), data={"start_date": soon(2)})
    mine = {str(e["summary"]) for e in events(client.get(FEED, {"office": cavalaire.pk}))}
    assert mine == {"Concert sur la plage"}  # not the other territory's, never a draft
    assert {str(e["summary"]) for e in events(client.get(FEED, {"q": "bravade"}))} == {"Bravade"}
    exhibition = make_event(cavalaire, name="Salon des peintres", types=["Exhibition"])
    services.schedule_add(offer=exhibition, membership=membership(agent), data={"start_date": soon(2)})

    festivals = OfferType.objects.get(code="Festival").pk
    found = {str(e["summary"]) for e in events(client.get(FEED, {"office": cavalaire.pk, "type": festivals}))}
    assert found == {"Concert sur la plage"}


def test_bad_criteria_are_a_400_with_the_reason(client):
    response = client.get(FEED, {"radius": "10", "days": "9999"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "commune" in text
    assert "730" in text


def test_caching_headers_and_no_login(client, concert):
    response = client.get(FEED)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=900" in response["Cache-Control"]


def test_texts_in_the_chosen_language(client, concert):
    offer, _schedule = concert
    offer.short_description_en = "A concert on the beach."
    offer.save()
    descriptions = {str(e["description"]) for e in events(client.get(FEED, {"lang": "en"}))}
    assert all("A concert on the beach." in d for d in descriptions)
