"""Answers shared by every app: where an action goes back to (`next`, only to a page of this site), and the refusal of
input that no page can show again."""

from urllib.parse import urlsplit

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

# Longer addresses are no page of ours (and Django refuses to redirect past 16 KB, after the change was saved).
MAX_NEXT_LENGTH = 2000


def safe_next(request, url: str | None) -> str:
    """`url` when it is a page of this site ("/offers/?q=…", or a full address on this host such as a referer),
    else "": not another site (open redirect), not a scheme such as javascript:, not a relative path or a URL name
    (`redirect()` tried to reverse those)."""
    if not url or len(url) > MAX_NEXT_LENGTH or not (url.startswith("/") or urlsplit(url).scheme in ("http", "https")):
        return ""
    hosts = {request.get_host()}
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=hosts, require_https=request.is_secure()) else ""


def redirect_next(request, fallback, *args) -> HttpResponseRedirect:
    """Back to the posted (or queried) `next` when it is safe, else to `fallback` (a URL, a URL name with `args`,
    or a model with get_absolute_url). Called after the change is saved: a bad `next` never undoes it."""
    target = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    return HttpResponseRedirect(target or resolve_url(fallback, *args))


def refused(request, form, *, back: str, status: int = 400) -> HttpResponse:
    """Input sent by a button or a short form whose page cannot show it again (an id altered or deleted meanwhile, a
    choice left empty): the reasons, on a page with a way back or, for htmx, in place of the element that sent it.
    base.html lets htmx swap 400 answers."""
    reasons = [error for errors in form.errors.values() for error in errors]
    template = "core/_refused.html" if request.htmx else "core/refused.html"
    return render(request, template, {"reasons": reasons, "back": back}, status=status)
