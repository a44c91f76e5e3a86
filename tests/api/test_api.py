"""The public API, tried from outside: tokens, reads with the search's criteria, writes through the services."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import get_scope
from rest_framework.response import Response

from acvs.api import rest_views, services
from acvs.api.models import ApiToken, Scope
from acvs.availability.models import AvailabilityNight
from acvs.core.models import AuditEntry
from acvs.offer.models import Offer
from tests.conftest import membership
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def token_of(user, *scopes) -> str:
    _token, raw = services.token_create(membership=membership(user), name="Site web", scopes=list(scopes))
    return raw


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def hotel(cavalaire):
    return OfferFactory(name="Hôtel de la Plage", owner_office=cavalaire)


@pytest.fixture
def their_hotel(croix_valmer):
    return OfferFactory(name="Hôtel du Cap", owner_office=croix_valmer, commune=croix_valmer.territory.get())


@pytest.fixture
def writer(manager):
    return token_of(manager, Scope.READ, Scope.WRITE)


@pytest.fixture
def reader(manager):
    return token_of(manager, Scope.READ)


def payload(offer: Offer, **changes) -> dict:
    return {"version": offer.version, **changes}


# Tokens ------------------------------------------------------------------------------------------------------------


def test_a_manager_creates_a_token_shown_once_and_stored_hashed(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("api:tokens"), {"name": "Site de l'office", "scopes": ["read", "write"]}, follow=True
    )
    assert response.redirect_chain
    raw = response.context["created"]
    assert raw.startswith("acvs_")
    assert raw in response.content.decode()
    assert "api_new_token" not in client.session
    token = ApiToken.objects.get()
    assert token.secret_hash != raw
    assert raw not in str(ApiToken.objects.values().get())
    assert token.scopes == ["read", "write"]
    assert token.created_by == manager
    assert AuditEntry.objects.filter(object_id=token.pk, action=AuditEntry.Action.CREATE).exists()
    # Never again: the list shows its prefix only.
    assert raw not in client.get(reverse("api:tokens")).content.decode()


def test_agents_and_partners_cannot_manage_tokens(client, agent, partner):
    for user in (agent, partner):
        client.force_login(user)
        assert client.get(reverse("api:tokens")).status_code == 403
        assert client.post(reverse("api:tokens"), {"name": "x", "scopes": ["read"]}).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_without_scopes_is_refused_with_the_reason(client, manager):
    client.force_login(manager)
    response = client.post(reverse("api:tokens"), {"name": "Site"})
    assert response.status_code == 400
    assert "scopes" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_the_token_gets_401(client, manager, writer):
    token = ApiToken.objects.get()
    client.force_login(manager)
    page = client.get(reverse("api:token_revoke", args=[token.pk]))
    assert page.status_code == 200
    assert token.name in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # the question changed nothing
    assert client.get(reverse("api:types"), headers=bearer(writer)).status_code == 200
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == manager
    client.logout()
    response = client.get(reverse("api:types"), headers=bearer(writer))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_another_office_s_token_cannot_be_revoked(client, manager, other_agent, croix_valmer):
    from tests.conftest import make_user

    other_manager = make_user("othermanager", croix_valmer, "manager")
    theirs = token_of(other_manager, Scope.READ)
    token = ApiToken.objects.get()
    client.force_login(manager)
    assert client.get(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get(reverse("api:types"), headers=bearer(theirs)).status_code == 200


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer acvs_00000000_nope", "Bearer x y", "Token abc"])
def test_no_or_unknown_token_gets_401(client, writer, header):
    response = client.get(reverse("api:offers"), headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_wrong_secret_with_a_real_prefix_gets_401(client, writer):
    forged = writer[:-4] + ("AAAA" if not writer.endswith("AAAA") else "BBBB")
    assert client.get(reverse("api:offers"), headers=bearer(forged)).status_code == 401


def test_an_expired_token_gets_401(client, writer):
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get(reverse("api:offers"), headers=bearer(writer)).status_code == 401


def test_a_token_whose_creator_left_the_office_gets_401_with_the_reason(client, manager, writer):
    membership(manager).__class__.objects.filter(user=manager).update(is_active=False)
    response = client.get(reverse("api:offers"), headers=bearer(writer))
    assert response.status_code == 401
    assert "n’agit plus" in response.json()["detail"]


def test_the_token_acts_in_its_office_scope(client, cavalaire, reader, monkeypatch):
    seen = {}

    def spy(self, request):
        seen.update(get_scope())
        return Response([])

    monkeypatch.setattr(rest_views.Types, "get", spy)
    assert client.get(reverse("api:types"), headers=bearer(reader)).status_code == 200
    assert seen["office"] == cavalaire.pk
    assert seen["_enabled"]


def test_requests_beyond_the_rate_get_429_with_retry_after(client, reader, settings):
    from rest_framework.throttling import SimpleRateThrottle

    monkey = {"api": "2/min"}
    SimpleRateThrottle.THROTTLE_RATES, saved = monkey, SimpleRateThrottle.THROTTLE_RATES
    try:
        statuses = [client.get(reverse("api:types"), headers=bearer(reader)) for _ in range(3)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = saved
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert int(statuses[-1]["Retry-After"]) > 0


# Reads -------------------------------------------------------------------------------------------------------------


def test_offers_are_searched_with_the_search_page_s_criteria(client, reader, hotel, their_hotel):
    OfferFactory(name="Camping des Pins", types=["Camping"], owner_office=hotel.owner_office)
    url = reverse("api:offers")
    every = client.get(url, headers=bearer(reader)).json()
    assert every["count"] == 3
    assert not every["estimated"]
    by_commune = client.get(url, {"commune": "83048"}, headers=bearer(reader)).json()
    assert [o["name"] for o in by_commune["results"]] == ["Hôtel du Cap"]
    by_type = client.get(url, {"type": "Hotel", "order": "name"}, headers=bearer(reader)).json()
    assert [o["name"] for o in by_type["results"]] == ["Hôtel de la Plage", "Hôtel du Cap"]
    assert by_type["results"][0]["types"] == ["Hotel"]
    assert by_type["results"][0]["commune"]["insee"] == "83036"
    by_text = client.get(url, {"q": "pins"}, headers=bearer(reader)).json()
    assert [o["name"] for o in by_text["results"]] == ["Camping des Pins"]
    around = client.get(url, {"commune": "83036", "radius": "5"}, headers=bearer(reader)).json()
    assert {o["name"] for o in around["results"]} >= {"Hôtel de la Plage"}
    assert all("distance_km" in o for o in around["results"])


def test_updated_since_keeps_the_offers_changed_since(client, reader, hotel, their_hotel):
    Offer.objects.filter(pk=hotel.pk).update(updated_at=timezone.now() - datetime.timedelta(days=10))
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    found = client.get(reverse("api:offers"), {"updated_since": since}, headers=bearer(reader)).json()
    assert [o["id"] for o in found["results"]] == [their_hotel.pk]


def test_pages_link_to_the_next_one(client, reader, cavalaire):
    for i in range(3):
        OfferFactory(name=f"Gîte {i}", owner_office=cavalaire)
    first = client.get(reverse("api:offers"), {"per_page": "2", "order": "name"}, headers=bearer(reader)).json()
    assert first["pages"] == 2
    assert len(first["results"]) == 2
    assert first["previous"] is None
    second = client.get(first["next"], headers=bearer(reader)).json()
    assert [o["name"] for o in second["results"]] == ["Gîte 2"]


def test_bad_criteria_get_400_with_the_field(client, reader):
    response = client.get(reverse("api:offers"), {"type": "NoSuchType", "radius": "5"}, headers=bearer(reader))
    assert response.status_code == 400
    assert {"type", "radius"} <= set(response.json())


def test_an_offer_s_detail_with_etag_and_304(client, reader, hotel):
    url = reverse("api:offer", args=[hotel.pk])
    first = client.get(url, headers=bearer(reader))
    body = first.json()
    assert first.status_code == 200
    assert body["name"] == "Hôtel de la Plage"
    assert body["version"] == hotel.version
    assert body["texts"]["fr"]["short_description"].startswith("Un hôtel")
    assert "Last-Modified" in first
    again = client.get(url, headers=bearer(reader) | {"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert not again.content
    missing = client.get(reverse("api:offer", args=[10**12]), headers=bearer(reader))
    assert (missing.status_code, missing.json()) == (404, {"detail": "Pas trouvé."})


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/offers/9292139859377819426/availability/",  # 19 digits, beyond a 64-bit id: no route matches
        "/api/v1/offers/123456789012345678901/",
        "/api/v1/nothing-here/",
    ],
)
def test_an_address_no_route_matches_answers_in_json_under_the_api(client, reader, path):
    """Found by schemathesis: the id converter refuses an id beyond the database's range, and the API answered
    with the site's HTML page instead of its own JSON 404."""
    response = client.get(path, headers=bearer(reader))
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json() == {"detail": "Pas trouvé."}  # DRF's wording, in the installation's language
    page = client.get("/offers/9292139859377819426/")
    assert (page.status_code, page["Content-Type"]) == (404, "text/html; charset=utf-8")  # the site keeps its page


