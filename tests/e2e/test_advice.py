"""The advice page at a counter's screen: criteria dropped in one tap, a suggestion in one tap, a missing type in one
tap, the first proposal above the fold at 1280×900 with the map beside the list."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from acvs.agenda import services as agenda
from acvs.availability.services import availability_set
from acvs.desk import services
from acvs.desk.models import Theme
from acvs.desk.reference import ensure_themes
from acvs.desk.services import RequestData
from acvs.offer.models import OfferType
from tests.conftest import PASSWORD, membership
from tests.e2e.conftest import login
from tests.factories import OfferFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = datetime.date
ARRIVAL, DEPARTURE = D(2026, 12, 20), D(2026, 12, 23)
SCREENSHOTS = os.environ.get("ACVS_SCREENSHOTS")  # a folder to keep the pages' pictures in


@pytest.fixture
def hiking_family(agent, cavalaire):
    """A German family of four, hiking, wanting a campsite for three nights in December."""
    ensure_themes(Theme)
    m = membership(agent)
    open_all_year = OfferFactory(name="Camping de l'Hiver", owner_office=cavalaire, types=["Camping"])
    availability_set(membership=m, offer=open_all_year, start=ARRIVAL, end=DEPARTURE, state="free", units_free=6)
    summer = OfferFactory(name="Camping de l'Été", owner_office=cavalaire, types=["Camping"])
    summer.periods.create(start_date=D(2026, 4, 1), end_date=D(2026, 10, 31), weekdays=[])
    availability_set(membership=m, offer=summer, start=ARRIVAL, end=DEPARTURE, state="free", units_free=9)
    OfferFactory(name="Sentier du littoral", owner_office=cavalaire, types=["WalkingTour"], languages=["fr", "de"])
    OfferFactory(name="Hôtel de la Plage", owner_office=cavalaire, types=["Hotel"])
    OfferFactory(name="Musée de la Mer", owner_office=cavalaire, types=["Museum"])
    event = OfferFactory(name="Marché de Noël", owner_office=cavalaire, types=["Market"])
    schedule = agenda.schedule_add(
        offer=event, membership=m, data={"start_date": D(2026, 12, 21), "end_date": None, "weekdays": []}
    )
    agenda.places_set(occurrence=schedule.occurrences.get(), membership=m, places_left=14)
    fields = {"origin": "abroad", "country": "DE", "adults": 2, "children": 2, "language": "de", "outcome": "fully"}
    request = services.request_create(
        membership=m,
        data=RequestData(
            fields={**fields, "stay_start": ARRIVAL, "stay_end": DEPARTURE},
            themes=[Theme.objects.get(code="hiking")],
            requested_types=list(OfferType.objects.filter(code__in=["Accommodation", "Camping"])),
        ),
    )
    return request


def test_advice_uses_the_whole_request_and_acts_in_one_tap(page, agent, hiking_family, tmp_path):
    login(page, "agent", PASSWORD)
    page.goto(f"/desk/requests/{hiking_family.pk}/")
    page.get_by_role("button", name="Conseiller", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conseil")

    banner = page.locator("#advice-banner")
    for criterion in ("Camping", "Randonnée", "4 personnes", "Parle allemand"):
        expect(banner.get_by_text(criterion, exact=True)).to_be_visible()
    expect(banner.get_by_text("Hébergement", exact=True)).to_have_count(0)  # narrowed by Camping
    proposals = page.locator("ol.proposals > li h3")
    # Camping first (a requested type), the walking tour for the hiking theme; never the summer campsite, the hotel
    # nor the museum.
    expect(proposals).to_have_text(["Camping de l'Hiver", "Sentier du littoral"])
    expect(page.locator("#advice-events")).to_contain_text("Marché de Noël")
    expect(page.locator("#advice-events")).to_contain_text("14 places restantes")

    # The first proposal, its button and the map are above the fold at 1280×900.
    first = page.locator("ol.proposals > li").first
    box = first.bounding_box()
    assert box["y"] + box["height"] <= 900
    map_box = page.locator("#map").bounding_box()
    assert map_box["x"] > box["x"] + box["width"] - 1  # beside the list, not above it
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "advice-1280x900.png"))
    page.screenshot(path=tmp_path / "advice.png")

    # Suggesting is one tap on a button named by its text, at least 44 px high.
    suggest = first.get_by_role("button", name="Ajouter aux suggestions", exact=True)
    assert suggest.bounding_box()["height"] >= 44
    suggest.click()
    expect(first.get_by_text("Suggérée")).to_be_visible()
    assert [s.offer.name for s in hiking_family.suggestions.all()] == ["Camping de l'Hiver"]

    # Marking a missing type is one tap.
    page.get_by_role("button", name="Rien à proposer : Camping").click()
    expect(page.get_by_text("Noté : pas de « Camping » à proposer")).to_be_visible()
    assert list(hiking_family.missing_types.values_list("code", flat=True)) == ["Camping"]

    # Each criterion is removed in one tap, and restored in one.
    page.get_by_role("link", name="Retirer le critère 4 personnes").click()
    expect(banner.locator(".chip-dropped")).to_contain_text("4 personnes")
    page.get_by_role("link", name="Retirer le critère 20/12/2026 → 23/12/2026").click()
    expect(proposals).to_have_text(["Camping de l'Hiver", "Camping de l'Été", "Sentier du littoral"])
    assert "without=dates" in page.url
    page.get_by_role("link", name="Remettre le critère 20/12/2026 → 23/12/2026").click()
    expect(proposals).to_have_text(["Camping de l'Hiver", "Sentier du littoral"])
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "advice-dropped.png"), full_page=True)
