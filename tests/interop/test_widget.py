"""Widgets an office's website frames: only they may be framed, they list published data only, the builder gives
their code with a live preview and the iCal link."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from acvs.agenda import services
from acvs.offer.models import Status
from tests.conftest import membership
from tests.factories import OfferFactory

from .conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(cavalaire, agent):
    hotel = OfferFactory(name="Hôtel La Pergola", owner_office=cavalaire, website="https://pergola.example/")
    OfferFactory(name="Hôtel en projet", owner_office=cavalaire, status=Status.DRAFT)
    concert = make_event(cavalaire, name="Concert sur la plage")
    services.schedule_add(
        offer=concert,
        membership=membership(agent),
        data={"start_date": timezone.localdate() + timedelta(days=2), "end_date": None, "start_time": time(21, 0)},
    )
    return hotel, concert


def frame_ancestors(response) -> str:
    directives = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";") if d.strip())
    return directives["frame-ancestors"]


def test_the_widgets_may_be_framed_and_nothing_else(client, agent, published, cavalaire):
    for name in ("interop:widget_offers", "interop:widget_events"):
        response = client.get(reverse(name), {"office": cavalaire.pk})
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert frame_ancestors(response) == "*"
        assert "script-src 'self'" in response["Content-Security-Policy"]  # the rest of the policy is kept
        assert "public" in response["Cache-Control"]
    client.force_login(agent)
    for url in (reverse("offer:search"), reverse("interop:widget_builder"), reverse("agenda:agenda")):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY"
        assert frame_ancestors(response) == "'none'"


def test_the_allowed_sites_come_from_the_settings(client, published, settings):
    settings.ACVS_WIDGET_FRAME_ANCESTORS = ["https://www.cavalairesurmer.fr", "https://www.ramatuelle.fr"]
    response = client.get(reverse("interop:widget_offers"))
    assert frame_ancestors(response) == "https://www.cavalairesurmer.fr https://www.ramatuelle.fr"


def test_offers_widget_lists_published_offers_only(client, published, cavalaire):
    page = client.get(reverse("interop:widget_offers"), {"office": cavalaire.pk, "q": "hôtel"}).content.decode()
    assert "Hôtel La Pergola" in page
    assert 'href="https://pergola.example/"' in page
    assert "Hôtel en projet" not in page


def test_events_widget_lists_the_dates_to_come(client, published, cavalaire):
    page = client.get(reverse("interop:widget_events"), {"office": cavalaire.pk}).content.decode()
    assert "Concert sur la plage" in page
    assert "21:00" in page


def test_bad_criteria_show_their_reason(client, published):
    response = client.get(reverse("interop:widget_offers"), {"radius": "10"})
    assert response.status_code == 400
    assert "Choisissez une commune" in response.content.decode()


def test_the_builder_shows_the_code_the_preview_and_the_ical_link(client, agent, published, cavalaire):
    client.force_login(agent)
    page = client.get(reverse("interop:widget_builder")).content.decode()  # the acting office's events at once
    widget = f"/interop/widget/events/?office={cavalaire.pk}&amp;lang=fr"
    assert f'&lt;iframe src="http://testserver{widget}"' in page
    assert f'id="widget-preview" src="http://testserver{widget}"' in page
    assert f"/interop/feeds/events.ics?office={cavalaire.pk}" in page
    fragment = client.get(
        reverse("interop:widget_builder"),
        {"kind": "offers", "office": cavalaire.pk, "q": "hôtel", "limit": "5", "lang": "en"},
        headers={"HX-Request": "true", "HX-Target": "builder-result"},
    )
    body = fragment.content.decode()
    assert "<h1>" not in body
    assert "/interop/widget/offers/?office=" in body
    assert "limit=5" in body
    assert "events.ics" not in body
    refused = client.get(
        reverse("interop:widget_builder"),
        {"kind": "events", "type": published[0].types.get().pk},  # a hotel is no event
        headers={"HX-Request": "true", "HX-Target": "builder-result"},
    )
    assert refused.status_code == 400


def test_widgets_need_no_login_but_the_builder_does(client, published):
    assert client.get(reverse("interop:widget_offers")).status_code == 200
    response = client.get(reverse("interop:widget_builder"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_agenda_links_to_the_builder_with_its_criteria(client, agent, published, cavalaire):
    client.force_login(agent)
    page = client.get(reverse("agenda:agenda"), {"office": cavalaire.pk, "q": "concert"}).content.decode()
    assert f"/interop/widget/?kind=events&amp;office={cavalaire.pk}&amp;q=concert" in page
    builder = client.get(f"/interop/widget/?kind=events&office={cavalaire.pk}&q=concert").content.decode()
    assert f"/interop/feeds/events.ics?office={cavalaire.pk}&amp;q=concert" in builder
    from_agenda = client.get(reverse("interop:widget_builder"), {"kind": "events"}).content.decode()
    assert f"/interop/feeds/events.ics?office={cavalaire.pk}&amp;lang=fr" in from_agenda  # the acting office's
    anywhere = client.get(reverse("interop:widget_builder"), {"kind": "events", "office": ""}).content.decode()
    assert "/interop/feeds/events.ics?lang=fr" in anywhere  # unless the link chose none
