"""The 500 page in the application's frame, even when what failed is the database or the request's context; the
API's 404 in JSON even where no route matched."""

import logging

from django.http import HttpResponseForbidden, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)
API_PREFIX = "/api/"


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Like Django's `server_error`, with the top bar of the user's pages when it can be drawn.

    The page is first drawn with the request's context (user, office, language switch); when that fails too (the
    database is down, the user cannot be read), it is drawn without it: the frame and the language, no user.
    """
    template = loader.get_template(template_name)
    try:
        return HttpResponseServerError(template.render({}, request))
    except Exception:
        logger.exception("The 500 page could not be drawn with the request's context")
    return HttpResponseServerError(template.render({}))


def csrf_failure(request, reason=""):
    """The refused form (expired page or session) in the application's frame, instead of Django's bare page."""
    return HttpResponseForbidden(loader.get_template("403_csrf.html").render({}, request))


def page_not_found(request, exception):
    """Django's 404 page, but under the API, whose clients read JSON: an address no route matches (an unknown path,
    an id beyond the id converter's range) answers like the API's own 404s."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
