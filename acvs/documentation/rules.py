"""Rights on the documentation stock, in the style of network.rules: functions of the acting membership.

- Everyone with a membership reads the catalogue, its own office's stock and the network's stock levels (not
  personal data). Read-only partners never change anything.
- An office's stock changes only by its own agents, managers and administrators, acting for that office: even a
  network administrator changes another office's stock only by switching to it (where they are a member).
- The catalogue record of a document is kept by the office that created it: its editors and its administrators.
- An order is seen by its two offices only; the supplier accepts, refuses and ships, the requester receives or
  cancels.
"""

from acvs.network.models import Membership
from acvs.network.rules import EDITOR_ROLES, can_write_for_office

from .models import Order, OrderStatus


def can_use_documentation(m: Membership | None) -> bool:
    return m is not None


def can_change_stock(m: Membership | None, office) -> bool:
    return m is not None and m.role in EDITOR_ROLES and office is not None and m.office_id == office.pk


def can_create_documents(m: Membership | None) -> bool:
    return m is not None and m.role in EDITOR_ROLES


def can_change_document(m: Membership | None, document) -> bool:
    keeper = document.managed_by
    return can_write_for_office(m, keeper.pk, keeper.department_id)


def can_order(m: Membership | None) -> bool:
    return m is not None and m.role in EDITOR_ROLES


def can_see_order(m: Membership | None, order: Order) -> bool:
    return m is not None and m.office_id in (order.requester_id, order.supplier_id)


def can_act_on_orders(m: Membership | None) -> bool:
    """The role may take an order's steps (for its own office's side): not a read-only partner."""
    return m is not None and m.role in EDITOR_ROLES


def _acts_for(m: Membership | None, office_id: int) -> bool:
    return can_act_on_orders(m) and m.office_id == office_id


# Which side moves an order on, and from which statuses.
STEPS = {
    "accept": ("supplier", {OrderStatus.REQUESTED}),
    "refuse": ("supplier", {OrderStatus.REQUESTED, OrderStatus.ACCEPTED}),
    "ship": ("supplier", {OrderStatus.ACCEPTED}),
    "receive": ("requester", {OrderStatus.SHIPPED}),
    "cancel": ("requester", {OrderStatus.REQUESTED, OrderStatus.ACCEPTED}),
}


def can_act_on_order(m: Membership | None, order: Order, step: str) -> bool:
    """May take `step` on `order` now (right side, right role, right status)."""
    side, statuses = STEPS[step]
    return order.status in statuses and _acts_for(m, getattr(order, f"{side}_id"))


def order_actions(m: Membership | None, order: Order) -> list[str]:
    return [step for step in STEPS if can_act_on_order(m, order, step)]
