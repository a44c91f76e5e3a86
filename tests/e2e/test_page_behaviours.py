"""The small behaviours that used to be inline handlers, now in acvs/static/acvs/ui.js (the CSP refuses inline
scripts): a select that submits its form, a confirmation before a deletion, the print button."""

import pytest
from playwright.sync_api import expect

from acvs.booklet.models import Booklet
from acvs.network.models import Membership, Role
from acvs.offer.models import Offer
from tests.booklet.conftest import booklet, offers  # noqa: F401 — fixtures
from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from tests.e2e.test_counter import SHOTS
from tests.factories import OfferFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_office_and_language_switches_submit_when_changed(page, agent, croix_valmer):
    Membership.objects.create(user=agent, office=croix_valmer, role=Role.AGENT)
    login(page, "agent", PASSWORD)
    page.locator("#office-switch").select_option(label="Office de tourisme de La Croix-Valmer")
    expect(page.get_by_text("Vous agissez désormais pour l’Office de tourisme de La Croix-Valmer.")).to_be_visible()
    page.locator("#language-switch").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_deletion_asks_first_and_the_web_version_prints(page, agent, booklet):  # noqa: F811
    login(page, "agent", PASSWORD)
    page.goto(f"/booklets/{booklet.pk}/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Supprimer le carnet").click()
    expect(page.get_by_role("button", name="Supprimer le carnet")).to_be_visible()
    assert questions == ["Supprimer ce carnet ?"]
    assert Booklet.objects.filter(pk=booklet.pk).exists()

    page.goto(f"/booklets/b/{booklet.token}/")
    # (A function as the last value would be called by Playwright: end on the counter.)
    page.evaluate("window.print = () => { window.printed += 1; }; window.printed = 0")
    page.locator("button.print").click()
    assert page.evaluate("window.printed") == 1

    page.goto(f"/booklets/{booklet.pk}/")
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Supprimer le carnet").click()
    page.wait_for_url("**/booklets/")
    assert len(questions) == 2
    assert not Booklet.objects.filter(pk=booklet.pk).exists()


def test_an_htmx_action_refused_with_an_error_page_says_why(page, agent, cavalaire):
    """The offer was deleted meanwhile: the 404 page htmx does not swap gives its reason in the page's alert box."""
    offer = OfferFactory(name="Camping des Pins", owner_office=cavalaire, verified_at=None)
    login(page, "agent", PASSWORD)
    row = page.locator(f"#stale-{offer.pk}")
    expect(row).to_be_visible()
    expect(page.locator("#request-error")).to_be_hidden()
    Offer.objects.filter(pk=offer.pk).delete()
    with page.expect_response(lambda r: f"/offers/{offer.pk}/" in r.url) as answer:
        row.get_by_role("button").click()
    assert answer.value.status == 404
    expect(page.locator("#request-error")).to_be_visible()
    expect(page.locator("#request-error")).to_contain_text("Cette page n’existe pas")


def test_on_a_tablet_the_office_and_role_the_bar_hides_are_a_tap_away(new_context, agent):
    """At 1024 px the counter's top bar gives up the office's name, the role and the log-out button for the menu;
    tapping the user's name shows them (a tooltip, the former way, never shows on a touch screen)."""
    page = new_context(viewport={"width": 1024, "height": 768}, has_touch=True).new_page()
    login(page, "agent", PASSWORD)
    page.goto("/desk/")
    menu = page.locator(".topbar-who")
    office = menu.get_by_text("Office de tourisme de Cavalaire")
    expect(page.locator(".topbar-role")).to_be_hidden()
    expect(office).to_be_hidden()
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)  # none visible
    menu.locator("summary").tap()
    expect(office).to_be_visible()
    expect(menu.get_by_text("Agent d’accueil", exact=True)).to_be_visible()
    if SHOTS:
        page.wait_for_timeout(400)  # Pico's fade-in
        page.screenshot(path=SHOTS / "tablet-menu.png")
    menu.get_by_role("button", name="Se déconnecter").tap()
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
