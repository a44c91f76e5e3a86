from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core.http import redirect_next, refused
from acvs.network import rules
from acvs.offer.forms import communes_for_datalist

from . import advice, selectors
from .advice_forms import AdviceForm, ThemeTypesForm
from .forms import MissingTypeForm, SuggestForm
from .models import Theme


@rules.requires("desk.use")
def advise(request, pk):
    """The offers that fit the request, ranked; its criteria in a banner, each dropped or restored in one tap."""
    visitor_request = selectors.get_request(pk)
    criteria = advice.request_criteria(visitor_request)
    form = AdviceForm(request.GET or None, criteria=criteria)
    without, place = [], None
    if form.is_bound and form.is_valid():
        without, place = form.cleaned_data["without"], form.cleaned_data["place"]
    result = advice.advise(visitor_request, without=without, place=place)
    url = reverse("desk:advise", args=[pk])

    def link(dropped: list[str]) -> str:
        params = [("without", key) for key in dropped] + ([("place", place.insee)] if place else [])
        return f"{url}?{urlencode(params)}" if params else url

    suggested = set(visitor_request.suggestions.values_list("offer_id", flat=True))
    missing = set(visitor_request.missing_types.values_list("pk", flat=True))
    context = {
        "visitor_request": visitor_request,
        "advised": visitor_request,
        "advice": result,
        "form": form,
        "can_change": rules.can_change_request(request.membership, visitor_request),
        "can_change_themes": rules.can_change_themes(request.membership),
        "drop_links": [(c, link([*without, c.key])) for c in result.criteria],
        "restore_links": [(c, link([k for k in without if k != c.key])) for c in result.dropped],
        "office_link": link(without) if place is None else f"{url}?{urlencode([('without', k) for k in without])}",
        "suggested_ids": suggested,
        "missing_ids": missing,
        "map_points": {
            "points": [
                {
                    "name": p.offer.name,
                    "lat": p.offer.latitude,
                    "lon": p.offer.longitude,
                    "url": reverse("offer:detail", args=[p.offer.pk]),
                }
                for p in result.proposals
            ],
            "centre": result.centre,
            "radius_km": None,
        },
        "tiles_url": settings.ACVS_MAP_TILES_URL,
        "communes": communes_for_datalist(),
        "search_url": advice.advice_search_url(visitor_request),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    template = "desk/_advice_body.html" if request.htmx and request.htmx.target == "advice" else "desk/advice.html"
    return render(request, template, context, status=status)


@rules.requires("desk.themes")
def themes(request):
    """What each theme proposes in the advice: the network's mapping, changed by its administrators."""
    form = None
    if request.method == "POST":
        form = ThemeTypesForm(request.POST)
        if form.is_valid():
            theme = form.cleaned_data["theme"]
            advice.theme_types_set(membership=request.membership, theme=theme, codes=form.cleaned_data["offer_types"])
            messages.success(request, _("“%(theme)s” saved.") % {"theme": theme})
            return redirect(f"{reverse('desk:themes')}#theme-{theme.pk}")
    rows = []
    for theme in Theme.objects.all():
        bound = form if form is not None and form.data.get("theme") == str(theme.pk) else None
        rows.append((theme, bound or ThemeTypesForm(initial={"theme": theme.pk, "offer_types": theme.offer_types})))
    refused_form = form if form is not None and not any(f is form for _t, f in rows) else None
    status = 400 if request.method == "POST" else 200
    return render(request, "desk/themes.html", {"rows": rows, "refused_form": refused_form}, status=status)


@require_POST
@rules.requires("desk.use")
def suggest(request, pk):
    visitor_request = selectors.get_request(pk)
    form = SuggestForm(request.POST)
    if not form.is_valid():
        return refused(request, form, back=visitor_request.get_absolute_url())
    offer = form.cleaned_data["offer"]
    advice.suggestion_add(membership=request.membership, visitor_request=visitor_request, offer=offer)
    if request.htmx:
        return render(request, "desk/_suggested.html", {"offer": offer, "visitor_request": visitor_request})
    messages.success(request, _("“%(name)s” added to the suggestions.") % {"name": offer.name})
    return redirect_next(request, visitor_request)


@require_POST
@rules.requires("desk.use")
def suggestion_remove(request, pk, offer_pk):
    visitor_request = selectors.get_request(pk)
    advice.suggestion_remove(membership=request.membership, visitor_request=visitor_request, offer_id=offer_pk)
    messages.success(request, _("Suggestion removed."))
    return redirect(visitor_request.get_absolute_url())


@require_POST
@rules.requires("desk.use")
def missing_type(request, pk):
    visitor_request = selectors.get_request(pk)
    form = MissingTypeForm(request.POST)
    if not form.is_valid():
        return refused(request, form, back=visitor_request.get_absolute_url())
    offer_type = form.cleaned_data["type"]
    advice.missing_type_add(membership=request.membership, visitor_request=visitor_request, offer_type=offer_type)
    if request.htmx:
        return render(request, "desk/_missing_recorded.html", {"offer_type": offer_type})
    messages.success(request, _("Recorded: no “%(type)s” to offer.") % {"type": offer_type.label})
    return redirect(visitor_request.get_absolute_url())
