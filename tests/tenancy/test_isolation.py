"""Isolation, tested by trying to break it: every route, aimed at another office's objects, by every role.

For each route of the catalogue (tests/security/routes.py: a new route without an entry fails
`test_every_route_has_an_entry`), the agent, the manager and the read-only partner of Cavalaire, an administrator of
another département and an anonymous visitor send the route's requests built from La Croix-Valmer's objects
(`world.other`). What they get depends on what the route does with such an object (`EXPECTED`):

- refused: 403 or 404 (anonymous: the log-in page), and the database is exactly as before (every table's rows);
- reads: a shared object (offer, provider, document) is read like any other; its writes are refused as above;
- own: the route acts on the actor's own office only (no object in its path, or one's own stock of a shared
  document): whatever it answers, nothing of La Croix-Valmer changes and none of its private data is shown.

The control: La Croix-Valmer's own people send the same requests and get what the catalogue says (`ok`), so the
objects are reachable and the requests valid, and a refusal above is the isolation at work, not a broken request.
Each request runs in a savepoint rolled back afterwards.
"""

import hashlib
from enum import StrEnum

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django_scopes import scopes_disabled

from acvs.core.tenancy import scope_for
from tests.security.routes import ROUTES, Tenancy, named_routes, params, path

pytestmark = pytest.mark.django_db

ROLES = ("agent", "manager", "partner", "other_department_admin", "anonymous")


class Expect(StrEnum):
    REFUSED = "refused"
    READS = "reads"
    OWN = "own"


BY_TENANCY = {
    Tenancy.PRIVATE: Expect.REFUSED,
    Tenancy.MANAGED: Expect.REFUSED,
    Tenancy.ADMIN: Expect.REFUSED,
    Tenancy.SHARED: Expect.READS,
    Tenancy.NONE: Expect.OWN,
}
# Routes whose expectation is not their tenancy's.
OVERRIDES = {
    # The edit pages of a shared object are its writes: refused to whoever does not own it.
    "offer:edit": Expect.REFUSED,
    "offer:provider_edit": Expect.REFUSED,
    "documentation:edit": Expect.REFUSED,
    # One's own stock of a document another office keeps in the catalogue.
    "documentation:movement": Expect.OWN,
    "documentation:move": Expect.OWN,
    "documentation:threshold": Expect.OWN,
    # The admin site's log-in and log-out pages hold no office's data.
    "admin:login": Expect.OWN,
    "admin:logout": Expect.OWN,
}
# Routes left out, and why.
EXEMPT = {
    "booklet:public": "the unguessable link is the right to read that one booklet (tests/tenancy/test_scopes.py)",
    "booklet:public_colours": "the same unguessable link: that booklet's colour sheet",
    "contacts:keep": "the signed link sent to a contact is the right to keep it (tests/contacts/test_retention.py)",
    "campaigns:unsubscribe": "the signed link is the right to unsubscribe that one recipient (tests/campaigns)",
    "campaigns:preferences": "the signed link is the right to set that one recipient's preferences (tests/campaigns)",
    "contacts:public": "an office's public page, anyone's (tests/contacts/test_public.py: never another office's)",
    "contacts:confirm": "the signed link is the right to confirm that one consent (tests/contacts/test_optin.py)",
    "campaigns:open": "the signed token is the right to count one message's open (tests/campaigns/test_tracking.py)",
    "campaigns:click": "the signature over recipient and destination is the right (tests/campaigns/test_tracking.py)",
    "documentation:public_pdf": "the signed link to a brochure's PDF, public material (tests/documentation)",
}
EXPECTED = {
    name: OVERRIDES.get(name, BY_TENANCY.get(route.tenancy)) for name, route in ROUTES.items() if name not in EXEMPT
}
# Who acts for La Croix-Valmer in the control: its agent, or an administrator of its département (the catalogue's
# managing actors).
CONTROL = {"agent": "other_agent", "manager": "department_admin"}

# Rows a request may change whoever sends it: the visitor's session.
IGNORED_TABLES = {"django_session"}
# Reference data no route writes: counted, not read row by row (tens of thousands of communes).
COUNTED_TABLES = {"network_commune", "offer_offertype", "offer_offertype_parents", "offer_offertype_ancestors"}


def test_every_route_has_an_entry():
    assert sorted(named_routes() - set(ROUTES)) == []
    assert sorted(set(ROUTES) - named_routes()) == []
    assert sorted(name for name, expected in EXPECTED.items() if expected is None) == []


def database() -> dict[str, tuple]:
    """Every table: its row count, and a digest of its rows (reference tables: the count only)."""
    found = {}
    with scopes_disabled():
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in IGNORED_TABLES or not model._meta.managed:  # unmanaged: search postings kept by triggers
                continue
            rows = model._base_manager.order_by("pk")
            if table in COUNTED_TABLES:
                found[table] = (rows.count(),)
                continue
            names = [f.attname for f in model._meta.concrete_fields]
            found[table] = (rows.count(), hashlib.sha256(repr(list(rows.values_list(*names))).encode()).hexdigest())
    return found


