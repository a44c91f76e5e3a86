import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter

from acvs.core.converters import MAX_ID


def converters(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from p.pattern.converters.values()
            yield from converters(p.url_patterns)
        elif isinstance(p, URLPattern):
            yield from p.pattern.converters.values()


def test_no_route_takes_unbounded_integers():
    assert [c for c in converters(get_resolver().url_patterns) if isinstance(c, IntConverter)] == []


def test_ids_up_to_the_largest_bigint_resolve():
    assert resolve(f"/offers/{MAX_ID}/").kwargs == {"pk": MAX_ID}
    with pytest.raises(Resolver404):
        resolve(f"/offers/{MAX_ID + 1}/")
    with pytest.raises(Resolver404):
        resolve(f"/offers/{'9' * 40}/")


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("offer:photo_delete", {"pk": 1, "photo_pk": MAX_ID + 1}),
        ("desk:unsuggest", {"pk": 1, "offer_pk": MAX_ID + 1}),
        ("agenda:schedule_delete", {"pk": MAX_ID + 1, "schedule_pk": 1}),
    ],
)
def test_ids_beyond_64_bits_are_not_found(client, agent, name, kwargs):
    client.force_login(agent)
    assert client.post(reverse(name, kwargs=kwargs)).status_code == 404
