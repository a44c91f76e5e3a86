"""Reads of the documentation stock. Stock, movements and orders are read only here, always for one office."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from acvs.desk.models import Theme
from acvs.network.models import Office

from .models import Document, Movement, MovementKind, Order, OrderStatus, Place, Stock, StockSetting
from .models.orders import OPEN_ORDER_STATUSES


def _require(office: Office | None) -> Office:
    if office is None or office.pk is None:
        raise Http404("No office")
    return office


def _stock_sum(office: Office, place: str | None = None):
    rows = Stock.objects.for_office(office).filter(document=OuterRef("pk"))
    if place:
        rows = rows.filter(place=place)
    total = rows.order_by().values("document").annotate(total=Sum("quantity")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def _setting(office: Office, name: str):
    rows = StockSetting.objects.for_office(office).filter(document=OuterRef("pk")).values(name)[:1]
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def catalogue(office: Office | None):
    """Every document of the network, with the stock of `office` (counter, storeroom, total) and its threshold."""
    qs = Document.objects.select_related("publisher", "managed_by").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("position"))
    )
    if office is None or office.pk is None:
        return qs.annotate(at_counter=Value(0), in_storeroom=Value(0), in_stock=Value(0), threshold=Value(0))
    return qs.annotate(
        at_counter=_stock_sum(office, Place.COUNTER),
        in_storeroom=_stock_sum(office, Place.STOREROOM),
        in_stock=_stock_sum(office),
        threshold=_setting(office, "alert_threshold"),
        reorder_quantity=_setting(office, "reorder_quantity"),
    )


def get_document(pk) -> Document:
    try:
        return Document.objects.select_related("publisher", "managed_by", "managed_by__department").get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404("No such document") from None


def office_stock(office: Office):
    """The documents `office` holds or watches (stock or threshold), with its quantities."""
    office = _require(office)
    held = Stock.objects.for_office(office).filter(quantity__gt=0).values("document")
    watched = StockSetting.objects.for_office(office).filter(alert_threshold__gt=0).values("document")
    return catalogue(office).filter(Q(pk__in=held) | Q(pk__in=watched))


def to_reorder(office: Office):
    """Documents whose stock fell to the alert threshold or below, lowest first."""
    return office_stock(office).filter(threshold__gt=0, in_stock__lte=F("threshold")).order_by("in_stock", "title")


def stock_places(office: Office, document: Document) -> dict[str, int]:
    found = dict(Stock.objects.for_office(_require(office)).filter(document=document).values_list("place", "quantity"))
    return {place: found.get(place, 0) for place in Place.values}


def stock_setting(office: Office, document: Document) -> StockSetting:
    found = StockSetting.objects.for_office(_require(office)).filter(document=document).first()
    return found or StockSetting(office=office, document=document)


def network_stock(document: Document, exclude: Office | None = None):
    """Offices holding copies of `document` (stock levels are not personal data), most first: where to order."""
    qs = (
        Office.objects.filter(is_active=True, document_stocks__document=document)
        .annotate(total=Sum("document_stocks__quantity"))
        .filter(total__gt=0)
        .order_by("-total", "name")
    )
    return qs.exclude(pk=exclude.pk) if exclude is not None else qs


def movements(office: Office):
    return (
        Movement.objects.for_office(_require(office))
        .select_related("document", "user", "counterpart", "order")
        .order_by("-at", "-pk")
    )


def document_movements(office: Office, document: Document, limit: int = 20):
    return list(movements(office).filter(document=document)[:limit])


def request_handouts(visitor_request):
    """What the request's visitor was given (movements of the request's own office only)."""
    return list(
        Movement.objects.for_office(visitor_request.office)
        .filter(visitor_request=visitor_request, kind=MovementKind.HANDED_OUT)
        .select_related("document", "user")
        .order_by("at", "pk")
    )


def counter_documents(office: Office | None, limit: int | None = 12) -> list[Document]:
    """Documents in stock at the office's counter, the most recently handed out first; each has `.quantity`.

    Read from the office's counter stock rows (a few dozen), not the whole catalogue. Nothing without an office.
    """
    if office is None or office.pk is None:
        return []
    recent = (
        Movement.objects.for_office(office)
        .filter(kind=MovementKind.HANDED_OUT, document=OuterRef("document"))
        .order_by("-at")
        .values("at")[:1]
    )
    stocks = (
        Stock.objects.for_office(office)
        .filter(place=Place.COUNTER, quantity__gt=0)
        .select_related("document")
        .annotate(last_handed_out=Subquery(recent))
        .order_by(F("last_handed_out").desc(nulls_last=True), "document__title", "document__pk")
    )
    documents = []
    for stock in stocks[:limit] if limit else stocks:
        stock.document.quantity = stock.quantity
        documents.append(stock.document)
    return documents


def offices_for_orders(office: Office):
    """Offices one may order from: every other active office, CDTs first."""
    return (
        Office.objects.filter(is_active=True)
        .exclude(pk=_require(office).pk)
        .annotate(is_cdt=Case(When(kind=Office.Kind.CDT, then=Value(0)), default=Value(1)))
        .order_by("is_cdt", "name")
    )


@dataclass
class OrderLists:
    outgoing: list
    incoming: list


def orders(office: Office):
    return (
        Order.objects.for_office(_require(office))
        .select_related("requester", "supplier", "created_by")
        .annotate(line_count=Count("lines"), copies=Sum("lines__quantity"))
    )


def order_lists(office: Office, status: str = "") -> OrderLists:
    qs = orders(office)
    if status == "open":
        qs = qs.filter(status__in=OPEN_ORDER_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return OrderLists(outgoing=list(qs.filter(requester=office)), incoming=list(qs.filter(supplier=office)))


def get_order_for_office(office: Office | None, pk) -> Order:
    """One order `office` placed or must supply; 404 for any other office."""
    try:
        return (
            Order.objects.for_office(_require(office))
            .select_related("requester", "supplier", "created_by")
            .prefetch_related("lines__document", "events__user", "events__office")
            .get(pk=pk)
        )
    except (Order.DoesNotExist, ValueError, TypeError):
        raise Http404("No such order") from None


def open_orders_count(office: Office) -> dict[str, int]:
    qs = Order.objects.for_office(_require(office))
    return {
        "to_supply": qs.filter(supplier=office, status__in=[OrderStatus.REQUESTED, OrderStatus.ACCEPTED]).count(),
        "to_receive": qs.filter(requester=office, status=OrderStatus.SHIPPED).count(),
    }
