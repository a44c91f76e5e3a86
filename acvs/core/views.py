from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.offer.selectors import offers_to_verify

from . import jobs


def home(request):
    """The office's home page: what needs its attention today."""
    office = request.office
    context = {}
    if office is not None:
        stale = offers_to_verify(office)
        context = {"stale_offers": stale[:15], "stale_count": stale.count()}
    return render(request, "core/home.html", context)


def job_status(request, pk):
    """A job's status fragment, polled by htmx while it runs; without JavaScript, the page's refresh link."""
    job = jobs.get_job(pk)
    page_url = _safe_next(request, request.GET.get("next"))
    return render(request, "core/_partials/job.html", {"job": job, "page_url": page_url})


@require_POST
def job_retry(request, pk):
    job = jobs.get_job(pk)
    try:
        jobs.job_retry(membership=request.membership, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The work is queued again."))
    return redirect(_safe_next(request, request.POST.get("next")))


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return reverse("home")
