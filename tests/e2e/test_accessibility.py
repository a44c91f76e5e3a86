"""axe-core on the main pages (no serious or critical violation) and touch targets of at least 44 px.

axe-core is vendored for the tests only (tests/e2e/vendor/axe-core-4.14.1, MPL-2.0, from the npm registry). It is
evaluated in the page through the browser's debugging protocol, which the Content-Security-Policy does not govern:
the pages keep their policy and the journey still fails on any violation of it.
"""

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from acvs.agenda import services as agenda_services
from acvs.booklet import services as booklet_services
from acvs.booklet.models import Branding
from acvs.desk import services as desk_services
from acvs.desk.models import Theme
from acvs.desk.reference import ensure_themes
from acvs.documentation.models import Document
from tests.agenda.conftest import make_event
from tests.conftest import PASSWORD, membership
from tests.desk.conftest import walk_in
from tests.e2e.conftest import login
from tests.factories import OfferFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js").read_text(encoding="utf-8")
RUN_AXE = """async () => {
  // The "−1" kind of button (a name that does not contain its text) is an experimental rule: asked for too.
  const rules = {"label-content-name-mismatch": {enabled: true}};
  const result = await axe.run(document, {resultTypes: ["violations"], rules});
  if (result.passes.length < 10) return [{id: "axe did not run", impact: "critical", help: "", nodes: []}];
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + n.failureSummary.split("\\n")[1]),
  }));
}"""
# The smallest side of what a finger taps: the element, or the label wrapping a checkbox (its hit area).
SMALL_TARGETS = """(selector) => [...document.querySelectorAll(selector)].filter(e => e.offsetParent).map(e => {
  const hit = e.matches("input[type=checkbox], input[type=radio]") && e.closest("label") ? e.closest("label") : e;
  const box = hit.getBoundingClientRect();
  return {what: hit.outerHTML.slice(0, 90), width: Math.round(box.width), height: Math.round(box.height)};
}).filter(t => t.height < 44 || t.width < 44)"""


def serious_violations(page) -> list:
    page.evaluate(AXE + ";0")
    return page.evaluate(RUN_AXE)


def small_targets(page, selector: str) -> list:
    return page.evaluate(SMALL_TARGETS, selector)


@pytest.fixture
def world(agent, cavalaire, cdt_var):
    ensure_themes(Theme)
    offer = OfferFactory(
        name="Camping des Pins", owner_office=cavalaire, types=["Camping"], website="https://camping-des-pins.example"
    )
    event = make_event(cavalaire)
    today = timezone.localdate()
    agenda_services.schedule_add(
        offer=event,
        membership=membership(agent),
        data={"start_date": today + datetime.timedelta(days=1), "end_date": today + datetime.timedelta(days=3)},
    )
    visitor_request = desk_services.request_create(membership=membership(agent), data=walk_in())
    booklet = booklet_services.booklet_create(membership=membership(agent), title="Séjour à Cavalaire")
    booklet_services.item_add(membership=membership(agent), booklet=booklet, offer=offer)
    # The visitor's web version in both layouts, with the stay's dates and a day plan (headings, the date line), on
    # pale yellow branding: the colours drawn on it must still be readable.
    Branding.objects.create(office=cavalaire, primary_colour="#fde047", accent_colour="#facc15")
    web = {}
    for layout in ("classic", "magazine"):
        printed = booklet_services.booklet_create(membership=membership(agent), title=f"Votre semaine ({layout})")
        first = booklet_services.item_add(membership=membership(agent), booklet=printed, offer=offer)
        booklet_services.item_update(membership=membership(agent), booklet=printed, item_id=first.pk, day=1, note="")
        booklet_services.item_add(membership=membership(agent), booklet=printed, offer=event)
        printed = booklet_services.booklet_update(
            membership=membership(agent),
            booklet=printed,
            version=printed.version,
            data={"layout": layout, "stay_start": today, "stay_end": today + datetime.timedelta(days=3)},
        )
        web[layout] = printed.get_public_path()
    web["preview"] = f"/booklets/{printed.pk}/preview/"  # what the office sees: the same page under a preview bar
    document = Document.objects.create(
        title="Guide des hébergements du Var", language="fr", edition_year=2026, publisher=cdt_var, managed_by=cdt_var
    )
    return {
        "home": "/",
        "counter": "/desk/",
        "search": "/offers/?q=camping",
        "offer": f"/offers/{offer.pk}/",
        "agenda": "/agenda/",
        "request": f"/desk/requests/{visitor_request.pk}/",
        "advice": f"/desk/requests/{visitor_request.pk}/advise/",
        "documentation": f"/documentation/{document.pk}/",
        "catalogue": "/documentation/",
        "booklet editor": f"/booklets/{booklet.pk}/",
        "visitors": "/desk/visitors/",
        "booklet web classic": web["classic"],
        "booklet web magazine": web["magazine"],
        "booklet preview": web["preview"],
    }


def test_main_pages_have_no_serious_accessibility_violation(page, agent, world):
    login(page, "agent", PASSWORD)
    found = {}
    for name, url in world.items():
        page.goto(url)
        expect(page.locator("main")).to_be_visible()
        page.wait_for_load_state("networkidle")  # lazy fragments (the search's facets) are in place
        violations = serious_violations(page)
        if violations:
            found[name] = violations
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.mark.parametrize(
    ("url", "selector"),
    [
        ("/", ".topbar a, .topbar button, .topbar select, .topbar summary"),
        ("/offers/?q=camping", ".facets input[type=checkbox], .topbar a"),
        ("/agenda/", "main a"),
        ("booklet editor", "main button, main [role=button]"),
        # The map's attribution is a line of credits in small print, not a control (WCAG 2.5.8's inline exception).
        ("advice", "main button, main [role=button], main a:not(.leaflet-control-attribution a), main input"),
        ("booklet web classic", "main button, main a"),
        ("booklet web magazine", "main button, main a"),
        ("booklet preview", ".preview-bar a, main button, main a"),
    ],
)
def test_touch_targets_are_at_least_44_px(page, agent, world, url, selector):
    login(page, "agent", PASSWORD)
    page.goto(world.get(url, url))
    page.wait_for_load_state("networkidle")
    assert page.locator(selector).count() > 0
    small = small_targets(page, selector)
    assert small == [], json.dumps(small, indent=1, ensure_ascii=False)
