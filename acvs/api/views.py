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


@rules.requires("api.tokens")
def tokens(request):
    created = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, created = services.token_create(
                membership=request.membership,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=_expiry(form.cleaned_data["expires_at"]),
            )
            form = TokenForm()
        except ValidationError as error:
            attach_errors(form, error)
    status = 400 if request.method == "POST" and created is None else 200
    context = {"form": form, "tokens": selectors.office_tokens(), "created": created, "now": timezone.now()}
    return render(request, "api/tokens.html", context, status=status)


@rules.requires("api.tokens")
def token_revoke(request, pk):
    token = selectors.get_token(pk)
    if request.method == "POST":
        services.token_revoke(membership=request.membership, token=token)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"token": token})
