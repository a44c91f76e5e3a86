"""Where an action goes back to: the `next` address it was given when that is a page of this site, never elsewhere."""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

# Longer addresses are no page of ours (and Django refuses to redirect past 16 KB, after the change was saved).
MAX_NEXT_LENGTH = 2000


def safe_next(request, url: str | None) -> str:
    """`url` when it is a path of this site ("/offers/?q=…"), else "": not another site (open redirect), not a
    scheme such as javascript:, not a URL name that `redirect()` would try to reverse."""
    if not url or len(url) > MAX_NEXT_LENGTH or not url.startswith("/"):
        return ""
    hosts = {request.get_host()}
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=hosts, require_https=request.is_secure()) else ""


def redirect_next(request, fallback, *args) -> HttpResponseRedirect:
    """Back to the posted (or queried) `next` when it is safe, else to `fallback` (a URL, a URL name with `args`,
    or a model with get_absolute_url). Called after the change is saved: a bad `next` never undoes it."""
    target = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    return HttpResponseRedirect(target or resolve_url(fallback, *args))
