"""Writes of the documentation stock. Views, the counter screen, the API and imports all go through here.

Stock quantities change only here, always with a movement recording who, when, why and the balance after it.
Exactness under concurrency: a removal is one conditional UPDATE (`quantity >= n`), so two counters handing out the
last copies at the same moment never take more than there is; the balance is read back in the same transaction,
while the row is still locked by that UPDATE (PostgreSQL), or inside the immediate write transaction (SQLite).
Rows are always touched in the same order (document, place) so that multi-line writes cannot deadlock.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.core import activity
from acvs.core.audit import audit_record, snapshot_diff
from acvs.core.exceptions import check_version
from acvs.core.models import AuditEntry
from acvs.network import rules
from acvs.network.models import Membership, Office

from .models import (
    Document,
    Movement,
    MovementKind,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Place,
    Stock,
    StockSetting,
)
from .models.stock import INCOMING, OUTGOING, WITH_COUNTERPART

MAX_QUANTITY = 1_000_000


# Catalogue ---------------------------------------------------------------------------------------------------------

DOCUMENT_AUDITED = [
    "title", "publisher", "publisher_name", "language", "edition_year", "unit_weight_g", "is_current", "description",
    "pdf", "public_url",
]  # fmt: skip


def document_snapshot(document: Document) -> dict:
    snap = {}
    for name in DOCUMENT_AUDITED:
        value = getattr(document, name)
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        snap[name] = (str(document._meta.get_field(name).verbose_name), "" if value is None else str(value))
    if document.pk:
        snap["themes"] = (_("themes"), ", ".join(sorted(str(t) for t in document.themes.all())))
    return snap


def _save_document(document: Document, fields: dict, themes, membership: Membership, before: dict, action: str):
    for name, value in fields.items():
        # As ModelForm does: a cleared cover comes as False and must empty the file field.
        document._meta.get_field(name).save_form_data(document, value)
    if document.publisher_id:
        document.publisher_name = ""
    document.updated_by = membership.user
    document.full_clean(exclude=["managed_by", "created_by", "updated_by"])
    document.save()
    if themes is not None:
        document.themes.set(themes)
    changes = snapshot_diff(before, document_snapshot(document))
    if changes:
        audit_record(instance=document, action=action, user=membership.user, office=membership.office, changes=changes)
    return document


@transaction.atomic
def document_create(*, membership: Membership, fields: dict, themes=None) -> Document:
    """Add a document to the catalogue; the acting office keeps its record."""
    if not rules.can_create_documents(membership):
        raise PermissionDenied(_("Your role does not allow adding documents to the catalogue."))
    document = Document(managed_by=membership.office, created_by=membership.user)
    return _save_document(document, fields, themes, membership, {}, AuditEntry.Action.CREATE)


@transaction.atomic
def document_update(*, membership: Membership, document: Document, version: int, fields: dict, themes=None) -> Document:
    """Apply `fields` if nobody saved the document since `version` was read (else ConflictError, nothing saved)."""
    locked = Document.objects.select_for_update().select_related("managed_by").get(pk=document.pk)
    if not rules.can_change_document(membership, locked):
        raise PermissionDenied(_("Only the office that keeps this document’s record can change it."))
    message = _("%(user)s saved this document at %(time)s, after you opened it. Your changes were not saved.")
    check_version(locked, version, message)
    before = document_snapshot(locked)
    locked.version += 1
    return _save_document(locked, fields, themes, membership, before, AuditEntry.Action.UPDATE)


# Stock -------------------------------------------------------------------------------------------------------------


def _check_stock(membership: Membership | None, office: Office) -> None:
    if not rules.can_change_stock(membership, office):
        raise PermissionDenied(_("Only the office’s own agents and managers change its stock."))


def _check_quantity(quantity, *, allow_zero: bool = False) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise ValidationError({"quantity": _("Type a whole number of copies.")})
    if quantity < 0 or (quantity == 0 and not allow_zero):
        raise ValidationError({"quantity": _("Type a number of copies greater than zero.")})
    if quantity > MAX_QUANTITY:
        raise ValidationError({"quantity": _("At most %(max)s copies at once.") % {"max": MAX_QUANTITY}})
    return quantity


def _rows(office: Office, document: Document, place: str):
    return Stock.objects.filter(office=office, document=document, place=place)


def _ensure_row(office: Office, document: Document, place: str) -> None:
    # INSERT … ON CONFLICT DO NOTHING on both databases: a concurrent creation of the same row is not an error.
    Stock.objects.bulk_create([Stock(office=office, document=document, place=place)], ignore_conflicts=True)


def _balance(office: Office, document: Document, place: str) -> int:
    return _rows(office, document, place).values_list("quantity", flat=True).first() or 0


def _add(office: Office, document: Document, place: str, quantity: int) -> int:
    """Add copies; returns the exact balance after (the row stays locked until the transaction ends)."""
    _ensure_row(office, document, place)
    _rows(office, document, place).update(quantity=F("quantity") + quantity, updated_at=timezone.now())
    return _balance(office, document, place)


def _take(office: Office, document: Document, place: str, quantity: int) -> int:
    """Remove copies if there are enough, in one conditional UPDATE; returns the exact balance after."""
    done = (
        _rows(office, document, place)
        .filter(quantity__gte=quantity)
        .update(quantity=F("quantity") - quantity, updated_at=timezone.now())
    )
    if not done:
        raise ValidationError(
            {
                "quantity": _(
                    "Not enough copies of “%(document)s” (%(place)s): %(available)s in stock, %(wanted)s asked. "
                    "Nothing was recorded."
                )
                % {
                    "document": document.title,
                    "place": Place(place).label,
                    "available": _balance(office, document, place),
                    "wanted": quantity,
                }
            }
        )
    return _balance(office, document, place)


def _movement(membership, document, place, kind, delta, balance, **extra) -> Movement:
    movement = Movement.objects.create(
        office=membership.office,
        document=document,
        place=place,
        kind=kind,
        quantity=delta,
        balance_after=balance,
        user=membership.user,
        **extra,
    )
    if kind == MovementKind.HANDED_OUT:  # the observatory counts the copies handed out per day
        activity.touched(movement.office_id, [movement.at])
    return movement


def _check_place(place: str) -> str:
    if place not in Place.values:
        raise ValidationError({"place": _("Unknown place.")})
    return place


@transaction.atomic
def movement_record(
    *,
    membership: Membership,
    document: Document,
    kind: str,
    quantity: int,
    place: str = Place.STOREROOM,
    reason: str = "",
    counterpart: Office | None = None,
    visitor_request=None,
    order: Order | None = None,
) -> Movement:
    """Record one movement of the acting office's stock.

    Incoming kinds add `quantity`, outgoing kinds remove it (refused, with nothing recorded, if there are not
    enough); an adjustment sets the counted `quantity` and records the difference. Places are changed with
    `stock_move`.
    """
    office = membership.office if membership else None
    _check_stock(membership, office)
    _check_place(place)
    reason = (reason or "").strip()
    errors = {}
    if kind not in INCOMING | OUTGOING | {MovementKind.ADJUSTMENT}:
        errors["kind"] = _("Choose what happened to the copies.")
    elif kind in WITH_COUNTERPART and counterpart is None:
        errors["counterpart"] = _("Choose the other office of the transfer.")
    elif counterpart is not None and counterpart.pk == office.pk:
        errors["counterpart"] = _("The other office cannot be your own office.")
    if kind in (MovementKind.ADJUSTMENT, MovementKind.DESTROYED) and not reason:
        errors["reason"] = _("Say why (inventory, damaged copies, outdated edition…).")
    if visitor_request is not None and visitor_request.office_id != office.pk:
        raise PermissionDenied(_("This request belongs to another office."))
    if errors:
        raise ValidationError(errors)
    _check_quantity(quantity, allow_zero=kind == MovementKind.ADJUSTMENT)
    if kind not in WITH_COUNTERPART:
        counterpart = None
    extra = {"reason": reason, "counterpart": counterpart, "visitor_request": visitor_request, "order": order}
    if kind == MovementKind.ADJUSTMENT:
        _ensure_row(office, document, place)
        stock = _rows(office, document, place).select_for_update().get()
        delta = quantity - stock.quantity
        _rows(office, document, place).update(quantity=quantity, updated_at=timezone.now())
        return _movement(membership, document, place, kind, delta, quantity, **extra)
    if kind in INCOMING:
        return _movement(membership, document, place, kind, quantity, _add(office, document, place, quantity), **extra)
    balance = _take(office, document, place, quantity)
    return _movement(membership, document, place, kind, -quantity, balance, **extra)


@transaction.atomic
def stock_move(
    *,
    membership: Membership,
    document: Document,
    quantity: int,
    source: str = Place.STOREROOM,
    destination: str = Place.COUNTER,
    reason: str = "",
) -> tuple[Movement, Movement]:
    """Move copies between two places of the acting office (storeroom → counter by default)."""
    office = membership.office if membership else None
    _check_stock(membership, office)
    _check_place(source)
    _check_place(destination)
    if source == destination:
        raise ValidationError({"destination": _("Choose two different places.")})
    _check_quantity(quantity)
    # Same lock order as every other write: the document's places in a fixed order.
    if source < destination:
        taken, added = _take(office, document, source, quantity), _add(office, document, destination, quantity)
    else:
        added, taken = _add(office, document, destination, quantity), _take(office, document, source, quantity)
    kind = MovementKind.MOVED
    out = _movement(membership, document, source, kind, -quantity, taken, reason=reason)
    return out, _movement(membership, document, destination, kind, quantity, added, reason=reason)


@transaction.atomic
def handout(*, membership: Membership, visitor_request=None, lines: dict[Document, int]) -> list[Movement]:
    """Hand documents to a visitor from the counter place: one movement per document, on the request if given.

    All or nothing: when a document lacks copies, a ValidationError lists every shortage and nothing is recorded.
    Call it inside the transaction that records the request for both to be one step.
    """
    office = membership.office if membership else None
    _check_stock(membership, office)
    if visitor_request is not None and visitor_request.office_id != office.pk:
        raise PermissionDenied(_("This request belongs to another office."))
    wanted = [(document, qty) for document, qty in lines.items() if qty]
    if not wanted:
        raise ValidationError(_("Choose at least one document to hand out."))
    shortages, movements = [], []
    for document, qty in sorted(wanted, key=lambda line: line[0].pk):
        _check_quantity(qty)
        try:
            balance = _take(office, document, Place.COUNTER, qty)
        except ValidationError as error:
            shortages.extend(error.message_dict["quantity"])
            continue
        movements.append(
            Movement(
                office=office, document=document, place=Place.COUNTER, kind=MovementKind.HANDED_OUT, quantity=-qty,
                balance_after=balance, user=membership.user, visitor_request=visitor_request,
            )
        )  # fmt: skip
    if shortages:
        # Raising rolls back the copies already taken for the other lines.
        raise ValidationError(shortages)
    activity.touched(office, [movement.at for movement in movements])
    return Movement.objects.bulk_create(movements)


@transaction.atomic
def stock_setting_set(
    *, membership: Membership, document: Document, alert_threshold: int, reorder_quantity: int
) -> StockSetting:
    office = membership.office if membership else None
    _check_stock(membership, office)
    for name, value in (("alert_threshold", alert_threshold), ("reorder_quantity", reorder_quantity)):
        if not isinstance(value, int) or value < 0 or value > MAX_QUANTITY:
            raise ValidationError({name: _("Type a whole number, zero or more.")})
    setting, _created = StockSetting.objects.update_or_create(
        office=office,
        document=document,
        defaults={"alert_threshold": alert_threshold, "reorder_quantity": reorder_quantity},
    )
    return setting


# Orders ------------------------------------------------------------------------------------------------------------


def _event(order: Order, membership: Membership, comment: str = "") -> None:
    OrderEvent.objects.create(
        order=order, status=order.status, user=membership.user, office=membership.office, comment=comment
    )


@transaction.atomic
def order_create(*, membership: Membership, supplier: Office, lines: dict[Document, int], note: str = "") -> Order:
    """The acting office orders documents from `supplier` (usually their publisher)."""
    if not rules.can_order(membership):
        raise PermissionDenied(_("Your role does not allow ordering documents."))
    errors = {}
    if supplier is None or not supplier.is_active:
        errors["supplier"] = _("Choose an active office to order from.")
    elif supplier.pk == membership.office_id:
        errors["supplier"] = _("An office cannot order from itself.")
    wanted = {document: qty for document, qty in lines.items() if qty}
    if not wanted:
        errors["lines"] = _("Order at least one copy of one document.")
    if errors:
        raise ValidationError(errors)
    for qty in wanted.values():
        _check_quantity(qty)
    order = Order.objects.create(
        requester=membership.office, supplier=supplier, note=(note or "").strip(), created_by=membership.user
    )
    OrderLine.objects.bulk_create(
        [OrderLine(order=order, document=d, quantity=q) for d, q in sorted(wanted.items(), key=lambda x: x[0].pk)]
    )
    _event(order, membership)
    return order


def _lock_order(membership: Membership, order: Order, step: str) -> Order:
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if not rules.can_see_order(membership, locked):
        raise PermissionDenied(_("This order concerns other offices."))
    if not rules.can_act_on_order(membership, locked, step):
        if not rules.can_act_on_orders(membership):
            # A read-only partner of one of the two offices: a matter of role, whichever side or status.
            raise PermissionDenied(_("Your role does not allow acting on orders."))
        side, statuses = rules.ORDER_STEPS[step]
        if locked.status not in statuses:
            raise ValidationError(
                _("This order is now “%(status)s”: it cannot be changed that way.")
                % {"status": locked.get_status_display()}
            )
        raise PermissionDenied(_("This step belongs to the other office of the order."))
    return locked


@transaction.atomic
def order_accept(*, membership: Membership, order: Order, comment: str = "") -> Order:
    locked = _lock_order(membership, order, "accept")
    locked.status = OrderStatus.ACCEPTED
    locked.save(update_fields=["status", "updated_at"])
    _event(locked, membership, comment)
    return locked


@transaction.atomic
def order_refuse(*, membership: Membership, order: Order, reason: str) -> Order:
    locked = _lock_order(membership, order, "refuse")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the order is refused.")})
    locked.status = OrderStatus.REFUSED
    locked.save(update_fields=["status", "updated_at"])
    _event(locked, membership, reason.strip())
    return locked


@transaction.atomic
def order_cancel(*, membership: Membership, order: Order, reason: str = "") -> Order:
    locked = _lock_order(membership, order, "cancel")
    locked.status = OrderStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    _event(locked, membership, (reason or "").strip())
    return locked


@transaction.atomic
def order_ship(
    *, membership: Membership, order: Order, shipped: dict[int, int] | None = None, place: str = Place.STOREROOM
) -> Order:
    """The supplier sends the copies: taken from its stock at `place`, all lines or nothing.

    `shipped` maps line ids to the quantity sent (default: the quantity ordered); at least one copy in all.
    The movements link the order and store no reason: "Order #N" is shown in the reader's language
    (`Movement.reason_label`), never stored in the language of whoever clicked.
    """
    locked = _lock_order(membership, order, "ship")
    _check_place(place)
    lines = list(locked.lines.select_related("document").order_by("document_id"))
    errors = []
    for line in lines:
        qty = (shipped or {}).get(line.pk, line.quantity)
        if not isinstance(qty, int) or qty < 0 or qty > line.quantity:
            errors.append(
                _("Ship between 0 and %(max)s copies of “%(document)s”.")
                % {"max": line.quantity, "document": line.document.title}
            )
        line.quantity_shipped = qty
    if errors:
        raise ValidationError(errors)
    if not any(line.quantity_shipped for line in lines):
        raise ValidationError(_("Ship at least one copy, or refuse the order."))
    shortages = []
    for line in lines:
        if not line.quantity_shipped:
            continue
        try:
            balance = _take(locked.supplier, line.document, place, line.quantity_shipped)
        except ValidationError as error:
            shortages.extend(error.message_dict["quantity"])
            continue
        _movement(
            membership, line.document, place, MovementKind.TRANSFER_OUT, -line.quantity_shipped, balance,
            order=locked, counterpart=locked.requester,
        )  # fmt: skip
    if shortages:
        raise ValidationError(shortages)
    OrderLine.objects.bulk_update(lines, ["quantity_shipped"])
    locked.status = OrderStatus.SHIPPED
    locked.save(update_fields=["status", "updated_at"])
    _event(locked, membership)
    return locked


@transaction.atomic
def order_receive(*, membership: Membership, order: Order, place: str = Place.STOREROOM) -> Order:
    """The requester records the copies that arrived: added to its stock at `place`."""
    locked = _lock_order(membership, order, "receive")
    _check_place(place)
    for line in locked.lines.select_related("document").order_by("document_id"):
        if not line.quantity_shipped:
            continue
        balance = _add(locked.requester, line.document, place, line.quantity_shipped)
        _movement(
            membership, line.document, place, MovementKind.TRANSFER_IN, line.quantity_shipped, balance,
            order=locked, counterpart=locked.supplier,
        )  # fmt: skip
    locked.status = OrderStatus.RECEIVED
    locked.save(update_fields=["status", "updated_at"])
    _event(locked, membership)
    return locked
