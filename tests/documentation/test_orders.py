"""Orders through the pages: the requester orders, the supplier accepts and ships, the requester receives."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from acvs.documentation.models import Order, OrderStatus, Place, StockSetting
from acvs.network.models import Role
from tests.conftest import make_user
from tests.documentation.conftest import quantity, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def cdt_agent(cdt_var):
    return make_user("cdt.agent", cdt_var, Role.AGENT)


def step(client, order, name, **data):
    return client.post(reverse("documentation:order_step", args=[order.pk, name]), data)


def test_order_full_cycle_through_the_pages(client, agent, cdt_agent, cavalaire, cdt_var, guide, map_):
    receive(cdt_agent, guide, 300, Place.STOREROOM)
    receive(cdt_agent, map_, 10, Place.STOREROOM)
    client.force_login(agent)
    form_url = reverse("documentation:order_create") + f"?supplier={cdt_var.pk}&document={guide.pk}"
    page = client.get(form_url)
    assert sorted(d.pk for d in page.context["documents"]) == sorted([guide.pk, map_.pk])
    empty = client.post(form_url, {"supplier": cdt_var.pk, "note": "Pour juillet"})
    assert empty.status_code == 400
    assert "Order at least one copy of one document." in empty.content.decode()
    assert "Pour juillet" in empty.content.decode()
    bad = client.post(form_url, {"supplier": cdt_var.pk, f"doc-{guide.pk}": "-4"})
    assert "A number of copies cannot be negative." in bad.content.decode()
    response = client.post(form_url, {"supplier": cdt_var.pk, f"doc-{guide.pk}": "200", f"doc-{map_.pk}": "20"})
    order = Order.objects.get()
    assert response["Location"] == reverse("documentation:order", args=[order.pk])
    assert [o.pk for o in client.get(reverse("documentation:orders")).context["lists"].outgoing] == [order.pk]

    client.force_login(cdt_agent)
    assert [o.pk for o in client.get(reverse("documentation:orders")).context["lists"].incoming] == [order.pk]
    assert step(client, order, "accept").status_code == 302
    lines = {line.document_id: line.pk for line in order.lines.all()}
    # 20 maps asked, 10 held: shipping everything is refused with a message, nothing moves.
    refused = client.post(
        reverse("documentation:order_step", args=[order.pk, "ship"]), {"place": "storeroom"}, follow=True
    )
    assert "10 in stock, 20 asked" in refused.content.decode()
    assert quantity(cdt_var, guide, "storeroom") == 300
    too_many = step(client, order, "ship", place="storeroom", **{f"line-{lines[map_.pk]}": "25"})
    assert too_many.status_code == 400
    assert "Ship between 0 and 20 copies" in too_many.content.decode()
    assert step(client, order, "ship", place="storeroom", **{f"line-{lines[map_.pk]}": "10"}).status_code == 302
    assert (quantity(cdt_var, guide, "storeroom"), quantity(cdt_var, map_, "storeroom")) == (100, 0)

    client.force_login(agent)
    page = client.get(reverse("documentation:order", args=[order.pk]))
    assert page.context["actions"] == ["receive"]
    assert step(client, order, "receive", place="counter").status_code == 302
    assert (quantity(cavalaire, guide), quantity(cavalaire, map_)) == (200, 10)
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED
    history = client.get(reverse("documentation:order", args=[order.pk])).content.decode()
    for label in ("Requested", "Accepted", "Shipped", "Delivered"):
        assert label in history


def test_refusing_needs_a_reason_and_cancelling_needs_a_confirmation(client, agent, cdt_agent, cdt_var, guide):
    client.force_login(agent)
    url = reverse("documentation:order_create") + f"?supplier={cdt_var.pk}"
    client.post(url, {"supplier": cdt_var.pk, f"doc-{guide.pk}": "5"})
    client.post(url, {"supplier": cdt_var.pk, f"doc-{guide.pk}": "7"})
    first, second = Order.objects.order_by("pk")
    page = client.get(reverse("documentation:order", args=[first.pk])).content.decode()
    assert "Confirm: cancel this order" in page  # behind a <details> confirmation
    assert step(client, first, "cancel", reason="Doublon").status_code == 302

    client.force_login(cdt_agent)
    no_reason = step(client, second, "refuse", reason="")
    assert no_reason.status_code == 400
    assert "Say why the order is refused." in no_reason.content.decode()
    assert step(client, second, "refuse", reason="Édition épuisée").status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (OrderStatus.CANCELLED, OrderStatus.REFUSED)
    # A closed order offers no step any more; trying one anyway changes nothing.
    assert client.get(reverse("documentation:order", args=[second.pk])).context["actions"] == []
    late = step(client, second, "accept")
    assert late.status_code == 400
    assert "This order is now “Refused”" in late.content.decode()
    second.refresh_from_db()
    assert second.status == OrderStatus.REFUSED


def test_a_new_order_shown_again_keeps_every_line_even_from_the_link(client, agent, cavalaire, cdt_var, make_document):
    # Published by Cavalaire and not held by the CDT: offered only because the link asks for it.
    linked = make_document("Plan de Cavalaire", publisher=cavalaire)
    StockSetting.objects.create(office=cavalaire, document=linked, alert_threshold=5, reorder_quantity=50)
    client.force_login(agent)
    page = client.get(reverse("documentation:order_create") + f"?supplier={cdt_var.pk}&document={linked.pk}")
    assert [d.pk for d in page.context["documents"]] == [linked.pk]
    assert page.context["documents"][0].field_value == 50  # the usual quantity, from the link
    action = re.search(r'<form method="post" action="([^"]*)" id="order-form"', page.content.decode()).group(1)
    # The browser posts to the form's action, with a bad quantity on the linked line.
    response = client.post(
        reverse("documentation:order_create") + action.replace("&amp;", "&"),
        {"supplier": cdt_var.pk, f"doc-{linked.pk}": "douze", "note": "Pour l’été"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert [d.pk for d in response.context["documents"]] == [linked.pk]
    assert f'name="doc-{linked.pk}" id="id_doc-{linked.pk}" value="douze"' in body
    assert "Type a whole number of copies." in body
    # Posted to the bare supplier address (an older page, another client): the line is still kept.
    bare = reverse("documentation:order_create") + f"?supplier={cdt_var.pk}"
    response = client.post(bare, {"supplier": cdt_var.pk, f"doc-{linked.pk}": "12"})
    assert response.status_code == 302
    assert Order.objects.get().lines.get().document == linked
    # An emptied line is not filled again with the usual quantity when the form comes back.
    again = client.post(bare, {"supplier": cdt_var.pk, f"doc-{linked.pk}": ""})
    assert again.status_code == 400
    assert f'name="doc-{linked.pk}" id="id_doc-{linked.pk}" value=""' in again.content.decode()


def test_order_movements_are_labelled_in_the_reader_language(client, agent, cdt_agent, cavalaire, cdt_var, guide):
    from acvs.documentation import services
    from tests.conftest import membership

    receive(cdt_agent, guide, 20, Place.STOREROOM)
    order = services.order_create(membership=membership(agent), supplier=cdt_var, lines={guide: 5})
    services.order_accept(membership=membership(cdt_agent), order=order)
    services.order_ship(membership=membership(cdt_agent), order=order)
    services.order_receive(membership=membership(agent), order=order)
    client.force_login(agent)
    english = client.get(reverse("documentation:movements")).content.decode()
    assert f"<td>Order #{order.pk}</td>" in english
    export = client.get(reverse("documentation:movement_export", args=["csv"])).content.decode("utf-8-sig")
    assert export.splitlines()[1].endswith(f";{order.pk};Order #{order.pk}")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get(reverse("documentation:movements")).content.decode()
    assert f"<td>Commande nº {order.pk}</td>" in french
    export = client.get(reverse("documentation:movement_export", args=["csv"])).content.decode("utf-8-sig")
    assert export.splitlines()[1].endswith(f";{order.pk};Commande nº {order.pk}")


@pytest.mark.parametrize("link", ["abc", str(2**63), "9" * 40])
def test_a_malformed_order_link_asks_for_no_document(client, agent, cdt_var, make_document, link):
    linked = make_document("Plan de Cavalaire", publisher=None, publisher_name="Mairie")
    client.force_login(agent)
    page = client.get(reverse("documentation:order_create"), {"supplier": cdt_var.pk, "document": [linked.pk, link]})
    assert page.status_code == 200
    assert page.context["documents"] == []
