"""The network administrators' audit of failed log-ins, and lifting a lock-out."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import logins, rules
from ..forms import LockoutForm

PAGE_SIZE = 50


@rules.requires("network.logins")
def login_audit(request):
    context = {
        "lockouts": logins.current_lockouts(),
        "page": Paginator(logins.recent_failures(), PAGE_SIZE).get_page(request.GET.get("page")),
        "account_limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.ACVS_LOGIN_ADDRESS_FAILURE_LIMIT,
        "minutes": logins.cool_off_minutes(),
        "section": "logins",
    }
    return render(request, "network/logins.html", context)


@rules.requires("network.logins")
def lockout_lift(request):
    """GET asks for confirmation (kind and value in the query), POST lifts."""
    form = LockoutForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return render(request, "network/lockout_lift.html", {"form": form, "section": "logins"}, status=400)
    if request.method == "POST":
        logins.lockout_lift(membership=request.membership, **form.cleaned_data)
        messages.success(request, _("The lock-out was lifted: %(value)s can log in again.") % form.cleaned_data)
        return redirect("network:logins")
    return render(request, "network/lockout_lift.html", {"form": form, "section": "logins"})
