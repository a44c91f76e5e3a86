"""Events have availability too: the places left on each date, kept by the owning office."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from acvs.agenda import services
from acvs.agenda.models import EventOccurrence
from acvs.core.models import AuditEntry
from tests.conftest import membership


@pytest.fixture
def dates(event, agent):
    today = timezone.localdate()
    schedule = services.schedule_add(
        offer=event,
        membership=membership(agent),
        data={"start_date": today + timedelta(days=1), "end_date": today + timedelta(days=3), "weekdays": []},
    )
    return list(schedule.occurrences.order_by("date"))


def test_the_owner_sets_places_kept_when_the_schedule_changes(event, agent, dates):
    first, second, _third = dates
    services.places_set(occurrence=first, membership=membership(agent), places_left=12)
    services.places_set(occurrence=second, membership=membership(agent), places_left=0)
    schedule = first.schedule
    services.schedule_update(
        schedule=schedule, membership=membership(agent), data={"end_date": schedule.end_date + timedelta(days=1)}
    )
    places = dict(EventOccurrence.objects.values_list("date", "places_left"))
    assert list(places.values()) == [12, 0, None, None]
    entry = AuditEntry.objects.filter(changes__0__field="places_left").order_by("pk").last()
    assert (entry.changes[0]["old"], entry.changes[0]["new"]) == ("", "0")


def test_places_cannot_be_negative_nor_set_by_another_office(event, agent, other_agent, partner, dates):
    with pytest.raises(Exception, match="négatif"):
        services.places_set(occurrence=dates[0], membership=membership(agent), places_left=-1)
    for who in (other_agent, partner):
        with pytest.raises(PermissionDenied):
            services.places_set(occurrence=dates[0], membership=membership(who), places_left=3)
    assert not EventOccurrence.objects.filter(places_left__isnull=False).exists()


def test_places_are_set_on_the_event_page_and_shown_in_the_agenda(client, event, agent, other_agent, dates):
    client.force_login(agent)
    url = reverse("agenda:places", args=[event.pk, dates[0].pk])
    row = client.post(url, {"places_left": "8"}, headers={"HX-Request": "true"})
    assert row.status_code == 200
    assert "8 places restantes" in row.content.decode()
    refused = client.post(url, {"places_left": "-2"}, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    assert 'role="alert"' in refused.content.decode()
    client.post(reverse("agenda:places", args=[event.pk, dates[1].pk]), {"places_left": "0"})
    page = client.get(reverse("offer:detail", args=[event.pk])).content.decode()
    assert "8 places restantes" in page
    assert "Complet" in page
    assert "Places : inconnues" in page
    agenda = client.get(reverse("agenda:agenda"), {"date_from": dates[0].date, "date_to": dates[2].date})
    assert agenda.content.decode().count("8 places restantes") == 1
    client.force_login(other_agent)
    assert client.post(url, {"places_left": "1"}).status_code == 403
    other = reverse("agenda:places", args=[event.pk, 2**40])
    client.force_login(agent)
    assert client.post(other, {"places_left": "1"}).status_code == 404
    assert EventOccurrence.objects.get(pk=dates[0].pk).places_left == 8


def test_a_date_of_another_event_is_not_found(client, cavalaire, agent, event, dates):
    from .conftest import make_event

    other_event = make_event(cavalaire, name="Bravade")
    client.force_login(agent)
    url = reverse("agenda:places", args=[other_event.pk, dates[0].pk])
    assert client.post(url, {"places_left": "1"}).status_code == 404
    assert EventOccurrence.objects.get(pk=dates[0].pk).places_left is None
