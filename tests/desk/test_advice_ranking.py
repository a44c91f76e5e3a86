"""The advice reads the whole request: types (a precise one narrows its family), themes through the network's
mapping, party, language, place and dates. Run on both databases."""

import datetime

from acvs.availability.services import availability_set
from acvs.desk import advice
from acvs.desk.models import Theme
from acvs.network.models import Commune
from acvs.offer.models import OfferType
from tests.conftest import membership
from tests.factories import OfferFactory

D = datetime.date
ARRIVAL, DEPARTURE = D(2026, 12, 20), D(2026, 12, 23)


def types(*codes):
    return list(OfferType.objects.filter(code__in=codes))


def names(result) -> list[str]:
    return [p.offer.name for p in result.proposals]


def offer(cavalaire, name, *codes, insee="83036", **fields):
    commune = Commune.objects.get(insee=insee)
    return OfferFactory(
        name=name,
        owner_office=cavalaire,
        types=list(codes),
        commune=commune,
        latitude=commune.latitude,
        longitude=commune.longitude,
        **fields,
    )


def test_a_precise_type_narrows_its_family(make_request, cavalaire):
    offer(cavalaire, "Camping des Pins", "Camping")
    offer(cavalaire, "Hôtel de la Plage", "Hotel")
    request = make_request()
    request.requested_types.set(types("Accommodation", "Camping"))
    result = advice.advise(request)
    assert names(result) == ["Camping des Pins"]
    assert [c.label for c in result.criteria if c.kind == "type"] == ["Camping"]
    # The family alone proposes every accommodation.
    request.requested_types.set(types("Accommodation"))
    assert sorted(names(advice.advise(request))) == ["Camping des Pins", "Hôtel de la Plage"]


def test_themes_propose_their_types_and_the_mapping_is_the_networks(make_request, cavalaire, themes):
    offer(cavalaire, "Sentier du littoral", "WalkingTour")
    offer(cavalaire, "Plage de Bonporteau", "Beach")
    offer(cavalaire, "Musée de la Mer", "Museum")
    request = make_request()
    request.themes.set([themes["hiking"]])
    # Hiking: walking tours and natural sites (a beach is one), never a museum.
    assert sorted(names(advice.advise(request))) == ["Plage de Bonporteau", "Sentier du littoral"]
    Theme.objects.filter(code="hiking").update(offer_types=["WalkingTour"])
    assert names(advice.advise(request)) == ["Sentier du littoral"]
    request.themes.set([themes["beaches"]])
    assert names(advice.advise(request)) == ["Plage de Bonporteau"]


def test_the_offices_walking_tours_come_for_a_hiking_request_with_a_precise_type(make_request, cavalaire, themes):
    offer(cavalaire, "Sentier du littoral", "WalkingTour")
    offer(cavalaire, "Camping des Pins", "Camping")
    offer(cavalaire, "Hôtel de la Plage", "Hotel")
    request = make_request()
    request.requested_types.set(types("Camping"))
    request.themes.set([themes["hiking"]])
    result = advice.advise(request)
    # A requested type weighs more than a theme's type.
    assert names(result) == ["Camping des Pins", "Sentier du littoral"]
    assert result.proposals[1].reasons == ["Randonnée"]


def test_offers_closed_on_the_stay_are_not_proposed(agent, make_request, cavalaire, themes):
    summer = offer(cavalaire, "Sentier des crêtes (été)", "WalkingTour")
    summer.periods.create(start_date=D(2026, 6, 1), end_date=D(2026, 9, 30), weekdays=[])
    weekdays_only = offer(cavalaire, "Visite du port (lundi)", "WalkingTour")
    weekdays_only.periods.create(start_date=D(2026, 1, 1), end_date=D(2026, 12, 31), weekdays=[0])
    offer(cavalaire, "Sentier du littoral", "WalkingTour")  # no opening period: open as far as we know
    campsite = offer(cavalaire, "Camping des Pins", "Camping")
    campsite.periods.create(start_date=D(2026, 4, 1), end_date=D(2026, 10, 31), weekdays=[])
    availability_set(membership=membership(agent), offer=campsite, start=ARRIVAL, end=DEPARTURE, state="free")
    full = offer(cavalaire, "Camping Complet", "Camping")
    availability_set(membership=membership(agent), offer=full, start=D(2026, 12, 21), end=D(2026, 12, 21), state="full")
    free = offer(cavalaire, "Camping de l'Hiver", "Camping")
    availability_set(membership=membership(agent), offer=free, start=ARRIVAL, end=DEPARTURE, state="free")
    offer(cavalaire, "Camping Sans Calendrier", "Camping")
    # Sunday 20 to Wednesday 23 December: Monday 21 is in the stay.
    request = make_request(stay_start=ARRIVAL, stay_end=DEPARTURE)
    request.requested_types.set(types("Camping"))
    request.themes.set([themes["hiking"]])
    result = advice.advise(request)
    assert names(result) == [
        "Camping de l'Hiver",
        "Camping Sans Calendrier",
        "Sentier du littoral",
        "Visite du port (lundi)",
    ]
    assert [p.availability for p in result.proposals[:2]] == ["available", "unknown"]
    # Without the dates, the season does not matter.
    assert len(advice.advise(request, without=["dates"]).proposals) == 7
    # A stay of Tuesday 22 only: the Monday tour is closed.
    request.stay_start = request.stay_end = D(2026, 12, 22)
    assert "Visite du port (lundi)" not in names(advice.advise(request))


