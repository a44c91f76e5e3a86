"""The route catalogue covers the URL resolver, and each entry's base request does what it says."""

import pytest

from .routes import ROUTES, named_routes, params, path


def test_every_named_route_has_an_entry():
    assert sorted(named_routes() - set(ROUTES)) == []
    assert sorted(set(ROUTES) - named_routes()) == []


def login(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def form_errors(response) -> dict:
    """The errors of the forms a page shows again, to say why a base request was refused."""
    found = {}
    for key, value in (response.context or {}).items() if response.context else []:
        errors = getattr(value, "errors", None)
        if errors:
            found[key] = errors
    return found


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_base_request_succeeds(client, world, name):
    """The catalogue's valid values are valid: the base request of each method answers as the entry says."""
    route = ROUTES[name]
    login(client, world, route.actor)
    url = path(name, world, world.own)
    query = params(route.query, world, world.own)
    for method in route.methods:
        send = client.get if method == "GET" else client.post
        response = send(url, query if method == "GET" else params(route.form, world, world.own))
        expected = route.ok.get(method, 200 if method == "GET" else 302)
        assert (method, response.status_code) == (method, expected), form_errors(response)