def test_a_logged_in_user_reads_with_the_session(client, partner, hotel):
    client.force_login(partner)
    assert client.get(reverse("api:offer", args=[hotel.pk])).status_code == 200
    assert client.get(reverse("api:providers")).status_code == 200


def test_a_signed_in_user_without_an_office_reads_an_offer_s_detail(client, django_user_model, hotel):
    # No membership at all (left every office): the detail is served, not a server error.
    client.force_login(django_user_model.objects.create_user(username="nobody", password="x"))
    response = client.get(reverse("api:offer", args=[hotel.pk]))
    assert response.status_code == 200
    assert response.json()["name"] == "Hôtel de la Plage"


def test_types_events_and_providers(client, reader, cavalaire):
    types = client.get(reverse("api:types"), headers=bearer(reader)).json()
    hotel_type = next(t for t in types if t["code"] == "Hotel")
    assert "HotelTrade" in hotel_type["parents"] or hotel_type["parents"]
    festival = OfferFactory(name="Fête de la mer", types=["Festival"], owner_office=cavalaire)
    from acvs.agenda import services as agenda_services
    from tests.conftest import make_user

    today = datetime.date.today()
    agenda_services.schedule_add(
        offer=festival,
        membership=membership(make_user("eventagent", cavalaire, "agent")),
        data={"start_date": today, "end_date": today + datetime.timedelta(days=1)},
    )
    events = client.get(
        reverse("api:events"), {"start": today.isoformat(), "end": today.isoformat()}, headers=bearer(reader)
    ).json()
    assert [e["offer"]["name"] for e in events["results"]] == ["Fête de la mer"]
    detail = client.get(reverse("api:offer", args=[festival.pk]), headers=bearer(reader)).json()
    assert detail["schedules"][0]["start_date"] == today.isoformat()
    assert len(detail["occurrences"]) == 2


