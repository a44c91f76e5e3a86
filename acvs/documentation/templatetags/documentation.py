"""The documentation parts of other pages: the request page's hand-out section and the counter's hand-out fields."""

from typing import NamedTuple

from django import template

from acvs.network import rules

from .. import selectors
from ..forms import handout_field_name

register = template.Library()


def handout_rows(data=None, errors=None, limit: int | None = 12) -> list:
    """The acting office's counter documents, each with its field name, the value typed and its error."""
    data, errors = data or {}, errors or {}
    rows = selectors.counter_documents(limit=limit)
    for document in rows:
        document.field_name = handout_field_name(document)
        document.field_value = data.get(document.field_name, "")
        document.field_error = errors.get(document.field_name, "")
    return rows


class HandoutInput(NamedTuple):
    """A refused hand-out posted without JavaScript: the request page is shown again with it (`views.handout`)."""

    request_pk: int
    data: dict
    errors: dict


def request_section_context(request, visitor_request, data=None, errors=None) -> dict:
    membership = getattr(request, "membership", None)
    visible = (
        visitor_request is not None
        and rules.can_use_desk(membership)
        and visitor_request.office_id == membership.office_id
    )
    if not visible:
        return {"visible": False}
    can_hand_out = rules.can_change_stock(membership, membership.office)
    documents = handout_rows(data, errors, limit=None) if can_hand_out else []
    # An error on a field shown goes next to it; any other (a document no longer at the counter…) on top.
    shown = {document.field_name for document in documents}
    return {
        "visible": True,
        "visitor_request": visitor_request,
        "handed": selectors.request_handouts(visitor_request),
        "can_hand_out": can_hand_out,
        "documents": documents,
        "errors": list(dict.fromkeys(message for name, message in (errors or {}).items() if name not in shown)),
    }


@register.inclusion_tag("documentation/_request_handouts.html", takes_context=True)
def request_documentation(context, visitor_request):
    """Brochures handed out for a request, and the form to hand out more from the counter stock."""
    request = context.get("request")
    posted = context.get("documentation_handout")
    if posted is not None and visitor_request is not None and posted.request_pk == visitor_request.pk:
        result = request_section_context(request, visitor_request, posted.data, posted.errors)
    else:
        result = request_section_context(request, visitor_request)
    result["csrf_token"] = context.get("csrf_token")
    return result


@register.inclusion_tag("documentation/_handout_fields.html", takes_context=True)
def handout_fields(context, data=None, errors=None, limit: int = 12):
    """The counter screen's hand-out inputs (``doc-<id>`` fields) for the acting office; put them in its form."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if not rules.can_change_stock(membership, getattr(membership, "office", None)):
        return {"documents": []}
    return {"documents": handout_rows(data, errors, limit)}


@register.filter
def copies(quantity: int) -> int:
    """A movement's number of copies, without its sign."""
    return abs(quantity)
