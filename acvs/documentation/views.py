"""Thin views of the documentation stock: catalogue, documents, my stock, movements, exports, hand-outs.

Stock and movements are read only through `selectors` for the acting office; writes go through `services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core.exceptions import ConflictError
from acvs.core.exports import response as export_response
from acvs.core.forms import attach_errors
from acvs.core.paginator import paginate
from acvs.desk import selectors as desk_selectors
from acvs.network import rules

from . import exports, selectors, services
from .filters import DocumentFilter, MovementFilter
from .forms import DocumentForm, MoveForm, MovementForm, StockSettingForm, parse_handout
from .templatetags.documentation import HandoutInput, request_section_context

PAGE_SIZE = 50


def _page(request, qs):
    page = paginate(request, qs, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@rules.requires("documentation.use")
def catalogue(request):
    filterset = DocumentFilter(request.GET, queryset=selectors.catalogue(), request=request)
    page, query = _page(request, filterset.qs)
    context = {
        "filter": filterset,
        "page": page,
        "query": query,
        "can_create": rules.can_create_documents(request.membership),
        "section": "catalogue",
    }
    return render(request, "documentation/catalogue.html", context)


def _conflict_form(request, document, conflict: ConflictError) -> DocumentForm:
    """The form again with everything typed, now based on the saved version, and why it was not saved.

    Saving it again is then a deliberate choice, made after being told who saved in between and when.
    """
    current = selectors.get_document(document.pk)
    data = request.POST.copy()
    data["version"] = current.version
    form = DocumentForm(data, request.FILES, instance=current)
    form.is_valid()
    form.add_error(None, str(conflict))
    form.add_error(
        None, _("What you typed is kept below: compare it with the saved document, then save again to replace it.")
    )
    return form


def _document_form_page(request, document=None):
    m = request.membership
    status, conflict = 200, False
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, instance=document)
        status = 400
        if form.is_valid():
            try:
                if document is None:
                    document = services.document_create(
                        membership=m, fields=form.service_fields(), themes=form.cleaned_data["themes"]
                    )
                    messages.success(request, _("Document added to the catalogue."))
                else:
                    services.document_update(
                        membership=m,
                        document=document,
                        version=form.cleaned_data["version"] or 0,
                        fields=form.service_fields(),
                        themes=form.cleaned_data["themes"],
                    )
                    messages.success(request, _("Changes saved."))
            except ConflictError as error:
                form, status, conflict = _conflict_form(request, document, error), 409, True
            except ValidationError as error:
                attach_errors(form, error)
            else:
                return redirect("documentation:detail", document.pk)
    elif document is not None:
        form = DocumentForm(instance=document, initial={"version": document.version})
    else:
        form = DocumentForm(initial={"publisher": m.office})
    context = {"form": form, "document": document, "conflict": conflict, "section": "catalogue"}
    return render(request, "documentation/document_form.html", context, status=status)


@rules.requires("documentation.create")
def document_create(request):
    return _document_form_page(request)


@rules.requires("documentation.use")
def document_edit(request, pk):
    document = selectors.get_document(pk)
    if not rules.can_change_document(request.membership, document):
        raise PermissionDenied
    return _document_form_page(request, document)


def _detail_context(request, document, **forms) -> dict:
    office = request.office
    can_change_stock = rules.can_change_stock(request.membership, office)
    setting = selectors.stock_setting(office, document)
    context = {
        "document": document,
        "themes": document.themes.all(),
        "places": selectors.stock_places(document),
        "setting": setting,
        "movements": selectors.document_movements(document),
        "network": selectors.network_stock(document, exclude=office),
        "can_change": rules.can_change_document(request.membership, document),
        "can_change_stock": can_change_stock,
        "can_order": rules.can_order(request.membership),
        "section": "catalogue",
    }
    if can_change_stock:
        context["movement_form"] = forms.get("movement_form") or MovementForm(office=office)
        context["move_form"] = forms.get("move_form") or MoveForm()
        context["setting_form"] = forms.get("setting_form") or StockSettingForm(
            initial={"alert_threshold": setting.alert_threshold, "reorder_quantity": setting.reorder_quantity}
        )
    context["total"] = sum(context["places"].values())
    return context


@rules.requires("documentation.use")
def document_detail(request, pk):
    document = selectors.get_document(pk)
    return render(request, "documentation/document_detail.html", _detail_context(request, document))


def _stock_action(request, pk, form, call, success: str, form_name: str):
    """Validate `form`, call the service; on refusal, the page again with the messages and the input kept."""
    document = selectors.get_document(pk)
    if not rules.can_change_stock(request.membership, request.office):
        raise PermissionDenied
    if form.is_valid():
        try:
            call(document, form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("documentation:detail", document.pk)
    context = _detail_context(request, document, **{form_name: form})
    return render(request, "documentation/document_detail.html", context, status=400)


@require_POST
@rules.requires("documentation.use")
def movement_create(request, pk):
    def call(document, data):
        services.movement_record(
            membership=request.membership, document=document, kind=data["kind"], quantity=data["quantity"],
            place=data["place"], reason=data["reason"], counterpart=data["counterpart"],
        )  # fmt: skip

    form = MovementForm(request.POST, office=request.office)
    return _stock_action(request, pk, form, call, _("Movement recorded."), "movement_form")


@require_POST
@rules.requires("documentation.use")
def stock_move(request, pk):
    def call(document, data):
        services.stock_move(
            membership=request.membership, document=document, quantity=data["quantity"], source=data["source"],
            destination=data["destination"],
        )  # fmt: skip

    return _stock_action(request, pk, MoveForm(request.POST), call, _("Copies moved."), "move_form")


@require_POST
@rules.requires("documentation.use")
def stock_setting(request, pk):
    def call(document, data):
        services.stock_setting_set(membership=request.membership, document=document, **data)

    form = StockSettingForm(request.POST)
    return _stock_action(request, pk, form, call, _("Threshold saved."), "setting_form")


@rules.requires("documentation.use")
def stock(request):
    office = request.office
    if office is None:
        raise Http404
    context = {
        "documents": selectors.office_stock().order_by("title", "pk"),
        "to_reorder": selectors.to_reorder(),
        "orders": selectors.open_orders_count(office),
        "section": "stock",
    }
    return render(request, "documentation/stock.html", context)


def _movements(request):
    return MovementFilter(request.GET, queryset=selectors.movements(), request=request)


@rules.requires("documentation.use")
def movement_list(request):
    filterset = _movements(request)
    page, query = _page(request, filterset.qs)
    context = {"filter": filterset, "page": page, "query": query, "section": "movements"}
    return render(request, "documentation/movements.html", context, status=400 if filterset.errors else 200)


@rules.requires("documentation.use")
def stock_export(request, fmt):
    header, rows = exports.stock_table(selectors.office_stock().order_by("title", "pk"))
    return export_response(fmt, _("stock"), header, rows)


@rules.requires("documentation.use")
def movement_export(request, fmt):
    filterset = _movements(request)
    if filterset.errors:
        return movement_list(request)
    header, rows = exports.movements_table(filterset.qs)
    return export_response(fmt, _("movements"), header, rows)


@require_POST
@rules.requires("documentation.use")
def handout(request, request_pk):
    """Hand out brochures to the visitor of a request, from the counter stock (the request page's section)."""
    if not rules.can_use_desk(request.membership):
        raise PermissionDenied
    visitor_request = desk_selectors.get_request(request_pk)
    lines, errors = parse_handout(request.POST, request.office)
    if not errors:
        try:
            services.handout(membership=request.membership, visitor_request=visitor_request, lines=lines)
        except ValidationError as error:
            errors = {"": " ".join(error.messages)}
    if request.htmx:
        # The section swaps itself: the quantities typed stay in place with the messages.
        context = request_section_context(request, visitor_request, request.POST if errors else None, errors)
        context["done"] = not errors
        return render(request, "documentation/_request_handouts.html", context, status=400 if errors else 200)
    if errors:
        # Without JavaScript: the request page again (desk's context), its section showing the quantities typed and
        # why (`request_documentation` reads them from the context), as a refused form is shown again.
        context = desk_selectors.request_page(request.membership, visitor_request)
        context["documentation_handout"] = HandoutInput(visitor_request.pk, request.POST, errors)
        return render(request, "desk/request_detail.html", context, status=400)
    messages.success(request, _("Brochures handed out."))
    return redirect(visitor_request.get_absolute_url() + "#documentation")


@login_not_required
def public_pdf(request, token):
    """A brochure's PDF for the visitor who received its link in an answer (the catalogue is not private)."""
    document = selectors.get_document_by_pdf_token(token)
    try:
        handle = document.pdf.open("rb")
    except OSError:  # recorded but gone from the storage
        raise Http404("No such brochure") from None
    response = FileResponse(
        handle, content_type="application/pdf", filename=f"{slugify(document.title) or 'brochure'}.pdf"
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
