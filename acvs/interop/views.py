"""Public feeds and widgets (published offers and events, no log-in), and the page that builds their links."""

from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import ical, selectors
from .forms import EventFeedForm

# Calendars poll feeds; a quarter of an hour of caching spares the server without hiding a change for long.
FEED_MAX_AGE = 15 * 60
DEFAULT_DAYS = 365


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
