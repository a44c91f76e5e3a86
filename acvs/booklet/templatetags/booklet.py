from django import template

from acvs.booklet import selectors
from acvs.network import rules

register = template.Library()


@register.simple_tag(takes_context=True)
def request_booklets(context, visitor_request) -> dict:
    """The booklets of a request for its page: nothing for roles that do not build booklets."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if not rules.can_build_booklets(membership) or visitor_request.office_id != membership.office_id:
        return {"visible": False, "rows": []}
    return {"visible": True, "rows": list(selectors.request_booklets(visitor_request))}
