import datetime

import pytest
from django.utils import timezone

from acvs.availability import selectors
from acvs.availability.models import AvailabilityNight
from acvs.availability.services import availability_set
from acvs.offer.search import OfferQuery, offers_search
from tests.conftest import membership
from tests.factories import OfferFactory

D = datetime.date


def set_nights(user, offer, start, end, state, units=None):
    availability_set(membership=membership(user), offer=offer, start=start, end=end, state=state, units_free=units)


def make_stale(offer, night, settings):
    AvailabilityNight.objects.filter(offer=offer, night=night).update(
        updated_at=timezone.now() - datetime.timedelta(days=settings.ACVS_AVAILABILITY_STALE_DAYS, hours=1)
    )


def test_calendar_month_shows_states_and_unknown(agent, hotel, settings):
    set_nights(agent, hotel, D(2026, 7, 1), D(2026, 7, 2), "free", 3)
    set_nights(agent, hotel, D(2026, 7, 3), D(2026, 7, 3), "full")
    make_stale(hotel, D(2026, 7, 2), settings)
    month = selectors.calendar_month(hotel, D(2026, 7, 15))
    days = {d.date: d for week in month.weeks for d in week if d.in_month}
    assert len(days) == 31
    assert (days[D(2026, 7, 1)].state, days[D(2026, 7, 1)].units_free) == ("free", 3)
    assert days[D(2026, 7, 1)].updated_by == agent
    assert days[D(2026, 7, 2)].state == "unknown"
    assert days[D(2026, 7, 2)].stale
    assert days[D(2026, 7, 3)].state == "full"
    assert days[D(2026, 7, 4)].state == "unknown"
    assert not days[D(2026, 7, 4)].stale
    assert month.weeks[0][0].date.weekday() == 0  # weeks start on Monday


def test_staleness_follows_the_setting(agent, hotel, settings):
    set_nights(agent, hotel, D(2026, 7, 1), D(2026, 7, 1), "free")
    AvailabilityNight.objects.update(updated_at=timezone.now() - datetime.timedelta(days=3))
    settings.ACVS_AVAILABILITY_STALE_DAYS = 7
    assert selectors.calendar_month(hotel, D(2026, 7, 1)).weeks[0][2].state == "free"
    settings.ACVS_AVAILABILITY_STALE_DAYS = 2
    assert selectors.calendar_month(hotel, D(2026, 7, 1)).weeks[0][2].state == "unknown"


def test_add_months():
    assert selectors.add_months(D(2026, 12, 1), 1) == D(2027, 1, 1)
    assert selectors.add_months(D(2026, 1, 1), -1) == D(2025, 12, 1)


@pytest.fixture
def stay(agent, cavalaire, hotel, settings):
    """Three hotels for the nights of 10 and 11 July (arrival 10, departure 12)."""
    full_one_night = OfferFactory(name="Hôtel Complet", owner_office=cavalaire, types=["Hotel"])
    stale = OfferFactory(name="Hôtel Oublié", owner_office=cavalaire, types=["Hotel"])
    OfferFactory(name="Hôtel Sans Calendrier", owner_office=cavalaire, types=["Hotel"])
    set_nights(agent, hotel, D(2026, 7, 10), D(2026, 7, 11), "free", 2)
    set_nights(agent, full_one_night, D(2026, 7, 10), D(2026, 7, 10), "few", 1)
    set_nights(agent, full_one_night, D(2026, 7, 11), D(2026, 7, 11), "full")
    set_nights(agent, stale, D(2026, 7, 10), D(2026, 7, 11), "free")
    make_stale(stale, D(2026, 7, 11), settings)
    return {"arrival": D(2026, 7, 10), "departure": D(2026, 7, 12)}


def names(query) -> set[str]:
    return set(offers_search(query).values_list("name", flat=True))


def test_search_keeps_offers_available_every_night(stay):
    assert names(OfferQuery(**stay)) == {"Hôtel Le Bon Port"}
    # One night only: the hotel full on the 11th is available on the 10th ("few left" counts).
    assert names(OfferQuery(arrival=D(2026, 7, 10), departure=D(2026, 7, 11))) == {
        "Hôtel Le Bon Port",
        "Hôtel Complet",
        "Hôtel Oublié",
    }
    # Without dates, nothing is filtered.
    assert "Hôtel Sans Calendrier" in names(OfferQuery())
    # A night out of the recorded range.
    assert names(OfferQuery(arrival=D(2026, 7, 10), departure=D(2026, 7, 13))) == set()


def test_search_filter_combines_with_text(stay):
    assert names(OfferQuery(text="bon port", **stay)) == {"Hôtel Le Bon Port"}
    assert names(OfferQuery(text="complet", **stay)) == set()


def test_filter_available_empty_stay(hotel):
    from acvs.offer.models import Offer

    assert not selectors.filter_available(Offer.objects.all(), D(2026, 7, 10), D(2026, 7, 10)).exists()


@pytest.fixture
def campsite(agent, cavalaire):
    """Open from April to October, with free pitches stored all year round (as the demo's loader wrote them)."""
    offer = OfferFactory(name="Camping de la Baie", owner_office=cavalaire, types=["Camping"])
    offer.periods.create(start_date=D(2026, 4, 1), end_date=D(2026, 10, 31), weekdays=[0, 1, 2, 3, 4])
    offer.periods.create(start_date=D(2027, 4, 1), end_date=D(2027, 10, 31), weekdays=[0, 1, 2, 3, 4])
    set_nights(agent, offer, D(2026, 10, 30), D(2026, 12, 31), "free", 12)
    return offer


def test_an_accommodation_is_never_available_outside_its_opening_periods(campsite):
    december = selectors.calendar_month(campsite, D(2026, 12, 1))
    days = {d.date: d for week in december.weeks for d in week if d.in_month}
    assert {(d.state, d.out_of_season) for d in days.values()} == {("closed", True)}
    october = {d.date: d for week in selectors.calendar_month(campsite, D(2026, 10, 1)).weeks for d in week}
    # The periods' weekdays are reception days: Saturday 31 October is a night of the season.
    assert (october[D(2026, 10, 31)].state, october[D(2026, 10, 31)].units_free) == ("free", 12)
    assert october[D(2026, 10, 15)].state == "unknown"
    assert names(OfferQuery(arrival=D(2026, 12, 20), departure=D(2026, 12, 23))) == set()
    assert names(OfferQuery(arrival=D(2026, 10, 31), departure=D(2026, 11, 2))) == set()
    assert names(OfferQuery(arrival=D(2026, 10, 30), departure=D(2026, 11, 1))) == {"Camping de la Baie"}


def test_an_accommodation_without_opening_periods_follows_its_calendar(agent, hotel):
    set_nights(agent, hotel, D(2026, 12, 20), D(2026, 12, 22), "free")
    assert names(OfferQuery(arrival=D(2026, 12, 20), departure=D(2026, 12, 23))) == {"Hôtel Le Bon Port"}