# What belongs to an office besides its private rows: the shared records it owns.
OWNED = {
    "network.Office": "pk",
    "network.Membership": "office",
    "offer.Offer": "owner_office",
    "offer.OfferPhoto": "offer__owner_office",
    "offer.OpeningPeriod": "offer__owner_office",
    "offer.Price": "offer__owner_office",
    "offer.Provider": "owner_office",
    "offer.ProviderContact": "provider__owner_office",
    "agenda.EventSchedule": "offer__owner_office",
    "availability.AvailabilityNight": "offer__owner_office",
    "documentation.Document": "managed_by",
}


def office_world(office) -> dict[str, list]:
    """Every row that is `office`'s: its private rows (read in its scope) and the shared records it owns."""
    found = {}
    with scope_for(office=office):
        for model in apps.get_models():
            if hasattr(model._default_manager, "tenant_keys"):
                found[model._meta.label] = list(model.objects.order_by("pk").values())
    with scopes_disabled():
        for label, owner in OWNED.items():
            model = apps.get_model(label)
            found[label] = list(model._base_manager.filter(**{owner: office.pk}).order_by("pk").values())
    return found


def send(client, name, world, method, htmx):
    route = ROUTES[name]
    side = world.other
    url = path(name, world, side)
    query = params(route.query, world, side)
    headers = {"HX-Request": "true", **route.htmx} if htmx and route.htmx is not None else {}
    if method == "GET":
        return client.get(url, query, headers=headers)
    return client.post(url, params(route.form, world, side), headers=headers)


def probe(client, name, world, method, check, htmx=True):
    """Send the request (as htmx does, for a route that has a fragment) in a savepoint; `check(response)` sees the
    database before it is rolled back."""
    with transaction.atomic():
        response = send(client, name, world, method, htmx)
        check(response)
        transaction.set_rollback(True)


def clients(world) -> dict[str, Client]:
    logged = {}
    for role in (*ROLES, "control"):
        client = Client()
        user = world.users.get(role) if role != "control" else None
        if user is not None:
            client.force_login(user)
        logged[role] = client
    return logged


def login_page(response) -> bool:
    return response.status_code == 302 and "login" in response["Location"]


def anonymous_refused(route, response) -> bool:
    """The log-in page, or the status of a route that answers for itself (the API: 401)."""
    return response.status_code == route.anonymous if route.anonymous else login_page(response)


def secrets(world) -> list[str]:
    """What only La Croix-Valmer may read: its booklet's title and its request's visitor's details."""
    return [world.other.booklet.title, world.other.booklet.token]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_another_office_object_is_out_of_reach(world, name):
    route, expected = ROUTES[name], EXPECTED[name]
    logged = clients(world)
    before = database()
    theirs = office_world(world.other.office)

    for role in ROLES:
        for method in route.methods:
            where = (name, role, method)

            def check(response, role=role, method=method, where=where):
                assert response.status_code < 500, where
                body = response.content.decode(errors="replace") if not response.streaming else ""
                assert not any(secret in body for secret in secrets(world)), where
                refused = (
                    anonymous_refused(route, response) if role == "anonymous" else response.status_code in (403, 404)
                )
                if expected is Expect.REFUSED or (expected is Expect.READS and method == "POST"):
                    # The admin site sends whoever is not staff to its own log-in page.
                    assert refused or (route.tenancy is Tenancy.ADMIN and login_page(response)), where
                    assert database() == before, where
                elif expected is Expect.READS:
                    assert anonymous_refused(route, response) if role == "anonymous" else response.status_code == 200, (
                        where
                    )
                    assert database() == before, where
                else:
                    assert office_world(world.other.office) == theirs, where

            probe(logged[role], name, world, method, check)


@pytest.mark.parametrize(
    # The admin site's objects belong to no office: only superusers reach them.
    "name",
    sorted(n for n, e in EXPECTED.items() if e is not Expect.OWN and ROUTES[n].tenancy is not Tenancy.ADMIN),
)
def test_the_owner_reaches_it(world, name):
    """The control: the requests above are valid and the object reachable, for the office it belongs to."""
    route = ROUTES[name]
    actor = CONTROL.get(route.actor, route.actor)
    if route.actor == "manager" and route.tenancy is Tenancy.PRIVATE:
        actor = "other_manager"  # an office's private pages for its managers (settings, imports): its own manager
    client = Client()
    client.force_login(world.other.agent if actor == "other_agent" else world.users[actor])
    for method in route.methods:
        expected = route.ok.get(method, 200 if method == "GET" else 302)
        probe(client, name, world, method, lambda response, m=method, e=expected: _is(response, e, (name, m)), False)


def _is(response, status, where):
    assert response.status_code == status, where
