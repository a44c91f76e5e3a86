from django import template

from acvs.availability import selectors
from acvs.availability.views import parse_month, section_context

register = template.Library()


@register.inclusion_tag("availability/_section.html", takes_context=True)
def availability_section(context, offer) -> dict:
    """The availability calendar of an accommodation offer, for its page (nothing for other offers)."""
    if not selectors.is_accommodation(offer):
        return {"hidden": True}
    request = context.get("request")
    membership = getattr(request, "membership", None)
    first = parse_month(request.GET.get("month") if request else None)
    return {"request": request, "csrf_token": context.get("csrf_token"), **section_context(membership, offer, first)}
