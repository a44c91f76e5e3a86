"""Handing brochures out from the counter screen: the request and the stock change in one step."""

from django.urls import reverse

from acvs.desk.models import VisitorRequest
from acvs.documentation.models import Movement, MovementKind
from tests.documentation.conftest import quantity, receive

WALK_IN = {"origin_pick": "country:DE", "adults": 2, "children": 2, "language": "de", "outcome": "fully"}
HTMX = {"HX-Request": "true"}


def test_counter_shows_the_brochures_in_stock_at_the_counter(client, agent, guide, map_):
    receive(agent, guide, 10)
    client.force_login(agent)
    body = client.get(reverse("desk:counter")).content.decode()
    assert f'name="doc-{guide.pk}"' in body
    assert f'name="doc-{map_.pk}"' not in body  # none at this counter


def test_recording_with_brochures_takes_them_out_of_stock_on_the_request(client, agent, cavalaire, guide, map_):
    receive(agent, guide, 10)
    receive(agent, map_, 3)
    client.force_login(agent)
    payload = {**WALK_IN, f"doc-{guide.pk}": "2", f"doc-{map_.pk}": "1"}
    response = client.post(reverse("desk:counter"), payload, headers=HTMX)
    assert response.status_code == 200
    created = VisitorRequest.objects.get()
    handed = Movement.objects.filter(visitor_request=created, kind=MovementKind.HANDED_OUT)
    assert sorted(handed.values_list("document_id", "quantity")) == sorted([(guide.pk, -2), (map_.pk, -1)])
    assert (quantity(cavalaire, guide), quantity(cavalaire, map_)) == (8, 2)
    # The answer refreshes the brochure fields with the stock left.
    body = response.content.decode()
    assert 'id="handout-fields" hx-swap-oob="true"' in body
    assert "8 left" in body


def test_a_shortage_records_nothing_and_keeps_what_was_typed(client, agent, cavalaire, guide, map_):
    receive(agent, guide, 10)
    receive(agent, map_, 1)
    client.force_login(agent)
    payload = {**WALK_IN, "children": 3, f"doc-{guide.pk}": "2", f"doc-{map_.pk}": "5"}
    response = client.post(reverse("desk:counter"), payload, headers=HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert map_.title in body
    assert 'value="5"' in body  # the copies asked for
    assert 'value="3"' in body  # the children
    assert not VisitorRequest.objects.exists()
    assert (quantity(cavalaire, guide), quantity(cavalaire, map_)) == (10, 1)
    assert not Movement.objects.filter(kind=MovementKind.HANDED_OUT).exists()


def test_bad_copies_are_refused_with_a_message(client, agent, guide):
    receive(agent, guide, 10)
    client.force_login(agent)
    response = client.post(reverse("desk:counter"), {**WALK_IN, f"doc-{guide.pk}": "-2"})
    assert response.status_code == 400
    assert "A number of copies cannot be negative." in response.content.decode()
    assert not VisitorRequest.objects.exists()


def test_another_offices_brochure_cannot_be_handed_out(client, agent, other_agent, croix_valmer, guide):
    receive(other_agent, guide, 10)
    client.force_login(agent)
    response = client.post(reverse("desk:counter"), {**WALK_IN, f"doc-{guide.pk}": "1"})
    assert response.status_code == 400
    assert not VisitorRequest.objects.exists()
    assert quantity(croix_valmer, guide) == 10
