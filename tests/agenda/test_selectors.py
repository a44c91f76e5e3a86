from datetime import date

from acvs.agenda import selectors, services
from acvs.agenda.templatetags.agenda import stay_area
from acvs.desk.models import VisitorRequest
from acvs.network.models import Commune
from tests.conftest import membership

from .conftest import make_event


def test_events_during_a_stay_around_a_commune(cavalaire, croix_valmer, greoux, network_admin):
    m = membership(network_admin)
    near = make_event(croix_valmer, "Jazz à la Croix", insee="83048")
    far = make_event(greoux, "Fête des thermes", insee="04094")
    for offer in (near, far):
        services.schedule_add(offer=offer, membership=m, data={"start_date": date(2027, 7, 14)})
    services.schedule_add(offer=near, membership=m, data={"start_date": date(2027, 8, 14)})
    cavalaire_commune = Commune.objects.get(insee="83036")
    rows = list(selectors.events_during(date(2027, 7, 10), date(2027, 7, 20), cavalaire_commune, 20))
    assert [(o.offer.name, o.date) for o in rows] == [("Jazz à la Croix", date(2027, 7, 14))]
    rows = selectors.events_during(date(2027, 7, 10), date(2027, 7, 20))
    assert {o.offer.name for o in rows} == {"Jazz à la Croix", "Fête des thermes"}


def test_stay_area_falls_back_to_the_visitors_commune(cdt_var):
    r = VisitorRequest(office=cdt_var, commune=Commune.objects.get(insee="83036"))
    assert stay_area(r) == {"commune": r.commune, "radius_km": selectors.STAY_RADIUS_KM}


def test_schedules_from_opening_periods(event, cavalaire):
    from acvs.agenda.models import EventOccurrence, EventSchedule
    from acvs.offer.models import OpeningPeriod
    from tests.factories import OfferFactory

    hotel = OfferFactory(owner_office=cavalaire)
    for offer in (event, hotel):
        OpeningPeriod.objects.create(
            offer=offer, start_date=date(2027, 7, 1), end_date=date(2027, 8, 31), weekdays=[1], opens=None
        )
    assert services.schedules_from_opening_periods([event.pk, hotel.pk]) == 1
    assert EventSchedule.objects.get().offer == event
    assert EventOccurrence.objects.filter(offer=event).count() == 9
