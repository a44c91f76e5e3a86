"""The office's API tokens: listed, created (the clear token shown once) and revoked after a confirmation."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.core.forms import attach_errors
from acvs.network import rules

from . import selectors, services
from .forms import TokenForm


def _expiry(day: datetime.date | None):
    """The end of the chosen day, in the server's time zone."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


# The clear token waits in the session between the creation and the page that shows it, which removes it.
NEW_TOKEN = "api_new_token"


@rules.requires("api.tokens")
def tokens(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.token_create(
                membership=request.membership,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=_expiry(form.cleaned_data["expires_at"]),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            request.session[NEW_TOKEN] = raw
            messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
            return redirect("api:tokens")
    context = {
        "form": form if request.method == "POST" else TokenForm(),
        "tokens": selectors.office_tokens(),
        "created": request.session.pop(NEW_TOKEN, None),
        "now": timezone.now(),
        "section": "api",
    }
    return render(request, "api/tokens.html", context, status=400 if request.method == "POST" else 200)


@rules.requires("api.tokens")
def token_revoke(request, pk):
    token = selectors.get_token(pk)
    if request.method == "POST":
        services.token_revoke(membership=request.membership, token=token)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"token": token, "section": "api"})
