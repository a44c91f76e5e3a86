from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core.audit import audit_history
from acvs.core.exceptions import ConflictError
from acvs.core.forms import attach_errors, formset_rows
from acvs.core.http import redirect_next
from acvs.network import rules

from . import exports, selectors, services
from .forms import OfferForm, OfferSearchForm, PeriodFormSet, PhotoForm, PriceFormSet, communes_for_datalist
from .models import Feature, Label, Offer, OfferPhoto, OfferType
from .search import OfferQuery, offer_facets, search_page

# What a results page shows of an offer (offer/_results.html): the texts and contacts are left in the table.
RESULT_FIELDS = (
    "name",
    "status",
    "latitude",
    "longitude",
    "short_description",
    *(f"short_description_{lang}" for lang in settings.MODELTRANSLATION_LANGUAGES),
)


def search(request):
    """The results page. Facet counts come after, from `facets` (htmx), so that a broad search shows at once."""
    return _search(request, with_facets=False)


def facets(request):
    """Counts per type, label, feature and commune of the search in the query string: the search page's filters
    swapped in by htmx; without JavaScript, the search page with its counts."""
    if not request.htmx:
        return _search(request, with_facets=True)
    form = OfferSearchForm(request.GET or None, acting_office=request.office)
    query = _query(form)
    context = {"form": form, "facets": _facet_rows(offer_facets(query)) if query else None, "lazy": False}
    return render(request, "offer/_partials/facets.html", context)


def _query(form: OfferSearchForm) -> OfferQuery | None:
    if not form.is_bound:
        return OfferQuery()
    return form.to_query() if form.is_valid() else None


def _search(request, *, with_facets: bool):
    form = OfferSearchForm(request.GET or None, acting_office=request.office)
    query = _query(form)
    page = centre = radius = None
    if query is not None:
        page = search_page(
            query,
            request.GET.get("page"),
            settings.ACVS_SEARCH_PAGE_SIZE,
            select_related=("commune", "owner_office"),
            only=RESULT_FIELDS,
        )
        prefetch_related_objects(page.object_list, "types", "labels")
        radius = query.radius_km
        centre = query.centre if radius else None
    context = {
        "form": form,
        "query": query,
        "page": page,
        "facets": _facet_rows(offer_facets(query)) if with_facets and query else None,
        "lazy": not with_facets and query is not None,
        "total_cap": settings.ACVS_SEARCH_TOTAL_CAP,
        "centre": centre,
        "radius": radius,
        "communes": communes_for_datalist(),
        "exports": exports.available(),
    }
    context["map_points"] = _map_points(page.object_list if page else [], centre, radius)
    context["tiles_url"] = settings.ACVS_MAP_TILES_URL
    template = "offer/_body.html" if request.htmx and request.htmx.target == "search-body" else "offer/search.html"
    return render(request, template, context, status=400 if query is None else 200)


def _map_points(offers, centre=None, radius=None) -> dict:
    points = [
        {"name": o.name, "lat": o.latitude, "lon": o.longitude, "url": reverse("offer:detail", args=[o.pk])}
        for o in offers
    ]
    return {"points": points, "centre": centre, "radius_km": radius}


def _facet_rows(facets: dict) -> dict:
    """Facet counts joined to their names, in display order, zero counts left out. Estimated counts (a sample's)
    keep two significant figures: more would pretend to a precision they do not have."""
    counts = {kind: facets[kind] for kind in ("families", "labels", "features")}
    communes = facets["communes"]
    if facets["estimated"]:
        counts = {kind: {pk: _rounded(n) for pk, n in rows.items()} for kind, rows in counts.items()}
        communes = [{**row, "n": _rounded(row["n"])} for row in communes]
    families = [(t, counts["families"][t.pk]) for t in selectors.offer_type_families() if t.pk in counts["families"]]
    labels = [(lb, counts["labels"][lb.pk]) for lb in Label.objects.filter(pk__in=counts["labels"])]
    features = [(f, counts["features"][f.pk]) for f in Feature.objects.filter(pk__in=counts["features"])]
    return {
        "families": families,
        "labels": labels,
        "accessibility": [(f, n) for f, n in features if f.kind == Feature.Kind.ACCESSIBILITY],
        "amenities": [(f, n) for f, n in features if f.kind == Feature.Kind.AMENITY],
        "communes": communes,
        "estimated": facets["estimated"],
    }


