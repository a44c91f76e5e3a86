from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..middleware import SESSION_KEY


@require_POST
def switch_office(request):
    """Act for another of the user's offices."""
    wanted = request.POST.get("office", "")
    membership = next((m for m in request.memberships if str(m.office_id) == wanted), None)
    if membership is None:
        messages.error(request, _("You are not a member of that office."))
    else:
        request.session[SESSION_KEY] = membership.office_id
        messages.success(request, _("You now act for %(office)s.") % {"office": membership.office.name})
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