def test_a_provider_s_staff_is_read_by_its_own_office_only(client, reader, cavalaire, croix_valmer):
    from acvs.offer.models import Provider, ProviderContact
    from tests.conftest import make_user

    provider = Provider.objects.create(name="SARL Les Mimosas", owner_office=cavalaire, email="contact@mimosas.fr")
    ProviderContact.objects.create(provider=provider, name="Jeanne Martin", role="gérante", email="jeanne@mimosas.fr")
    theirs = token_of(make_user("theirmanager", croix_valmer, "manager"), Scope.READ)
    url = reverse("api:provider", args=[provider.pk])

    own = client.get(url, headers=bearer(reader)).json()
    assert [c["name"] for c in own["contacts"]] == ["Jeanne Martin"]
    offer = OfferFactory(name="Les Mimosas", owner_office=cavalaire, provider=provider)
    offer_url = reverse("api:offer", args=[offer.pk])
    assert client.get(offer_url, headers=bearer(reader)).json()["provider"]["contacts"][0]["name"] == "Jeanne Martin"
    assert client.get(offer_url, headers=bearer(theirs)).json()["provider"]["contacts"] == []
    for response in (
        client.get(url, headers=bearer(theirs)),
        client.get(reverse("api:providers"), headers=bearer(theirs)),
    ):
        assert response.status_code == 200
        body = response.content.decode()
        assert "contact@mimosas.fr" in body  # the provider's public address stays readable
        assert "Jeanne" not in body
        assert "jeanne@mimosas.fr" not in body


