from django import template

from acvs.offer import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def offers_to_verify(context, limit: int = 15) -> dict:
    """The current office's offers not verified for a year, for its home page."""
    office = getattr(context.get("request"), "office", None)
    if office is None:
        return {"rows": [], "count": 0}
    stale = selectors.offers_to_verify(office)
    return {"rows": stale[:limit], "count": stale.count()}
