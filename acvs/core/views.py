from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import jobs
from .home import PANELS
from .http import redirect_next, safe_next


def home(request):
    """The office's home page: what needs its attention today, in the panels the apps registered (core.home)."""
    return render(request, "core/home.html", {"panels": PANELS})


def job_status(request, pk):
    """A job's status fragment, polled by htmx while it runs; without JavaScript, the page's refresh link."""
    job = jobs.get_job(pk)
    page_url = safe_next(request, request.GET.get("next")) or reverse("home")
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
    return redirect_next(request, "home")
