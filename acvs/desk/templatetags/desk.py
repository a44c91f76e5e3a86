from django import template

from acvs.desk import reference, selectors
from acvs.network import rules

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_overdue(context, limit: int = 10) -> dict:
    """Overdue requests of the current office, for its home page (nothing for roles without the counter)."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if not rules.can_use_desk(membership):
        return {"visible": False, "rows": [], "count": 0}
    qs = selectors.overdue_requests()
    rows = list(qs[:limit])
    count = len(rows) if len(rows) < limit else qs.count()
    return {"visible": True, "rows": rows, "count": count}


@register.filter
def country_language(pick: str) -> str:
    """ "country:DE" → "de": the language pre-selected when that country is tapped."""
    return reference.COUNTRY_LANGUAGE.get(pick.partition(":")[2], "")


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()


@register.simple_tag
def form_field(form, name: str):
    return form[name]


@register.simple_tag(takes_context=True)
def advice_request(context):
    """The request being advised on (?advice=<pk>) when the current office may advise on it, else None."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    pk = request.GET.get("advice", "") if request else ""
    if not pk.isdigit() or not rules.can_use_desk(membership):
        return None
    return selectors.requests().filter(pk=pk).prefetch_related("suggestions").first()


@register.filter
def suggested_ids(visitor_request) -> set[int]:
    return {s.offer_id for s in visitor_request.suggestions.all()} if visitor_request else set()


@register.filter
def profile_party(profile: str) -> dict:
    """The party a profile sets when tapped ({} when it sets none)."""
    party = reference.PROFILE_PARTY.get(profile)
    return {"adults": party[0], "children": party[1]} if party else {}


@register.filter
def suggested_types(theme_id, suggestions: dict) -> str:
    """Ids of the types a theme suggests, for the toggles' data attribute."""
    return " ".join(str(pk) for pk in suggestions.get(int(str(theme_id)), []))
