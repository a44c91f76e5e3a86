from django.shortcuts import render

from acvs.offer.selectors import offers_to_verify


def home(request):
    """The office's home page: what needs its attention today."""
    office = request.office
    context = {}
    if office is not None:
        stale = offers_to_verify(office)
        context = {"stale_offers": stale[:15], "stale_count": stale.count()}
    return render(request, "core/home.html", context)