# Writes ------------------------------------------------------------------------------------------------------------


def test_a_write_token_changes_its_office_s_offer_through_the_service(client, writer, hotel, manager):
    url = reverse("api:offer", args=[hotel.pk])
    response = client.patch(
        url, payload(hotel, name="Hôtel de la Plage ***", labels=[]), content_type="application/json",
        headers=bearer(writer),
    )  # fmt: skip
    assert response.status_code == 200, response.content
    hotel.refresh_from_db()
    assert hotel.name == "Hôtel de la Plage ***"
    assert hotel.version == 2
    assert hotel.updated_by == manager
    assert response.json()["version"] == 2
    entry = AuditEntry.objects.get(object_id=hotel.pk, action=AuditEntry.Action.UPDATE)
    assert entry.user == manager
    assert any(c["field"] == "name" for c in entry.changes)


def test_a_stale_version_gets_409_and_changes_nothing(client, writer, hotel):
    url = reverse("api:offer", args=[hotel.pk])
    body = payload(hotel, name="Premier")
    assert client.patch(url, body, content_type="application/json", headers=bearer(writer)).status_code == 200
    late = client.patch(url, body | {"name": "Second"}, content_type="application/json", headers=bearer(writer))
    assert late.status_code == 409
    assert "enregistré cette offre" in late.json()["detail"]
    hotel.refresh_from_db()
    assert hotel.name == "Premier"


def test_bad_input_gets_400_with_each_field_s_error(client, writer, hotel):
    url = reverse("api:offer", args=[hotel.pk])
    bad = payload(hotel, types=["NoSuchType"], postcode="75001", periods=[{"start_date": "2026-05-02",
                  "end_date": "2026-05-01"}])  # fmt: skip
    response = client.patch(url, bad, content_type="application/json", headers=bearer(writer))
    assert response.status_code == 400
    errors = response.json()
    assert {"types", "postcode", "periods"} <= set(errors)
    missing = client.patch(url, {"name": "x"}, content_type="application/json", headers=bearer(writer))
    assert missing.status_code == 400
    assert "version" in missing.json()
    hotel.refresh_from_db()
    assert hotel.version == 1


def test_a_token_cannot_write_another_office_s_offer(client, writer, their_hotel):
    response = client.patch(
        reverse("api:offer", args=[their_hotel.pk]), payload(their_hotel, name="Pris"),
        content_type="application/json", headers=bearer(writer),
    )  # fmt: skip
    assert response.status_code == 403
    assert "La Croix-Valmer" in response.json()["detail"]
    their_hotel.refresh_from_db()
    assert their_hotel.name == "Hôtel du Cap"
    assert their_hotel.version == 1


def test_an_administrator_s_token_still_writes_only_its_office(client, network_admin, their_hotel):
    raw = token_of(network_admin, Scope.READ, Scope.WRITE)
    response = client.patch(
        reverse("api:offer", args=[their_hotel.pk]), payload(their_hotel, name="Pris"),
        content_type="application/json", headers=bearer(raw),
    )  # fmt: skip
    assert response.status_code == 403
    their_hotel.refresh_from_db()
    assert their_hotel.name == "Hôtel du Cap"


