"""Orders between offices: lists (outgoing, incoming), a new order, the order's page and its steps."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core import french
from acvs.core.forms import attach_errors
from acvs.network import rules

from . import selectors, services
from .forms import (
    HANDOUT_FIELD,
    OrderForm,
    OrderLinkForm,
    PlaceForm,
    ReasonForm,
    RefuseForm,
    SupplierForm,
    parse_handout,
    parse_shipped,
)
from .models import Document, OrderStatus


@rules.requires("documentation.use")
def order_list(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "all", *OrderStatus.values):
        status = "open"
    lists = selectors.order_lists(request.office, "" if status == "all" else status)
    context = {
        "lists": lists,
        "status": status,
        "statuses": [("open", _("Open")), *OrderStatus.choices, ("all", _("All"))],
        "can_order": rules.can_order(request.membership),
        "section": "orders",
    }
    return render(request, "documentation/orders.html", context)


def _orderable(supplier, document_ids):
    """What the supplier publishes (current editions) or holds, plus the documents asked for in the link."""
    published = Document.objects.filter(publisher=supplier, is_current=True).values_list("pk", flat=True)
    ids = {*published, *selectors.supplier_stock(supplier), *document_ids}
    return selectors.catalogue().filter(pk__in=ids).order_by("title", "language")


@rules.requires("documentation.order")
def order_create(request):
    m = request.membership
    data = request.POST if request.method == "POST" else request.GET
    choose = SupplierForm(data or None, office=request.office)
    if not choose.is_valid():
        return render(request, "documentation/order_form.html", {"choose": choose, "section": "orders"})
    supplier = choose.cleaned_data["supplier"]
    wanted = [document.pk for document in OrderLinkForm(request.GET).documents()]
    # Shown again after an error, the form keeps every line it had: those added by the link too, whatever address
    # it is posted to (each line posts its ``doc-<id>`` field, even left blank).
    posted = [int(match.group(1)) for match in map(HANDOUT_FIELD.match, request.POST) if match]
    documents = list(_orderable(supplier, [*wanted, *posted]))
    errors, status = {}, 200
    if request.method == "POST":
        form = OrderForm(request.POST, office=request.office)
        lines, errors = parse_handout(request.POST, request.office)
        if form.is_valid() and not errors:
            try:
                order = services.order_create(
                    membership=m, supplier=supplier, lines=lines, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                # Translators: in French, office arrives with its "à" (à l’Office…, au Syndicat…).
                messages.success(request, _("Order sent to %(office)s.") % {"office": french.to(supplier.name)})
                return redirect(order.get_absolute_url())
        # An error on a line the page cannot show again (a document gone from the catalogue) goes on top.
        shown = {f"doc-{document.pk}" for document in documents}
        for message in dict.fromkeys(message for name, message in errors.items() if name not in shown):
            form.add_error(None, message)
        status = 400
    else:
        form = OrderForm(initial={"supplier": supplier}, office=request.office)
    supplier_stock = selectors.supplier_stock(supplier, documents)
    for document in documents:
        document.supplier_stock = supplier_stock.get(document.pk, 0)
        name = f"doc-{document.pk}"
        document.field_name, document.field_error = name, errors.get(name, "")
        document.field_value = data.get(name, "")
        if request.method == "GET" and not document.field_value and document.pk in wanted:
            document.field_value = document.reorder_quantity or ""
    context = {"choose": choose, "form": form, "supplier": supplier, "documents": documents, "section": "orders"}
    return render(request, "documentation/order_form.html", context, status=status)


def _order_context(request, order, **forms) -> dict:
    actions = rules.order_actions(request.membership, order)
    lines = list(order.lines.all())
    values, errors = forms.get("ship_values", {}), forms.get("ship_errors", {})
    for line in lines:
        line.field_name = f"line-{line.pk}"
        line.field_value = values.get(line.field_name, line.quantity)
        line.field_error = errors.get(line.field_name, "")
    return {
        "order": order,
        "lines": lines,
        "events": order.events.all(),
        "actions": actions,
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "cancel_form": ReasonForm(),
        "place_form": forms.get("place_form") or PlaceForm(),
        "section": "orders",
    }


@rules.requires("documentation.use")
def order_detail(request, pk):
    order = selectors.get_order(pk)
    return render(request, "documentation/order_detail.html", _order_context(request, order))


# The form each step posts (None: a plain confirmation button) and where its errors are shown again.
STEP_FORMS = {"accept": None, "cancel": ReasonForm, "refuse": RefuseForm, "ship": PlaceForm, "receive": PlaceForm}


@require_POST
@rules.requires("documentation.use")
def order_step(request, pk, step):
    order = selectors.get_order(pk)  # 404 for any other office
    if step not in STEP_FORMS:
        raise Http404
    kwargs, shown, valid = {}, {}, True
    if STEP_FORMS[step] is not None:
        form = STEP_FORMS[step](request.POST)
        valid = form.is_valid()
        kwargs.update(form.cleaned_data if valid else {})
        shown["refuse_form" if step == "refuse" else "place_form"] = form
    if step == "ship":
        kwargs["shipped"], errors = parse_shipped(request.POST, order)
        shown["ship_errors"], shown["ship_values"] = errors, request.POST
        valid = valid and not errors
    status = 400
    if valid:
        try:
            getattr(services, f"order_{step}")(membership=request.membership, order=order, **kwargs)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except PermissionDenied as denied:
            # One of the order's two offices: the page again, saying why (its role, or the other side's step).
            messages.error(request, str(denied))
            status = 403
        else:
            messages.success(request, _("Order updated."))
            return redirect(order.get_absolute_url())
    order = selectors.get_order(pk)
    return render(request, "documentation/order_detail.html", _order_context(request, order, **shown), status=status)
