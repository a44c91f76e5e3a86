import re

import pytest
from playwright.sync_api import expect

from acvs.network.models import Commune
from acvs.offer.models import Offer
from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from tests.factories import OfferFactory

NAME_LABEL = re.compile(r"^Nom\W*$")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campsites(cavalaire, croix_valmer, greoux):
    cav = Commune.objects.get(insee="83036")
    lcv = Commune.objects.get(insee="83048")
    gre = Commune.objects.get(insee="04094")
    return [
        OfferFactory(name="Camping La Baie", commune=cav, owner_office=cavalaire, types=["Camping"],
                     latitude=43.1750, longitude=6.5290),
        OfferFactory(name="Camping du Gigaro", commune=lcv, owner_office=croix_valmer, types=["Camping"],
                     latitude=43.1850, longitude=6.5950),
        OfferFactory(name="Camping Verdon Soleil", commune=gre, owner_office=greoux, types=["Camping"]),
    ]  # fmt: skip


def test_agent_finds_campsites_near_cavalaire_and_sees_one_on_the_map(page, agent, campsites):
    login(page, "agent", PASSWORD)
    page.get_by_role("link", name="Offres", exact=True).first.click()
    page.get_by_role("textbox", name="Recherche").fill("camping")
    page.get_by_label("Commune").fill("Cavalaire-sur-Mer (83240)")
    page.get_by_label("Dans un rayon de").select_option("10")
    page.get_by_role("button", name="Rechercher").click()

    results = page.locator(".result-list > li")
    expect(results).to_have_count(2)
    expect(page.get_by_text("2 offres")).to_be_visible()
    expect(page.locator(".result-list")).not_to_contain_text("Verdon")
    # Markers are drawn even though map tiles cannot load here.
    expect(page.locator("#map")).to_have_attribute("data-markers", "2")
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(3)  # two offers and the radius circle

    page.get_by_role("link", name="Camping du Gigaro").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Camping du Gigaro")
    expect(page.locator("#map")).to_have_attribute("data-markers", "1")
    expect(page.locator("#read-only-notice")).to_contain_text("La Croix-Valmer")


def test_agent_of_another_office_cannot_change_an_offer(page, other_agent, agent, campsites):
    offer = campsites[0]  # owned by Cavalaire
    login(page, "other", PASSWORD)
    page.goto(f"/offers/{offer.pk}/")
    expect(page.locator("#read-only-notice")).to_contain_text("tenue à jour par l’Office de tourisme de Cavalaire.")
    expect(page.get_by_role("button", name="Modifier")).to_have_count(0)
    response = page.goto(f"/offers/{offer.pk}/edit/")
    assert response.status == 403
    offer.refresh_from_db()
    assert offer.version == 1


def test_owner_edits_an_offer_and_sees_the_history(page, agent, campsites):
    offer = campsites[0]
    login(page, "agent", PASSWORD)
    page.goto(f"/offers/{offer.pk}/")
    page.get_by_role("button", name="Modifier").click()
    page.get_by_label(NAME_LABEL).fill("Camping La Baie — Plage")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Modifications enregistrées.")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("Camping La Baie — Plage")
    assert Offer.objects.get(pk=offer.pk).name == "Camping La Baie — Plage"


def test_second_concurrent_save_is_refused(new_context, agent, manager, campsites):
    offer = campsites[0]
    pages = []
    for username in ("agent", "manager"):
        page = new_context().new_page()
        login(page, username, PASSWORD)
        page.goto(f"/offers/{offer.pk}/edit/")
        pages.append(page)
    first, second = pages
    first.get_by_label(NAME_LABEL).fill("Version of the agent")
    first.get_by_role("button", name="Enregistrer").click()
    expect(first.get_by_text("Modifications enregistrées.")).to_be_visible()
    second.get_by_label(NAME_LABEL).fill("Version of the manager")
    second.get_by_role("button", name="Enregistrer").click()
    expect(second.get_by_text(re.compile("Vos modifications n’ont pas été enregistrées"))).to_be_visible()
    expect(second.get_by_label(NAME_LABEL)).to_have_value("Version of the manager")
    assert Offer.objects.get(pk=offer.pk).name == "Version of the agent"


def test_facet_counts_arrive_after_the_results_and_a_failure_is_shown(page, agent, campsites):
    login(page, "agent", PASSWORD)
    page.goto("/offers/?q=camping")
    expect(page.locator(".result-list > li")).to_have_count(3)
    accommodation = page.locator("#facets label", has_text="Hébergement")
    expect(accommodation.locator(".facet-count")).to_have_text("(3)")  # swapped in by htmx
    expect(page.locator("#main-communes")).to_contain_text("Gréoux-les-Bains (1)")
    page.screenshot(path="var/e2e-search-facets.png", full_page=True)

    page.route("**/offers/facets/**", lambda route: route.fulfill(status=500, body="boom"))
    page.goto("/offers/?q=verdon")
    expect(page.locator(".result-list > li")).to_have_count(1)
    expect(page.locator("#facets [role=status]")).to_have_text("Les décomptes n’ont pas pu être chargés.")
    expect(page.get_by_role("link", name="Afficher les décomptes")).to_be_visible()  # the way round


def test_agent_follows_the_offers_to_verify_and_removes_the_filters(page, agent, campsites):
    login(page, "agent", PASSWORD)
    page.goto("/offers/?owner=mine&stale=1&all_statuses=on")  # the home page's «See all the offers to verify»
    expect(page.locator(".result-list > li")).to_have_count(1)
    expect(page.locator(".result-list")).to_contain_text("Camping La Baie")  # never verified, Cavalaire's own
    expect(page.locator("#filter-owner")).to_contain_text("offres de mon office")
    expect(page.locator("#filter-stale")).to_contain_text("à vérifier")
    expect(page.get_by_label("Seulement les offres de mon office")).to_be_checked()
    assert "owner=mine" in page.url
    page.screenshot(path="var/e2e-search-to-verify.png", full_page=True)

    page.get_by_role("link", name="Retirer le filtre : offres de mon office").click()  # htmx, the address follows
    expect(page.locator(".result-list > li")).to_have_count(3)
    expect(page.locator("#filter-owner")).to_have_count(0)
    expect(page.locator("#filter-stale")).to_be_visible()
    assert "owner=" not in page.url
    assert "stale=1" in page.url
    expect(page.locator("#facets .facet-count").first).to_be_visible()  # the counts are in
    page.get_by_label(re.compile("Seulement les offres à vérifier")).uncheck()  # the filters panel, too
    expect(page.locator("#filter-stale")).to_have_count(0)
    expect(page.locator(".result-list > li")).to_have_count(3)
