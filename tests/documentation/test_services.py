import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from acvs.core.models import AuditEntry
from acvs.core.tenancy import scope_for
from acvs.documentation import selectors, services
from acvs.documentation.models import Movement, MovementKind, OrderStatus, Place, StockSetting
from acvs.network import rules
from tests.conftest import make_user, membership
from tests.documentation.conftest import quantity, receive

pytestmark = pytest.mark.django_db


def test_received_adds_and_records_who_when_and_balance(agent, cavalaire, guide):
    first = receive(agent, guide, 50, Place.STOREROOM)
    second = receive(agent, guide, 30, Place.STOREROOM)
    assert quantity(cavalaire, guide, Place.STOREROOM) == 80
    assert (first.quantity, first.balance_after, second.balance_after) == (50, 50, 80)
    assert (second.user, second.office) == (agent, cavalaire)


@pytest.mark.parametrize("kind", [MovementKind.HANDED_OUT, MovementKind.POSTED, MovementKind.DESTROYED])
def test_outgoing_kinds_remove(agent, cavalaire, guide, kind):
    receive(agent, guide, 10)
    m = services.movement_record(
        membership=membership(agent), document=guide, kind=kind, quantity=4, place=Place.COUNTER, reason="Abîmés"
    )
    assert (m.quantity, m.balance_after) == (-4, 6)
    assert quantity(cavalaire, guide) == 6


def test_transfers_need_the_other_office(agent, cavalaire, croix_valmer, guide):
    receive(agent, guide, 10)
    with pytest.raises(ValidationError) as error:
        services.movement_record(
            membership=membership(agent), document=guide, kind=MovementKind.TRANSFER_OUT, quantity=2,
            place=Place.COUNTER,
        )  # fmt: skip
    assert "counterpart" in error.value.message_dict
    out = services.movement_record(
        membership=membership(agent), document=guide, kind=MovementKind.TRANSFER_OUT, quantity=2,
        place=Place.COUNTER, counterpart=croix_valmer,
    )  # fmt: skip
    incoming = services.movement_record(
        membership=membership(agent), document=guide, kind=MovementKind.TRANSFER_IN, quantity=5,
        place=Place.COUNTER, counterpart=croix_valmer,
    )  # fmt: skip
    assert (out.balance_after, incoming.balance_after, out.counterpart) == (8, 13, croix_valmer)
    # The other office's stock is not touched by my transfers.
    assert quantity(croix_valmer, guide) == 0


def test_stock_never_goes_negative_and_nothing_is_recorded(agent, cavalaire, guide):
    receive(agent, guide, 3)
    with pytest.raises(ValidationError) as error:
        services.movement_record(
            membership=membership(agent), document=guide, kind=MovementKind.POSTED, quantity=4, place=Place.COUNTER
        )
    assert "3 in stock, 4 asked" in error.value.message_dict["quantity"][0]
    assert quantity(cavalaire, guide) == 3
    assert Movement.objects.count() == 1
    with pytest.raises(ValidationError):  # no row at all at the storeroom
        services.movement_record(
            membership=membership(agent), document=guide, kind=MovementKind.POSTED, quantity=1, place=Place.STOREROOM
        )


@pytest.mark.parametrize("bad", [0, -3, "4", 2.5, None])
def test_quantities_must_be_positive_whole_numbers(agent, guide, bad):
    with pytest.raises(ValidationError) as error:
        services.movement_record(
            membership=membership(agent), document=guide, kind=MovementKind.RECEIVED, quantity=bad, place="counter"
        )
    assert "quantity" in error.value.message_dict
    assert Movement.objects.count() == 0


def test_adjustment_sets_the_counted_quantity_and_records_the_difference(agent, cavalaire, guide):
    receive(agent, guide, 40, Place.STOREROOM)
    with pytest.raises(ValidationError) as error:
        services.movement_record(
            membership=membership(agent), document=guide, kind=MovementKind.ADJUSTMENT, quantity=35, place="storeroom"
        )
    assert "reason" in error.value.message_dict
    m = services.movement_record(
        membership=membership(agent), document=guide, kind=MovementKind.ADJUSTMENT, quantity=35,
        place=Place.STOREROOM, reason="Inventaire de juin",
    )  # fmt: skip
    assert (m.quantity, m.balance_after) == (-5, 35)
    up = services.movement_record(
        membership=membership(agent), document=guide, kind=MovementKind.ADJUSTMENT, quantity=36,
        place=Place.STOREROOM, reason="Carton retrouvé",
    )  # fmt: skip
    assert (up.quantity, up.balance_after) == (1, 36)
    zero = services.movement_record(
        membership=membership(agent), document=guide, kind=MovementKind.ADJUSTMENT, quantity=0,
        place=Place.COUNTER, reason="Présentoir vide",
    )  # fmt: skip
    assert (zero.quantity, zero.balance_after) == (0, 0)


