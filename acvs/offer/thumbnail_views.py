"""The network administrators' page that makes the missing photo thumbnails in the background, with its progress."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from acvs.core import jobs
from acvs.network import rules

from . import thumbnails
from .models import OfferPhoto


@rules.requires("network.admin")
def thumbnails_page(request):
    job = jobs.latest_job(thumbnails.REBUILD)
    busy = job is not None and not job.is_finished and not job.is_stalled
    if request.method == "POST":
        if busy:
            messages.error(request, _("The thumbnails are already being made."))
        else:
            with transaction.atomic():
                jobs.job_start(membership=request.membership, kind=thumbnails.REBUILD)
        return redirect("offer:thumbnails")
    if request.htmx:  # the job's polling: the work part only
        return render(request, "offer/_thumbnails_work.html", {"job": job, "busy": busy})
    context = {"job": job, "busy": busy, "photos": OfferPhoto.objects.count(), "section": "thumbnails"}
    return render(request, "offer/thumbnails.html", context)
