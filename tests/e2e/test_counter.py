import re

import pytest
from playwright.sync_api import expect

from acvs.desk.models import Theme, VisitorRequest
from acvs.desk.reference import ensure_themes
from tests.conftest import PASSWORD
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def themes(db):
    # Transactional tests flush the database, themes of the data migration included.
    ensure_themes(Theme)


def test_agent_records_a_german_family_in_at_most_8_interactions(page, agent, other_agent):
    login(page, "agent", PASSWORD)
    page.get_by_role("link", name="Accueil", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accueil")

    interactions = 0

    def tap(locator):
        nonlocal interactions
        interactions += 1
        locator.click()

    def toggle(name):
        return page.locator("label.toggle").filter(has_text=re.compile(f"^{name}$"))

    tap(toggle("Allemagne"))
    tap(page.get_by_role("button", name="Adultes : un de plus"))
    tap(page.get_by_role("button", name="Enfants : un de plus"))
    tap(page.get_by_role("button", name="Enfants : un de plus"))
    tap(toggle("Famille"))
    tap(toggle("Randonnée"))
    tap(toggle("Patrimoine"))
    # The language follows the country tapped.
    expect(page.get_by_label("Langue du visiteur")).to_have_value("de")
    tap(page.get_by_role("button", name="Enregistrer"))
    assert interactions <= 8

    expect(page.get_by_text("Demande enregistrée.")).to_be_visible()
    expect(page.get_by_role("link", name="Corriger ou annuler")).to_be_visible()
    # Back to an empty counter.
    expect(page.locator("#id_children")).to_have_value("0")
    expect(page.locator("input[name=origin_pick]:checked")).to_have_count(0)

    obj = VisitorRequest.objects.get()
    assert (obj.country, obj.adults, obj.children, obj.profile, obj.language) == ("DE", 2, 2, "family", "de")
    assert set(obj.themes.values_list("code", flat=True)) == {"hiking", "heritage"}

    page.get_by_role("link", name="Demandes", exact=True).click()
    row = page.locator(f"#request-{obj.pk}")
    expect(row).to_contain_text("Allemagne")
    expect(row).to_contain_text("Randonnée")

    # The visitor counter: one tap, today's count shown without reloading.
    page.goto("/desk/")
    page.get_by_role("button", name="+1 visiteur").click()
    expect(page.locator("#visitors-today")).to_have_text("1")

    # An agent of another office does not see it.
    page.context.clear_cookies()
    login(page, "other", PASSWORD)
    assert page.goto(f"/desk/requests/{obj.pk}/").status == 404
    page.goto("/desk/requests/")
    expect(page.locator(f"#request-{obj.pk}")).to_have_count(0)


def test_counter_fits_a_1280x800_touch_screen(page, agent, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, "agent", PASSWORD)
    page.goto("/desk/")
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=tmp_path / "counter-1280x800.png", full_page=True)
    assert height <= 800, height
    # Every touch target is at least 44px high.
    targets = "#counter-form .toggle span, #counter-form button, #visitor-counter button"
    small = page.evaluate(
        f"""() => [...document.querySelectorAll('{targets}')]
        .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44).map(e => e.textContent)"""
    )
    assert small == []


def test_agent_advises_from_the_request_with_available_campsites(page, agent, cavalaire):
    import datetime

    from acvs.availability.services import availability_set
    from acvs.desk import services
    from acvs.offer.models import OfferType
    from tests.conftest import membership
    from tests.desk.conftest import walk_in
    from tests.factories import OfferFactory

    arrival, departure = datetime.date(2027, 7, 10), datetime.date(2027, 7, 13)
    acting = membership(agent)
    visitor_request = services.request_create(membership=acting, data=walk_in(stay_start=arrival, stay_end=departure))
    visitor_request.requested_types.set([OfferType.objects.get(code="Accommodation")])
    for name, state in (("Camping La Baie", "free"), ("Camping Les Pins", "few"), ("Camping Complet", "full")):
        offer = OfferFactory(name=name, owner_office=cavalaire, types=["Camping"])
        availability_set(membership=acting, offer=offer, start=arrival, end=departure, state=state)

    login(page, "agent", PASSWORD)
    page.goto(f"/desk/requests/{visitor_request.pk}/")
    page.get_by_role("button", name="Conseiller").click()
    expect(page.locator("#advice-banner")).to_be_visible()
    results = page.locator(".result-list > li")
    expect(results).to_have_count(2)
    expect(page.locator(".result-list")).not_to_contain_text("Camping Complet")
    for name in ("Camping La Baie", "Camping Les Pins"):
        results.filter(has_text=name).get_by_role("button", name="Ajouter aux suggestions").click()
    expect(results.get_by_text("Suggérée")).to_have_count(2)

    page.get_by_role("link", name="Retour à la demande").click()
    expect(page.locator("#suggestions")).to_contain_text("Camping La Baie")
    expect(page.locator("#suggestions")).to_contain_text("Camping Les Pins")
    page.get_by_label("Rien à proposer du type").select_option(label="Restauration")
    page.get_by_role("button", name="Enregistrer comme non satisfait").click()
    expect(page.locator("#request-facts")).to_contain_text("Restauration")
    assert [t.code for t in VisitorRequest.objects.get(pk=visitor_request.pk).missing_types.all()] == [
        "FoodEstablishment"
    ]
