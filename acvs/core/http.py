"""Answers shared by every app: where an action goes back to (`next`, only to a page of this site), the refusal of
input that no page can show again, and the shape of a file's upload page."""

from urllib.parse import urlsplit

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
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


def upload_page(request, form_class, *, create, refused: type[Exception], then: str, template: str, context: dict):
    """A page uploading a file (the form's `file` field) to a service that creates a job or a dry run. Once the form
    is valid, `create(name, content, data)` (data: the form's cleaned data) is the service's call; the answer goes
    to the page `then` (a URL name taking `pk`) of what it returned. A file the service cannot read raises
    `refused`: its reason shows on the file field. Else the page shows again with `context` and the form, status
    400 when the form has errors."""
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = create(upload.name, upload.read(), form.cleaned_data)
        except refused as error:
            form.add_error("file", str(error))
        else:
            return redirect(then, pk=created.pk)
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)
