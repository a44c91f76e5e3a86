from django.contrib import messages
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core import french
from acvs.core.http import redirect_next, safe_next

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
        # Translators: in French, office arrives with its article (l’Office…, le Syndicat…, Var Tourisme).
        messages.success(request, _("You now act for %(office)s.") % {"office": french.the(membership.office.name)})
    return redirect_next(request, safe_next(request, request.headers.get("referer")) or "home")