def test_moving_from_the_storeroom_to_the_counter(agent, cavalaire, guide):
    receive(agent, guide, 20, Place.STOREROOM)
    out, into = services.stock_move(membership=membership(agent), document=guide, quantity=8)
    assert (out.place, out.quantity, out.balance_after) == ("storeroom", -8, 12)
    assert (into.place, into.quantity, into.balance_after) == ("counter", 8, 8)
    with pytest.raises(ValidationError):
        services.stock_move(membership=membership(agent), document=guide, quantity=13)
    assert (quantity(cavalaire, guide, "storeroom"), quantity(cavalaire, guide)) == (12, 8)
    with pytest.raises(ValidationError):
        services.stock_move(membership=membership(agent), document=guide, quantity=1, source="counter",
                            destination="counter")  # fmt: skip


def test_partner_cannot_change_stock(agent, partner, cavalaire, guide):
    receive(agent, guide, 5)
    with pytest.raises(PermissionDenied):
        services.movement_record(
            membership=membership(partner), document=guide, kind=MovementKind.DESTROYED, quantity=5,
            place=Place.COUNTER, reason="x",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.handout(membership=membership(partner), lines={guide: 1})
    with pytest.raises(PermissionDenied):
        services.stock_setting_set(
            membership=membership(partner), document=guide, alert_threshold=1, reorder_quantity=1
        )
    assert quantity(cavalaire, guide) == 5


def test_another_office_only_ever_reaches_its_own_stock(agent, other_agent, network_admin, cavalaire, guide):
    """The office comes from the acting membership, never from the input: another office cannot address mine."""
    receive(agent, guide, 5)
    for user in (other_agent, network_admin):
        with pytest.raises(ValidationError):  # its own (empty) stock, not Cavalaire's
            services.movement_record(
                membership=membership(user), document=guide, kind=MovementKind.POSTED, quantity=1, place="counter"
            )
    assert quantity(cavalaire, guide) == 5
    assert not rules.can_change_stock(membership(other_agent), cavalaire)
    assert not rules.can_change_stock(membership(network_admin), cavalaire)
    assert rules.can_change_stock(membership(agent), cavalaire)


def test_handout_on_a_request_takes_from_the_counter(agent, cavalaire, guide, map_, make_request):
    receive(agent, guide, 10)
    receive(agent, map_, 2)
    receive(agent, map_, 50, Place.STOREROOM)
    visitor_request = make_request()
    moves = services.handout(membership=membership(agent), visitor_request=visitor_request, lines={guide: 2, map_: 1})
    assert sorted((m.document.pk, m.quantity, m.balance_after) for m in moves) == sorted(
        [(guide.pk, -2, 8), (map_.pk, -1, 1)]
    )
    handed = selectors.request_handouts(visitor_request)
    assert [(m.document, m.quantity) for m in handed] == [(guide, -2), (map_, -1)]
    assert {m.kind for m in handed} == {MovementKind.HANDED_OUT}


def test_handout_short_of_one_document_records_nothing(agent, cavalaire, guide, map_, make_request):
    receive(agent, guide, 10)
    receive(agent, map_, 1)
    receive(agent, map_, 50, Place.STOREROOM)  # the storeroom does not count at the counter
    visitor_request = make_request()
    with pytest.raises(ValidationError) as error:
        services.handout(membership=membership(agent), visitor_request=visitor_request, lines={guide: 2, map_: 3})
    assert "Carte des randonnées" in error.value.messages[0]
    assert (quantity(cavalaire, guide), quantity(cavalaire, map_)) == (10, 1)
    assert not Movement.objects.filter(kind=MovementKind.HANDED_OUT).exists()
    with pytest.raises(ValidationError):
        services.handout(membership=membership(agent), visitor_request=visitor_request, lines={})


def test_handout_on_another_office_request_is_refused(agent, other_agent, croix_valmer, guide, make_request):
    receive(other_agent, guide, 10)
    mine = make_request()  # a Cavalaire request
    with pytest.raises(PermissionDenied):
        services.handout(membership=membership(other_agent), visitor_request=mine, lines={guide: 1})
    assert quantity(croix_valmer, guide) == 10


def test_thresholds_and_the_reorder_list(agent, cavalaire, guide, map_):
    receive(agent, guide, 10)
    receive(agent, map_, 100, Place.STOREROOM)
    services.stock_setting_set(membership=membership(agent), document=guide, alert_threshold=10, reorder_quantity=200)
    services.stock_setting_set(membership=membership(agent), document=map_, alert_threshold=20, reorder_quantity=0)
    with scope_for(office=cavalaire):
        assert list(selectors.to_reorder()) == [guide]
    with pytest.raises(ValidationError):
        services.stock_setting_set(membership=membership(agent), document=guide, alert_threshold=-1, reorder_quantity=0)
    assert StockSetting.objects.get(office=cavalaire, document=guide).alert_threshold == 10


def test_document_create_and_update_keep_a_history(agent, manager, other_agent, cavalaire, themes):
    doc = services.document_create(
        membership=membership(agent),
        fields={"title": "Plan de Cavalaire", "publisher": cavalaire, "language": "fr", "edition_year": 2026},
        themes=[themes["randonnee"]] if "randonnee" in themes else [],
    )
    assert doc.managed_by == cavalaire
    services.document_update(membership=membership(manager), document=doc, version=1, fields={"is_current": False})
    with pytest.raises(PermissionDenied):
        services.document_update(membership=membership(other_agent), document=doc, version=2, fields={"title": "Volé"})
    with pytest.raises(ValidationError) as error:
        services.document_create(
            membership=membership(agent), fields={"title": "Sans éditeur", "language": "xx", "publisher": None}
        )
    assert "language" in error.value.message_dict
    assert AuditEntry.objects.filter(object_id=doc.pk).count() == 2
    doc.refresh_from_db()
    assert (doc.title, doc.is_current) == ("Plan de Cavalaire", False)


def test_a_document_has_exactly_one_publisher(agent, cavalaire):
    with pytest.raises(ValidationError):
        services.document_create(membership=membership(agent), fields={"title": "Orphelin", "language": "fr"})
    partner_doc = services.document_create(
        membership=membership(agent), fields={"title": "Les vins de Bandol", "publisher_name": "Vins de Bandol"}
    )
    assert partner_doc.publisher_label == "Vins de Bandol"
    both = services.document_create(
        membership=membership(agent),
        fields={"title": "Plan", "publisher": cavalaire, "publisher_name": "Ignored when an office publishes"},
    )
    assert both.publisher_name == ""


# Orders ------------------------------------------------------------------------------------------------------------


@pytest.fixture
def cdt_agent(cdt_var):
    from acvs.network.models import Role

    return make_user("cdt.agent", cdt_var, Role.AGENT)


def test_order_full_cycle(agent, cdt_agent, cavalaire, cdt_var, guide, map_):
    receive(cdt_agent, guide, 500, Place.STOREROOM)
    receive(cdt_agent, map_, 100, Place.STOREROOM)
    order = services.order_create(
        membership=membership(agent), supplier=cdt_var, lines={guide: 200, map_: 50}, note="Pour la saison"
    )
    assert order.status == OrderStatus.REQUESTED
    # Steps of the other side are refused.
    with pytest.raises(PermissionDenied):
        services.order_accept(membership=membership(agent), order=order)
    order = services.order_accept(membership=membership(cdt_agent), order=order)
    with pytest.raises(PermissionDenied):
        services.order_ship(membership=membership(agent), order=order)
    lines = {line.document_id: line.pk for line in order.lines.all()}
    order = services.order_ship(membership=membership(cdt_agent), order=order, shipped={lines[map_.pk]: 30})
    assert order.status == OrderStatus.SHIPPED
    assert (quantity(cdt_var, guide, "storeroom"), quantity(cdt_var, map_, "storeroom")) == (300, 70)
    assert quantity(cavalaire, guide, "storeroom") == 0  # not yet received
    order = services.order_receive(membership=membership(agent), order=order)
    assert order.status == OrderStatus.RECEIVED
    assert (quantity(cavalaire, guide, "storeroom"), quantity(cavalaire, map_, "storeroom")) == (200, 30)
    assert [e.status for e in order.events.all()] == ["requested", "accepted", "shipped", "received"]
    kinds = sorted(Movement.objects.filter(order=order).values_list("office__slug", "kind", "quantity"))
    assert kinds == sorted(
        [
            ("cdt-var", "transfer_out", -200), ("cdt-var", "transfer_out", -30),
            ("cavalaire", "transfer_in", 200), ("cavalaire", "transfer_in", 30),
        ]
    )  # fmt: skip
    with pytest.raises(ValidationError):  # nothing more to do on a received order
        services.order_cancel(membership=membership(agent), order=order)


def test_shipping_without_enough_stock_is_refused_and_nothing_moves(agent, cdt_agent, cdt_var, guide, map_):
    receive(cdt_agent, guide, 500, Place.STOREROOM)
    receive(cdt_agent, map_, 10, Place.STOREROOM)
    order = services.order_create(membership=membership(agent), supplier=cdt_var, lines={guide: 200, map_: 50})
    services.order_accept(membership=membership(cdt_agent), order=order)
    with pytest.raises(ValidationError) as error:
        services.order_ship(membership=membership(cdt_agent), order=order)
    assert "10 in stock, 50 asked" in error.value.messages[0]
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert quantity(cdt_var, guide, "storeroom") == 500
    assert not Movement.objects.filter(order=order).exists()


def test_refused_and_cancelled_orders(agent, cdt_agent, cdt_var, guide):
    order = services.order_create(membership=membership(agent), supplier=cdt_var, lines={guide: 10})
    with pytest.raises(ValidationError):
        services.order_refuse(membership=membership(cdt_agent), order=order, reason="  ")
    refused = services.order_refuse(membership=membership(cdt_agent), order=order, reason="Édition épuisée")
    assert refused.status == OrderStatus.REFUSED
    assert refused.events.last().comment == "Édition épuisée"
    other = services.order_create(membership=membership(agent), supplier=cdt_var, lines={guide: 10})
    with pytest.raises(PermissionDenied):
        services.order_cancel(membership=membership(cdt_agent), order=other)
    assert services.order_cancel(membership=membership(agent), order=other).status == OrderStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.order_accept(membership=membership(cdt_agent), order=other)


def test_order_validation(agent, partner, cavalaire, cdt_var, guide):
    with pytest.raises(ValidationError) as error:
        services.order_create(membership=membership(agent), supplier=cavalaire, lines={guide: 0})
    assert set(error.value.message_dict) == {"supplier", "lines"}
    with pytest.raises(PermissionDenied):
        services.order_create(membership=membership(partner), supplier=cdt_var, lines={guide: 1})


def test_an_office_outside_the_order_can_do_nothing(agent, cdt_agent, other_agent, cdt_var, guide):
    order = services.order_create(membership=membership(agent), supplier=cdt_var, lines={guide: 10})
    for step in (services.order_accept, services.order_cancel):
        with pytest.raises(PermissionDenied):
            step(membership=membership(other_agent), order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED


def test_counter_documents_lists_the_counter_stock_most_handed_out_first(agent, cavalaire, make_document, guide):
    brochures = [make_document(f"Brochure {i}") for i in range(3)]
    for doc in [guide, *brochures]:
        receive(agent, doc, 5)
    receive(agent, make_document("Only in the storeroom"), 5, Place.STOREROOM)
    services.handout(membership=membership(agent), lines={brochures[2]: 1})
    with scope_for(office=cavalaire):
        found = selectors.counter_documents(limit=3)
    assert [d.pk for d in found] == [brochures[2].pk, brochures[0].pk, brochures[1].pk]
    assert [d.quantity for d in found] == [4, 5, 5]
    with scope_for(office=None):
        assert selectors.counter_documents() == []


# Catalogue versions, order rights and order reasons -----------------------------------------------------------------


def test_a_document_update_based_on_an_older_version_is_refused(agent, manager, cavalaire):
    from acvs.core.exceptions import ConflictError

    doc = services.document_create(
        membership=membership(agent), fields={"title": "Plan de Cavalaire", "publisher": cavalaire, "language": "fr"}
    )
    opened = doc.version
    saved = services.document_update(
        membership=membership(manager), document=doc, version=opened, fields={"title": "Plan 2027"}
    )
    assert (saved.version, saved.updated_by) == (opened + 1, manager)
    with pytest.raises(ConflictError) as conflict:
        services.document_update(
            membership=membership(agent), document=doc, version=opened, fields={"title": "Plan de la ville"}
        )
    assert "Manager saved this document at" in str(conflict.value)
    assert "Your changes were not saved." in str(conflict.value)
    doc.refresh_from_db()
    assert (doc.title, doc.version) == ("Plan 2027", opened + 1)
    assert AuditEntry.objects.filter(object_id=doc.pk, action=AuditEntry.Action.UPDATE).count() == 1


def test_a_read_only_partner_is_told_its_role_cannot_act_on_orders(agent, partner, cdt_agent, cdt_var, guide):
    from acvs.network.models import Role

    order = services.order_create(membership=membership(agent), supplier=cdt_var, lines={guide: 10})
    cdt_partner = make_user("cdt.partner", cdt_var, Role.PARTNER)
    for user, step in ((partner, services.order_cancel), (cdt_partner, services.order_accept)):
        with pytest.raises(PermissionDenied) as denied:
            step(membership=membership(user), order=order)
        assert str(denied.value) == "Your role does not allow acting on orders."
    # The genuine case keeps its own message: the requester's agent cannot take the supplier's step.
    with pytest.raises(PermissionDenied) as denied:
        services.order_accept(membership=membership(agent), order=order)
    assert str(denied.value) == "This step belongs to the other office of the order."
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED


def test_order_movements_store_no_language_dependent_reason(agent, cdt_agent, cdt_var, guide):
    from django.utils import translation

    receive(cdt_agent, guide, 50, Place.STOREROOM)
    order = services.order_create(membership=membership(agent), supplier=cdt_var, lines={guide: 10})
    services.order_accept(membership=membership(cdt_agent), order=order)
    with translation.override("fr"):  # whoever clicks, in whatever language
        services.order_ship(membership=membership(cdt_agent), order=order)
    services.order_receive(membership=membership(agent), order=order)
    moved = list(Movement.objects.filter(order=order))
    assert len(moved) == 2
    assert {m.reason for m in moved} == {""}
    # The label is translated when it is shown.
    assert {m.reason_label for m in moved} == {f"Order #{order.pk}"}
    with translation.override("fr"):
        assert {m.reason_label for m in moved} == {f"Commande nº {order.pk}"}
    typed = receive(agent, guide, 1)
    assert typed.reason_label == ""


def test_the_migration_empties_the_stored_order_reasons_only(agent, cdt_agent, cdt_var, guide):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("acvs.documentation.migrations.0003_movement_order_reason")
    receive(cdt_agent, guide, 50, Place.STOREROOM)
    order = services.order_create(membership=membership(agent), supplier=cdt_var, lines={guide: 10})
    services.order_accept(membership=membership(cdt_agent), order=order)
    services.order_ship(membership=membership(cdt_agent), order=order)
    services.order_receive(membership=membership(agent), order=order)
    out, into = Movement.objects.filter(order=order).order_by("kind")
    typed = receive(agent, guide, 1)
    # As stored before: in the language of whoever clicked; and a reason someone typed by hand.
    Movement.objects.filter(pk=out.pk).update(reason=f"Order #{order.pk}")
    Movement.objects.filter(pk=into.pk).update(reason=f"Commande nº {order.pk}")
    Movement.objects.filter(pk=typed.pk).update(
        reason=f"Commande nº {order.pk} livrée en retard", order=order, kind=MovementKind.TRANSFER_IN
    )
    migration.neutral_reasons(apps, None)
    reasons = dict(Movement.objects.filter(order=order).values_list("pk", "reason"))
    assert reasons == {out.pk: "", into.pk: "", typed.pk: f"Commande nº {order.pk} livrée en retard"}