def _rounded(n: int) -> int:
    return int(float(f"{n:.2g}")) if n >= 100 else n


def detail(request, pk):
    offer = selectors.get_offer(pk)
    context = {
        "offer": offer,
        "can_change": rules.can_change_offer(request.membership, offer),
        "is_stale": selectors.is_stale(offer),
        "history": audit_history(offer)[:50],
        "map_points": _map_points([offer]),
        "tiles_url": settings.ACVS_MAP_TILES_URL,
        "exports": exports.available(),
    }
    return render(request, "offer/detail.html", context)


def _offer_data(form, periods, prices) -> services.OfferData:
    data = dict(form.cleaned_data)
    m2m = {name: list(data.pop(name) or []) for name in ("types", "labels", "features")}
    owner = data.pop("owner_office", None)
    data.pop("version", None)
    return services.OfferData(
        fields=data, **m2m, periods=formset_rows(periods), prices=formset_rows(prices), owner_office=owner
    )


def _edit(request, offer: Offer | None):
    membership = request.membership
    instance = offer or Offer()
    form_kwargs = {"instance": instance, "can_choose_owner": rules.can_choose_owner(membership)}
    if request.method == "POST":
        form = OfferForm(request.POST, **form_kwargs)
        periods = PeriodFormSet(request.POST, instance=instance, prefix="periods")
        prices = PriceFormSet(request.POST, instance=instance, prefix="prices")
        if form.is_valid() and periods.is_valid() and prices.is_valid():
            data = _offer_data(form, periods, prices)
            try:
                if offer is None:
                    saved = services.offer_create(membership=membership, data=data)
                    messages.success(request, _("Offer “%(name)s” created.") % {"name": saved.name})
                else:
                    saved = services.offer_update(
                        offer=offer, membership=membership, version=form.cleaned_data["version"] or 0, data=data
                    )
                    messages.success(request, _("Changes saved."))
                return redirect("offer:detail", saved.pk)
            except ConflictError as conflict:
                messages.error(request, str(conflict))
                form.add_error(None, _("Reload the offer to see the other changes, then make yours again."))
            except ValidationError as error:
                attach_errors(form, error)
    else:
        form = OfferForm(initial={"version": instance.version}, **form_kwargs)
        periods = PeriodFormSet(instance=instance, prefix="periods")
        prices = PriceFormSet(instance=instance, prefix="prices")
    context = {
        "form": form,
        "periods": periods,
        "prices": prices,
        "offer": offer,
        "photo_form": PhotoForm(),
        "communes": communes_for_datalist(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "offer/edit.html", context, status=status)


@rules.requires("offer.create")
def create(request):
    return _edit(request, None)


def edit(request, pk):
    offer = selectors.get_offer(pk)
    if not rules.can_change_offer(request.membership, offer):
        raise PermissionDenied
    return _edit(request, offer)


@require_POST
def verify(request, pk):
    offer = selectors.get_offer(pk)
    services.offer_verify(offer=offer, membership=request.membership)
    if request.htmx:
        return render(request, "offer/_partials/verified_row.html", {"offer": offer})
    messages.success(request, _("“%(name)s” marked as verified.") % {"name": offer.name})
    return redirect_next(request, "offer:detail", pk)


@require_POST
def photo_add(request, pk):
    offer = selectors.get_offer(pk)
    if not rules.can_change_offer(request.membership, offer):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.offer_photo_add(offer=offer, membership=request.membership, **form.cleaned_data)
        messages.success(request, _("Photo added."))
    else:
        errors = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items() if f in form.fields)
        messages.error(request, _("The photo was not added. %(errors)s") % {"errors": errors})
    return redirect("offer:edit", pk)


@require_POST
@transaction.atomic
def photo_delete(request, pk, photo_pk):
    photo = get_object_or_404(OfferPhoto.objects.select_related("offer__owner_office"), pk=photo_pk, offer_id=pk)
    services.offer_photo_delete(photo=photo, membership=request.membership)
    messages.success(request, _("Photo deleted."))
    return redirect("offer:edit", pk)


def type_tree(request):
    """The DATAtourisme classification, for reference."""
    families = OfferType.objects.filter(is_family=True).prefetch_related("descendants").order_by("position")
    return render(request, "offer/types.html", {"families": families})
