import datetime

from django.urls import reverse
from django.utils import timezone

from acvs.core.models import AuditEntry
from acvs.desk import selectors, services
from acvs.desk.models import DeskSettings


def test_manager_pins_choices_and_sets_the_delay(client, manager, cavalaire):
    client.force_login(manager)
    response = client.post(reverse("desk:settings"), {"due_days": 3, "countries": ["CH", "DE"], "departments": ["04"]})
    assert response.status_code == 302
    settings = DeskSettings.objects.get(office=cavalaire)
    assert (settings.due_days, settings.quick_choices) == (3, {"countries": ["CH", "DE"], "departments": ["04"]})
    assert [code for code, _name in selectors.quick_countries(cavalaire)] == ["CH", "DE"]
    assert [d.code for d in selectors.quick_departments(cavalaire)] == ["04"]
    assert services.due_date_for(cavalaire, datetime.date(2027, 3, 5)) == datetime.date(2027, 3, 10)  # Fri + 3
    assert AuditEntry.objects.filter(object_id=settings.pk, action="update").exists()
    counter = client.get(reverse("desk:counter")).content.decode()
    assert "Suisse" in counter


def test_agents_and_other_offices_cannot_change_settings(client, agent, partner, cavalaire):
    for user in (agent, partner):
        client.force_login(user)
        assert client.get(reverse("desk:settings")).status_code == 403
        assert client.post(reverse("desk:settings"), {"due_days": 9}).status_code == 403
    assert not DeskSettings.objects.filter(office=cavalaire).exists()


def test_bad_settings_are_refused_and_kept(client, manager, cavalaire):
    client.force_login(manager)
    response = client.post(reverse("desk:settings"), {"due_days": 0, "countries": ["ZZ"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "supérieure ou égale à 1" in body
    assert "ZZ" in body
    assert not DeskSettings.objects.filter(office=cavalaire).exists()


def test_quick_picks_are_the_pins_then_the_offices_frequent_origins_of_the_last_90_days(
    manager, cavalaire, other_agent, make_request
):
    from acvs.desk.models import VisitorRequest
    from acvs.network.models import Department
    from acvs.offer.models import OfferType

    # With no history and no pins: the office's département and its neighbours, the network's usual countries.
    assert [d.code for d in selectors.quick_departments(cavalaire)] == ["83", "04", "06", "13", "84"]
    assert [c for c, _n in selectors.quick_countries(cavalaire)][:2] == ["DE", "BE"]
    for country, times in (("JP", 3), ("IT", 2), ("SE", 1)):
        for _ in range(times):
            make_request(country=country, language="en")
    for _ in range(2):
        make_request(origin="france", country="", department=Department.objects.get(code="44"), language="fr")
    old = make_request(country="US", language="en")
    # One second before the window: 90 calendar days in the office's time zone, whatever the DST shift.
    window_start, _end = selectors.today_bounds(timezone.localdate() - datetime.timedelta(days=selectors.RECENT_DAYS))
    VisitorRequest.objects.filter(pk=old.pk).update(received_at=window_start - datetime.timedelta(seconds=1))
    make_request(user=other_agent, country="BR", language="pt")  # another office's visitors do not count
    assert [c for c, _n in selectors.quick_countries(cavalaire)] == ["JP", "IT", "SE"]
    assert [d.code for d in selectors.quick_departments(cavalaire)] == ["44"]
    DeskSettings.objects.create(office=cavalaire, quick_choices={"countries": ["CH", "IT"]})
    assert [c for c, _n in selectors.quick_countries(cavalaire)] == ["CH", "IT", "JP", "SE"]
    # Precise types: the most requested first, completed by the usual ones.
    made = make_request(country="JP", language="en")
    made.requested_types.set([OfferType.objects.get(code="HorseTour")])
    assert [t.code for t in selectors.quick_types(cavalaire)] == [
        "HorseTour", "Camping", "Guesthouse", "SelfCateringAccommodation", "Hotel", "WalkingTour"
    ]  # fmt: skip