def test_a_read_only_token_cannot_write(client, reader, hotel):
    response = client.patch(
        reverse("api:offer", args=[hotel.pk]), payload(hotel, name="Non"), content_type="application/json",
        headers=bearer(reader),
    )  # fmt: skip
    assert response.status_code == 403
    assert "ne peut que lire" in response.json()["detail"]
    hotel.refresh_from_db()
    assert hotel.name == "Hôtel de la Plage"


NEW_OFFER = {
    "name": "Gîte des Mimosas",
    "types": ["Hotel"],
    "status": "published",
    "short_description_fr": "Au calme.",
    "periods": [{"start_date": "2026-06-01", "end_date": "2026-09-30", "weekdays": [0, 1, 2], "opens": "09:00",
                 "closes": "18:00"}],
    "prices": [{"label": "Nuit", "min_amount": "80.00", "unit": "night"}],
}  # fmt: skip


def test_a_write_token_creates_an_offer_in_its_territory(client, writer, cavalaire, manager):
    body = NEW_OFFER | {"commune": "83036"}
    response = client.post(reverse("api:offers"), body, content_type="application/json", headers=bearer(writer))
    assert response.status_code == 201, response.content
    offer = Offer.objects.get(name="Gîte des Mimosas")
    assert offer.owner_office == cavalaire
    assert offer.periods.count() == 1
    assert offer.prices.get().min_amount == 80
    assert response.json()["id"] == offer.pk
    assert AuditEntry.objects.filter(object_id=offer.pk, action=AuditEntry.Action.CREATE, user=manager).exists()


def test_an_offer_in_another_office_s_territory_is_refused(client, writer, croix_valmer, network_admin, cdt_var):
    body = NEW_OFFER | {"commune": "83048"}
    response = client.post(reverse("api:offers"), body, content_type="application/json", headers=bearer(writer))
    assert response.status_code == 400
    assert "commune" in response.json()
    assert not Offer.objects.filter(name="Gîte des Mimosas").exists()
    # An administrator may choose the owner: through a token, always the token's office.
    admin_token = token_of(network_admin, Scope.READ, Scope.WRITE)
    response = client.post(reverse("api:offers"), body, content_type="application/json", headers=bearer(admin_token))
    assert response.status_code == 201
    assert Offer.objects.get(name="Gîte des Mimosas").owner_office == cdt_var


def test_availability_read_and_written_for_its_own_accommodation(client, writer, hotel, their_hotel):
    url = reverse("api:availability", args=[hotel.pk])
    start = datetime.date.today() + datetime.timedelta(days=5)
    end = start + datetime.timedelta(days=2)
    body = {"start": start.isoformat(), "end": end.isoformat(), "state": "few", "units_free": 2}
    response = client.post(url, body, content_type="application/json", headers=bearer(writer))
    assert response.status_code == 200
    assert response.json() == {"changed": 3}
    nights = client.get(url, {"start": start.isoformat(), "end": end.isoformat()}, headers=bearer(writer)).json()
    assert [(n["state"], n["units_free"]) for n in nights] == [("few", 2)] * 3
    theirs = client.post(
        reverse("api:availability", args=[their_hotel.pk]), body, content_type="application/json",
        headers=bearer(writer),
    )  # fmt: skip
    assert theirs.status_code == 403
    assert not AvailabilityNight.objects.filter(offer=their_hotel).exists()
    bad = client.post(url, body | {"end": "1999-01-01"}, content_type="application/json", headers=bearer(writer))
    assert bad.status_code == 400
    assert "end" in bad.json()


# Description --------------------------------------------------------------------------------------------------------


def test_the_openapi_description_is_valid(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/offers/{id}/" in (tmp_path / "schema.yaml").read_text()


def test_the_documentation_page_uses_our_own_files(client):
    page = client.get(reverse("api:docs")).content.decode()
    assert "<style" not in page  # refused by the Content-Security-Policy
    assert "<script>" not in page  # the settings come from a file (?script)
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