def test_the_party_must_fit(make_request, cavalaire):
    offer(cavalaire, "Gîte des Oliviers", "SelfCateringAccommodation", capacity_persons=4)
    offer(cavalaire, "Gîte du Cap", "SelfCateringAccommodation", capacity_persons=8)
    offer(cavalaire, "Gîte Inconnu", "SelfCateringAccommodation")
    request = make_request(adults=4, children=2)
    request.requested_types.set(types("SelfCateringAccommodation"))
    result = advice.advise(request)
    assert names(result) == ["Gîte du Cap", "Gîte Inconnu"]  # a known capacity that fits ranks first
    assert "party" in [c.key for c in result.criteria]
    assert len(advice.advise(request, without=["party"]).proposals) == 3


def test_offers_speaking_the_visitors_language_rank_first(make_request, cavalaire):
    offer(cavalaire, "Hôtel Anglais", "Hotel", languages=["fr", "en"])
    offer(cavalaire, "Hôtel Zum Hafen", "Hotel", languages=["fr", "de"])
    request = make_request(language="de")
    request.requested_types.set(types("Hotel"))
    result = advice.advise(request)
    assert names(result) == ["Hôtel Zum Hafen", "Hôtel Anglais"]
    assert result.proposals[0].reasons == ["Hôtel", "parle allemand"]
    assert [c.label for c in result.criteria] == ["Hôtel", "4 personnes", "Parle allemand"]
    assert names(advice.advise(request, without=["language"])) == ["Hôtel Anglais", "Hôtel Zum Hafen"]


def test_nearer_offers_rank_first_and_a_chosen_place_moves_the_area(make_request, cavalaire):
    offer(cavalaire, "Hôtel de Cavalaire", "Hotel")
    offer(cavalaire, "Hôtel de La Croix-Valmer", "Hotel", insee="83048")
    offer(cavalaire, "Hôtel de Gréoux", "Hotel", insee="04094")
    request = make_request()
    request.requested_types.set(types("Hotel"))
    assert names(advice.advise(request)) == ["Hôtel de Cavalaire", "Hôtel de La Croix-Valmer"]
    greoux = Commune.objects.get(insee="04094")
    assert names(advice.advise(request, place=greoux)) == ["Hôtel de Gréoux"]


def test_events_on_during_the_stay_come_with_their_places(agent, make_request, cavalaire):
    from acvs.agenda import services as agenda

    event = offer(cavalaire, "Fête de la Saint-Pierre", "Festival")
    schedule = agenda.schedule_add(
        offer=event,
        membership=membership(agent),
        data={"start_date": D(2026, 12, 21), "end_date": None, "weekdays": []},
    )
    agenda.places_set(occurrence=schedule.occurrences.get(), membership=membership(agent), places_left=5)
    later = offer(cavalaire, "Bravade", "Festival")
    agenda.schedule_add(
        offer=later, membership=membership(agent), data={"start_date": D(2027, 5, 16), "end_date": None, "weekdays": []}
    )
    request = make_request(stay_start=ARRIVAL, stay_end=DEPARTURE)
    result = advice.advise(request)
    assert [(o.name, [d.places_left for d in dates]) for o, dates in result.events] == [
        ("Fête de la Saint-Pierre", [5])
    ]


def test_the_advice_page_reads_a_bounded_number_of_queries(client, agent, make_request, cavalaire, themes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    request = make_request(stay_start=ARRIVAL, stay_end=DEPARTURE)
    request.requested_types.set(types("Camping"))
    request.themes.set([themes["hiking"]])
    client.force_login(agent)
    url = reverse("desk:advise", args=[request.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    offer(cavalaire, "Camping 0", "Camping").periods.create(start_date=D(2026, 1, 1), end_date=D(2026, 12, 31))
    offer(cavalaire, "Sentier 0", "WalkingTour")
    few = queries()
    for n in range(1, 6):
        offer(cavalaire, f"Camping {n}", "Camping", languages=["de"]).periods.create(
            start_date=D(2026, 1, 1), end_date=D(2026, 12, 31)
        )
        offer(cavalaire, f"Sentier {n}", "WalkingTour")
    assert queries() == few
    assert len(advice.advise(request).proposals) == 12
