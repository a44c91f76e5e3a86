"""The route catalogue covers the URL resolver and aims every route at either office's objects.

That each entry's valid values are valid (its base request succeeds) is checked by the fuzz test, route by route,
before it changes them.
"""

from .routes import ROUTES, Tenancy, named_routes, path


def test_every_named_route_has_an_entry():
    assert sorted(named_routes() - set(ROUTES)) == []
    assert sorted(set(ROUTES) - named_routes()) == []


def test_routes_with_objects_reach_the_other_office_s_ones(world):
    """Aimed at the other office, a route with objects in its path reaches that office's objects; only these do not
    depend on the office (both offices share the département; an export format or table; the admin site's group)."""
    same = {
        name
        for name, route in ROUTES.items()
        if route.kwargs and path(name, world, world.own) == path(name, world, world.other)
    }
    admin = {name for name, route in ROUTES.items() if route.kwargs and route.tenancy == Tenancy.ADMIN}
    assert same - admin == {
        "network:department_edit",
        "documentation:stock_export",
        "documentation:movement_export",
        "desk:visitors_export",
        "contacts:export",
        "observatory:office_export",
        "observatory:department_export",
        "observatory:network_export",
        "offer:export",
    }
