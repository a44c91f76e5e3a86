"""Public feeds and widgets (published offers and events, no log-in), and the page that builds their links."""

from datetime import timedelta
from functools import wraps
from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from . import ical, selectors
from .forms import EventFeedForm, FeedForm, WidgetBuilderForm

# Calendars poll feeds; a quarter of an hour of caching spares the server without hiding a change for long.
FEED_MAX_AGE = 15 * 60
DEFAULT_DAYS = 365
WIDGET_ITEMS, WIDGET_MAX_ITEMS = 10, 50


def _refused(form) -> HttpResponse:
    """A feed's bad criteria, in words: a calendar program shows the text of an error, not a page."""
    lines = [_("The feed's criteria are not valid:")]
    lines += [f"- {error}" for errors in form.errors.values() for error in errors]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


def _area_name(data: dict) -> str:
    place = data.get("office") or data.get("commune")
    return _("Agenda: %(place)s") % {"place": place.name} if place else _("Agenda")


@login_not_required
@require_GET
def events_ics(request):
    """The published events' dates from today on, as an iCalendar feed anyone can subscribe to."""
    form = EventFeedForm(request.GET)
    if not form.is_valid():
        return _refused(form)
    data = form.cleaned_data
    start = timezone.localdate()
    end = start + timedelta(days=data.get("days") or DEFAULT_DAYS)
    with translation.override(data["lang"]):
        content = ical.calendar(
            selectors.feed_events(data, start, end), name=_area_name(data), host=request.get_host().split(":")[0]
        )
    reply = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    reply["Content-Disposition"] = 'inline; filename="agenda.ics"'
    patch_cache_control(reply, public=True, max_age=FEED_MAX_AGE)
    return reply


# Widgets --------------------------------------------------------------------------------------------------------


def _frameable(view):
    """Only the widgets may be framed, by the sites of ACVS_WIDGET_FRAME_ANCESTORS: the policy is the site's with
    that one directive changed, and no X-Frame-Options header."""

    @wraps(view)
    def framed(request, *args, **kwargs):
        policy = {**settings.SECURE_CSP, "frame-ancestors": settings.ACVS_WIDGET_FRAME_ANCESTORS}
        return csp_override(policy)(view)(request, *args, **kwargs)

    return login_not_required(require_GET(xframe_options_exempt(framed)))


def _widget(request, form_class, template: str, build):
    form = form_class(request.GET)
    limit = _limit(request)
    if not form.is_valid():
        return render(request, "interop/widget_refused.html", {"form": form}, status=400)
    with translation.override(form.cleaned_data["lang"]):
        context = {"lang": form.cleaned_data["lang"], **build(form, limit)}
        reply = render(request, template, context)
    patch_cache_control(reply, public=True, max_age=FEED_MAX_AGE)
    return reply


def _limit(request) -> int:
    """How many items a widget lists: 1 to WIDGET_MAX_ITEMS, WIDGET_ITEMS when missing or not a number."""
    raw = request.GET.get("limit", "")
    return min(max(int(raw), 1), WIDGET_MAX_ITEMS) if raw.isdecimal() and len(raw) < 4 else WIDGET_ITEMS


@_frameable
def widget_offers(request):
    """Published offers matching the criteria, for an office's website (framed)."""
    return _widget(
        request,
        FeedForm,
        "interop/widget_offers.html",
        lambda form, limit: {"offers": selectors.feed_offers(form.to_query(), limit)},
    )


@_frameable
def widget_events(request):
    """The next dates of published events matching the criteria, for an office's website (framed)."""

    def build(form, limit):
        start = timezone.localdate()
        occurrences = list(
            selectors.feed_events(form.cleaned_data, start, start + timedelta(days=DEFAULT_DAYS))[:limit]
        )
        return {"days": [(day, list(rows)) for day, rows in groupby(occurrences, key=lambda o: o.date)]}

    return _widget(request, EventFeedForm, "interop/widget_events.html", build)


def widget_builder(request):
    """Choose a widget's criteria; see its code to paste, its live preview and, for events, the iCal link."""
    data = request.GET.copy()
    data.setdefault("kind", "events")
    if "office" not in data and request.office:  # the acting office's territory, unless the link chose
        data["office"] = request.office.pk
    form = WidgetBuilderForm(data)
    context = {"form": form}
    if form.is_valid():
        query = form.widget_query()
        route = "interop:widget_events" if form.cleaned_data["kind"] == "events" else "interop:widget_offers"
        context["widget_url"] = request.build_absolute_uri(reverse(route)) + "?" + query
        if form.cleaned_data["kind"] == "events":
            context["ical_url"] = request.build_absolute_uri(reverse("interop:events_ics")) + "?" + query
    template = "interop/_builder_result.html" if request.htmx else "interop/widget_builder.html"
    return render(request, template, context, status=400 if form.errors else 200)
