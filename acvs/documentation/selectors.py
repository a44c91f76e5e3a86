"""Reads of the documentation stock, in the acting office's scope (stock levels elsewhere: `all_offices`)."""

from dataclasses import dataclass

from django.core import signing
from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from acvs.core.tenancy import all_offices
from acvs.desk.models import Theme
from acvs.network.models import Office

from .models import Document, Movement, MovementKind, Order, OrderStatus, Place, Stock, StockSetting
from .models.orders import OPEN_ORDER_STATUSES


def _stock_sum(place: str | None = None):
    rows = Stock.objects.filter(document=OuterRef("pk"))
    if place:
        rows = rows.filter(place=place)
    total = rows.order_by().values("document").annotate(total=Sum("quantity")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def _setting(name: str):
    rows = StockSetting.objects.filter(document=OuterRef("pk")).values(name)[:1]
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def catalogue():
    """Every document of the network, with the acting office's stock (counter, storeroom, total) and threshold."""
    return (
        Document.objects.select_related("publisher", "managed_by")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position")))
        .annotate(
            at_counter=_stock_sum(Place.COUNTER),
            in_storeroom=_stock_sum(Place.STOREROOM),
            in_stock=_stock_sum(),
            threshold=_setting("alert_threshold"),
            reorder_quantity=_setting("reorder_quantity"),
        )
    )


def get_document(pk) -> Document:
    try:
        return Document.objects.select_related("publisher", "managed_by", "managed_by__department").get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404("No such document") from None


# Brochures sent by email ------------------------------------------------------------------------------------------

PDF_LINK_SALT = "documentation.brochure-pdf"
BROCHURE_SEARCH_LIMIT = 20


def pdf_link(document: Document) -> str:
    """The path of the brochure's PDF for anyone with the link (sent in answers): signed, so ids are not guessable."""
    return reverse("documentation:public_pdf", args=[signing.Signer(salt=PDF_LINK_SALT).sign(str(document.pk))])


def get_document_by_pdf_token(token: str) -> Document:
    """The document a signed PDF link names, when it still has a PDF; 404 otherwise."""
    try:
        pk = int(signing.Signer(salt=PDF_LINK_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise Http404("No such brochure") from None
    document = Document.objects.filter(pk=pk).exclude(pdf="").first()
    if document is None:
        raise Http404("No such brochure")
    return document


def emailable_brochures():
    """Documents that can go in a written answer: with a PDF or a public link."""
    return Document.objects.exclude(pdf="", public_url="").order_by("title", "language", "pk")


def search_brochures(text: str, exclude=()) -> list[Document]:
    """Current brochures of the catalogue whose title matches `text` and that can be emailed (a few)."""
    text = " ".join((text or "").split())[:100]
    if not text:
        return []
    rows = emailable_brochures().filter(is_current=True).exclude(pk__in=list(exclude))
    for word in text.split():
        rows = rows.filter(title__icontains=word)
    return list(rows[:BROCHURE_SEARCH_LIMIT])


def handed_out_documents(visitor_request) -> list[Document]:
    """The documents given to the request's visitor, each once, in the order they were given."""
    seen: dict[int, Document] = {}
    for movement in request_handouts(visitor_request):
        seen.setdefault(movement.document_id, movement.document)
    return list(seen.values())


def office_stock():
    """The documents the acting office holds or watches (stock or threshold), with its quantities."""
    held = Stock.objects.filter(quantity__gt=0).values("document")
    watched = StockSetting.objects.filter(alert_threshold__gt=0).values("document")
    return catalogue().filter(Q(pk__in=held) | Q(pk__in=watched))


def to_reorder():
    """Documents whose stock fell to the alert threshold or below, lowest first."""
    return office_stock().filter(threshold__gt=0, in_stock__lte=F("threshold")).order_by("in_stock", "title")


def stock_places(document: Document) -> dict[str, int]:
    found = dict(Stock.objects.filter(document=document).values_list("place", "quantity"))
    return {place: found.get(place, 0) for place in Place.values}


def stock_setting(office: Office, document: Document) -> StockSetting:
    found = StockSetting.objects.filter(document=document).first()
    return found or StockSetting(office=office, document=document)


def network_stock(document: Document, exclude: Office | None = None) -> list[Office]:
    """Offices holding copies of `document`, most first (each with `.total`): where to order."""
    with all_offices("network_stock"):
        totals = dict(
            Stock.objects.filter(document=document, office__is_active=True)
            .exclude(office=exclude)
            .values("office")
            .annotate(total=Sum("quantity"))
            .filter(total__gt=0)
            .values_list("office", "total")
        )
    offices = list(Office.objects.filter(pk__in=totals))
    for office in offices:
        office.total = totals[office.pk]
    return sorted(offices, key=lambda office: (-office.total, office.name))


def supplier_stock(supplier: Office, documents=None) -> dict[int, int]:
    """Copies `supplier` holds of each document (all of them, or of `documents`), to order from it."""
    with all_offices("network_stock"):
        rows = Stock.objects.filter(office=supplier, quantity__gt=0)
        if documents is not None:
            rows = rows.filter(document__in=documents)
        return dict(rows.values("document").annotate(total=Sum("quantity")).values_list("document", "total"))


def movements():
    return Movement.objects.select_related("document", "user", "counterpart", "order").order_by("-at", "-pk")


def document_movements(document: Document, limit: int = 20):
    return list(movements().filter(document=document)[:limit])


def request_handouts(visitor_request):
    """What the request's visitor was given."""
    return list(
        Movement.objects.filter(visitor_request=visitor_request, kind=MovementKind.HANDED_OUT)
        .select_related("document", "user")
        .order_by("at", "pk")
    )


def counter_documents(limit: int | None = 12) -> list[Document]:
    """Documents in stock at the acting office's counter, the most recently handed out first; each has `.quantity`.

    Read from the office's counter stock rows (a few dozen), not the whole catalogue.
    """
    recent = (
        Movement.objects.filter(kind=MovementKind.HANDED_OUT, document=OuterRef("document"))
        .order_by("-at")
        .values("at")[:1]
    )
    stocks = (
        Stock.objects.filter(place=Place.COUNTER, quantity__gt=0)
        .select_related("document")
        .annotate(last_handed_out=Subquery(recent))
        .order_by(F("last_handed_out").desc(nulls_last=True), "document__title", "document__pk")
    )
    documents = []
    for stock in stocks[:limit] if limit else stocks:
        stock.document.quantity = stock.quantity
        documents.append(stock.document)
    return documents


def offices_for_orders(office: Office | None):
    """Offices one may order from: every other active office, CDTs first."""
    return (
        Office.objects.filter(is_active=True)
        .exclude(pk=getattr(office, "pk", None))
        .annotate(is_cdt=Case(When(kind=Office.Kind.CDT, then=Value(0)), default=Value(1)))
        .order_by("is_cdt", "name")
    )


@dataclass
class OrderLists:
    outgoing: list
    incoming: list


def orders():
    return Order.objects.select_related("requester", "supplier", "created_by").annotate(
        line_count=Count("lines"), copies=Sum("lines__quantity")
    )


def order_lists(office: Office, status: str = "") -> OrderLists:
    qs = orders()
    if status == "open":
        qs = qs.filter(status__in=OPEN_ORDER_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return OrderLists(outgoing=list(qs.filter(requester=office)), incoming=list(qs.filter(supplier=office)))


def get_order(pk) -> Order:
    """One order the acting office placed or must supply; 404 for any other office."""
    try:
        return (
            Order.objects.select_related("requester", "supplier", "created_by")
            .prefetch_related("lines__document", "events__user", "events__office")
            .get(pk=pk)
        )
    except (Order.DoesNotExist, ValueError, TypeError):
        raise Http404("No such order") from None


def open_orders_count(office: Office) -> dict[str, int]:
    qs = Order.objects.all()
    return {
        "to_supply": qs.filter(supplier=office, status__in=[OrderStatus.REQUESTED, OrderStatus.ACCEPTED]).count(),
        "to_receive": qs.filter(requester=office, status=OrderStatus.SHIPPED).count(),
    }
