"""The 500 page in the application's frame, even when what failed is the database or the request's context."""

import logging

from django.http import HttpResponseForbidden, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


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
