from django import template

from acvs.mailing import selectors
from acvs.network import rules

register = template.Library()


@register.simple_tag(takes_context=True)
def request_answers(context, visitor_request) -> dict:
    """The answers section of a request's page: nothing for roles that do not answer requests."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if not rules.can_answer_request(membership, visitor_request):
        return {"visible": False}
    return {"visible": True, **selectors.answers_section(visitor_request)}


@register.simple_tag(takes_context=True)
def answers_panel(context) -> dict:
    """The home panel of the office's manager: this month's answers and the links to templates and figures."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if not rules.can_manage_answer_templates(membership):
        return {"visible": False}
    return {"visible": True, "month": selectors.answer_figures(months=1)[-1]}
