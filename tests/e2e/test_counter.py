import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
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


SHOTS = Path(os.environ["ACVS_SHOTS"]) if os.environ.get("ACVS_SHOTS") else None


class Agent:
    """The agent's hands: every tap and every typed field counts as one interaction."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def tap(self, locator):
        self.count += 1
        locator.click()

    def type(self, locator, text):
        self.count += 1
        locator.fill(text)

    def toggle(self, name):
        return self.page.locator("label.toggle").filter(has_text=re.compile(f"^{name}$"))


# Whether a field is wide enough for a text in its own font, besides its padding and its picker or arrow.
FITS = """([id, text]) => {
  const field = document.getElementById(id), style = getComputedStyle(field);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const needed = context.measureText(text).width + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 20;
  return field.clientWidth >= needed;
}"""


def quick_line(page):
    return page.get_by_role("textbox", name="Saisie rapide")


def open_counter(page, size=(1280, 800)):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    login(page, "agent", PASSWORD)
    page.get_by_role("link", name="Accueil", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accueil")
    # The heading shows before the deferred scripts run: a fill (one input event) before htmx binds the quick line
    # would go unheard (a CI run on a busy machine waited 15 s for chips that were never asked for).
    page.wait_for_load_state("load")
    return Agent(page)


def recorded(page):
    expect(page.locator("#counter-result")).to_contain_text("Demande enregistrée.")
    return VisitorRequest.objects.latest("id")


def test_a_german_family_of_four_in_3_interactions_then_the_advice_in_1(page, agent, other_agent):
    hands = open_counter(page)
    hands.tap(hands.toggle("Allemagne"))
    hands.tap(hands.toggle("Famille"))  # sets the party: 2 adults, 2 children
    hands.tap(page.get_by_role("button", name="Enregistrer"))
    assert hands.count == 3

    obj = recorded(page)
    assert (obj.country, obj.adults, obj.children, obj.profile, obj.language) == ("DE", 2, 2, "family", "de")
    # Back to an empty counter, today's requests listed with the advice link.
    expect(page.locator("#id_children")).to_have_value("0")
    expect(page.locator("input[name=origin_pick]:checked")).to_have_count(0)
    expect(page.locator("#todays-requests summary")).to_contain_text("1 demande")

    advice = Agent(page)
    advice.tap(page.locator("#counter-result").get_by_role("link", name="Conseiller"))
    page.wait_for_url(re.compile(rf"/desk/requests/{obj.pk}/advise/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Conseil")
    assert advice.count == 1

    # The visitor counter: one tap, today's count shown without reloading.
    page.goto("/desk/")
    page.locator("#todays-requests summary").click()
    expect(page.locator("#todays-requests").get_by_role("link", name="Conseiller")).to_have_count(1)
    page.get_by_role("button", name="+1 visiteur").click()
    expect(page.locator("#visitors-today")).to_have_text("1")

    # An agent of another office does not see the request.
    page.context.clear_cookies()
    login(page, "other", PASSWORD)
    assert page.goto(f"/desk/requests/{obj.pk}/").status == 404
    page.goto("/desk/")
    expect(page.locator("#todays-requests summary")).to_contain_text("0 demande")


def assert_retired_couple_from_nantes(obj):
    today = timezone.localdate()
    assert (obj.commune.name, obj.department.code, obj.origin) == ("Nantes", "44", "france")
    assert (obj.profile, obj.adults, obj.children, obj.language) == ("senior", 2, 0, "fr")
    assert list(obj.themes.values_list("code", flat=True)) == ["cycling"]
    assert list(obj.requested_types.values_list("code", flat=True)) == ["Guesthouse"]
    assert (obj.stay_start, obj.stay_end) == (today, today + datetime.timedelta(days=7))


def test_a_retired_couple_from_nantes_by_taps_in_6_interactions(page, agent):
    hands = open_counter(page)
    hands.type(page.get_by_role("combobox", name="Commune ou code postal"), "44000")
    hands.tap(hands.toggle("Seniors"))
    hands.tap(hands.toggle("Vélo"))
    # The theme suggests its types; the precise type is a toggle beside the families.
    expect(hands.toggle("Chambre d'hôtes")).to_have_class(re.compile("suggested"))
    hands.tap(hands.toggle("Chambre d'hôtes"))
    hands.tap(page.get_by_role("button", name="Une semaine"))
    expect(page.locator("#id_stay_start")).to_have_value(timezone.localdate().isoformat())
    hands.tap(page.get_by_role("button", name="Enregistrer"))
    assert hands.count == 6
    assert_retired_couple_from_nantes(recorded(page))


def test_a_retired_couple_from_nantes_by_the_quick_line_in_2_interactions(page, agent):
    hands = open_counter(page)
    hands.type(quick_line(page), "couple de retraités de Nantes vélo chbre d'hôtes 1 semaine")
    chips = page.locator("#quick-chips")
    for understood in ("Nantes (44000)", "Seniors", "Vélo", "Chambre d'hôtes"):
        expect(chips).to_contain_text(understood)
    expect(page.locator("#id_adults")).to_have_value("2")
    hands.tap(page.get_by_role("button", name="Enregistrer"))
    assert hands.count == 2
    assert_retired_couple_from_nantes(recorded(page))


def test_quick_line_chips_can_be_removed_and_what_is_not_understood_stays(page, agent):
    hands = open_counter(page)
    line = quick_line(page)
    hands.type(line, "famille belge zorglub camping 3 nuits")
    chips = page.locator("#quick-chips")
    expect(chips.locator(".chip.unknown")).to_have_text(re.compile("zorglub"))
    expect(page.locator("input[name=origin_pick][value='country:BE']")).to_be_checked()
    line.press("End")
    line.press("Enter")  # reads the line again, does not record
    expect(chips.locator(".chip")).to_have_count(5)
    assert VisitorRequest.objects.count() == 0
    page.get_by_role("button", name="Retirer « camping » de la saisie").click()
    expect(line).to_have_value("famille belge zorglub 3 nuits")
    expect(page.locator("#id_requested_types input:checked")).to_have_count(0)
    hands.tap(page.get_by_role("button", name="Enregistrer"))
    obj = recorded(page)
    assert (obj.country, obj.profile, obj.adults, obj.children) == ("BE", "family", 2, 2)
    assert obj.requested_types.count() == 0


def test_commune_completion_by_keyboard_and_by_touch(page, agent):
    open_counter(page)
    place = page.get_by_role("combobox", name="Commune ou code postal")
    place.press_sequentially("lyo")
    options = page.locator("#place-options").get_by_role("option")
    expect(options.first).to_contain_text("Lyon")
    expect(place).to_have_attribute("aria-expanded", "true")
    place.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    place.press("Enter")  # picks the commune, does not record
    expect(place).to_have_value("Lyon (69001)")
    expect(options).to_have_count(0)
    place.fill("")
    place.press_sequentially("st etien")
    options.filter(has_text="Saint-Étienne").first.click()
    expect(place).to_have_value("Saint-Étienne (42000)")
    page.get_by_role("button", name="Enregistrer").click()
    obj = recorded(page)
    assert (obj.commune.insee, obj.postcode) == ("42218", "42000")


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768)])
def test_counter_fits_the_screen_without_scrolling_also_after_a_recording(page, agent, size):
    hands = open_counter(page, size)
    page.goto("/desk/")

    def check(moment):
        if SHOTS:
            page.screenshot(path=SHOTS / f"counter-{size[0]}x{size[1]}-{moment}.png", full_page=True)
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= size[1], (moment, height)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size[0], (moment, width)

    check("empty")
    hands.type(quick_line(page), "couple de retraités de Nantes vélo chbre d'hôtes 1 semaine xyz")
    expect(page.locator("#quick-chips .chip")).to_have_count(7)
    check("quick-line")
    hands.tap(page.get_by_role("button", name="Enregistrer"))
    recorded(page)
    check("recorded")
    # The dates show their year, the language select its whole name.
    page.get_by_role("button", name="Une semaine").click()
    for name, shown in (("id_stay_start", "00/00/0000"), ("id_stay_end", "00/00/0000"), ("id_language", "Français")):
        assert page.evaluate(FITS, [name, shown]), name
    # Every touch target is at least 44px high.
    targets = "#counter-form .toggle span, #counter-form button, #visitor-counter button, #todays-requests summary"
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
