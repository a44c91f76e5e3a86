"""Isolation, tested by trying to break it: other offices and read-only partners try to read and write."""

import pytest
from django.urls import reverse

from acvs.documentation import forms, services
from acvs.documentation.models import Movement, OrderStatus, Place
from acvs.network.models import Role
from tests.conftest import make_user, membership
from tests.documentation.conftest import quantity, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def cdt_agent(cdt_var):
    return make_user("cdt.agent", cdt_var, Role.AGENT)


@pytest.fixture
def order(croix_valmer, other_agent, cdt_var, guide):
    """An order between La Croix-Valmer and the CDT: none of Cavalaire's business."""
    return services.order_create(membership=membership(other_agent), supplier=cdt_var, lines={guide: 10})


def test_another_office_posting_on_my_document_never_touches_my_stock(client, agent, other_agent, cavalaire, guide):
    receive(agent, guide, 5)
    client.force_login(other_agent)
    url = reverse("documentation:movement", args=[guide.pk])
    response = client.post(url, {"kind": "destroyed", "place": "counter", "quantity": 5, "reason": "Sabotage"})
    # Its own stock is empty: refused, and Cavalaire's stock is untouched.
    assert response.status_code == 400
    adjust = {"kind": "adjustment", "place": "counter", "quantity": 0, "reason": "Sabotage"}
    assert client.post(url, adjust).status_code == 302
    assert quantity(cavalaire, guide) == 5
    assert list(Movement.objects.filter(office=cavalaire).values_list("quantity", flat=True)) == [5]
    # My stock page shows my stock only.
    client.force_login(agent)
    page = client.get(reverse("documentation:stock"))
    assert [(d.pk, d.in_stock) for d in page.context["documents"]] == [(guide.pk, 5)]


def test_partner_reads_but_never_writes(client, agent, partner, cavalaire, cdt_var, guide, make_request):
    receive(agent, guide, 5)
    client.force_login(partner)
    assert client.get(reverse("documentation:catalogue")).status_code == 200
    detail = client.get(reverse("documentation:detail", args=[guide.pk]))
    assert detail.status_code == 200
    assert 'id="movement-form"' not in detail.content.decode()
    assert client.get(reverse("documentation:stock")).status_code == 200
    order_url = reverse("documentation:order_create") + f"?supplier={cdt_var.pk}"
    attempts = [
        (reverse("documentation:movement", args=[guide.pk]), {"kind": "destroyed", "place": "counter", "quantity": 5}),
        (reverse("documentation:move", args=[guide.pk]), {"quantity": 1, "source": "counter"}),
        (reverse("documentation:threshold", args=[guide.pk]), {"alert_threshold": 1, "reorder_quantity": 1}),
        (reverse("documentation:create"), {"title": "X", "publisher": cavalaire.pk, "language": "fr"}),
        (order_url, {"supplier": cdt_var.pk, f"doc-{guide.pk}": 1}),
        (reverse("documentation:handout", args=[make_request().pk]), {f"doc-{guide.pk}": 1}),
    ]
    for url, data in attempts:
        assert client.post(url, data).status_code == 403, url
    assert quantity(cavalaire, guide) == 5
    assert Movement.objects.count() == 1


def test_an_order_between_two_other_offices_is_out_of_reach(client, agent, manager, order, guide):
    for user in (agent, manager):
        client.force_login(user)
        assert client.get(reverse("documentation:order", args=[order.pk])).status_code == 404
        for step in ("accept", "refuse", "ship", "receive", "cancel"):
            url = reverse("documentation:order_step", args=[order.pk, step])
            assert client.post(url, {"reason": "x", "place": "storeroom"}).status_code == 404
        orders = client.get(reverse("documentation:orders"), {"status": "all"}).context["lists"]
        assert (orders.incoming, orders.outgoing) == ([], [])
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED
    assert order.events.count() == 1


def test_each_side_takes_only_its_own_steps(client, other_agent, cdt_agent, order):
    client.force_login(other_agent)  # the requester cannot accept its own order
    assert client.post(reverse("documentation:order_step", args=[order.pk, "accept"])).status_code == 403
    client.force_login(cdt_agent)  # the supplier cannot cancel it
    assert client.post(reverse("documentation:order_step", args=[order.pk, "cancel"])).status_code == 403
    assert client.post(reverse("documentation:order_step", args=[order.pk, "bogus"])).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED


def test_another_office_request_cannot_receive_my_brochures(client, agent, other_agent, cavalaire, guide, make_request):
    receive(other_agent, guide, 5)
    mine = make_request()  # a Cavalaire request
    client.force_login(other_agent)
    url = reverse("documentation:handout", args=[mine.pk])
    assert client.post(url, {f"doc-{guide.pk}": 1}).status_code == 404
    assert not Movement.objects.filter(visitor_request=mine).exists()


def test_parse_handout_reads_the_field_convention(agent, cavalaire, guide, map_):
    data = {
        f"doc-{guide.pk}": "2", f"doc-{map_.pk}": " 0 ", "doc-999999": "1", "doc-abc": "4", "csrfmiddlewaretoken": "x",
    }  # fmt: skip
    lines, errors = forms.parse_handout(data, cavalaire)
    assert lines == {guide: 2}
    assert errors == {"doc-999999": "Unknown document."}
    lines, errors = forms.parse_handout({f"doc-{guide.pk}": "-1", f"doc-{map_.pk}": "1.5"}, cavalaire)
    assert lines == {}
    assert errors == {
        f"doc-{guide.pk}": "A number of copies cannot be negative.",
        f"doc-{map_.pk}": "Type a whole number of copies.",
    }
    assert forms.parse_handout({f"doc-{guide.pk}": "2"}, None) == ({}, {})
    assert forms.parse_handout({f"doc-{guide.pk}": "501"}, cavalaire)[1] == {
        f"doc-{guide.pk}": "At most 500 copies at once."
    }


def test_counter_integration_in_one_transaction(agent, cavalaire, guide):
    """What the counter screen does: record the request and hand out in one step; a shortage undoes both."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from acvs.desk import services as desk_services
    from acvs.desk.models import VisitorRequest
    from acvs.desk.services import RequestData

    receive(agent, guide, 1, Place.COUNTER)
    acting = membership(agent)
    data = RequestData(fields={"origin": "abroad", "country": "IT", "adults": 1, "children": 0, "language": "it"})
    lines, errors = forms.parse_handout({f"doc-{guide.pk}": "2"}, cavalaire)
    assert errors == {}

    def counter_step():
        with transaction.atomic():
            created = desk_services.request_create(membership=acting, data=data)
            services.handout(membership=acting, visitor_request=created, lines=lines)

    with pytest.raises(ValidationError):
        counter_step()
    assert not VisitorRequest.objects.exists()
    assert quantity(cavalaire, guide) == 1


def test_a_partner_on_one_side_of_an_order_is_told_why_it_cannot_act(client, agent, cdt_var, guide):
    partner = make_user("cdt.partner", cdt_var, Role.PARTNER)
    order = services.order_create(membership=membership(agent), supplier=cdt_var, lines={guide: 10})
    client.force_login(partner)
    page = client.get(reverse("documentation:order", args=[order.pk]))
    assert page.context["actions"] == []
    response = client.post(reverse("documentation:order_step", args=[order.pk, "accept"]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Your role does not allow acting on orders." in body
    assert "belongs to the other office" not in body
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED
