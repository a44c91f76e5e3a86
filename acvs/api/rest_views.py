"""The endpoints of /api/v1/: thin views reading the screens' forms and calling the same selectors and services."""

import hashlib
from collections import defaultdict
from contextlib import ExitStack

from django import forms as django_forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotAcceptable
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from acvs.agenda import selectors as agenda_selectors
from acvs.availability import selectors as availability_selectors
from acvs.core import tenancy
from acvs.core.forms import formset_rows
from acvs.core.paginator import page_number
from acvs.network.models import Office
from acvs.offer import exports, providers
from acvs.offer import selectors as offer_selectors
from acvs.offer.models import Offer, OfferType
from acvs.offer.search import search_page
from acvs.offer.services import OfferData

from . import forms, services
from . import serializers as out
from .models import ApiToken, Scope
from .renderers import DatatourismeJsonLd
from .schema import ApiSchema

PER_PAGE = 50
# What a list shows of an offer (OfferSummarySerializer): the texts and contacts are left in the table.
SUMMARY_FIELDS = (
    "uuid", "name", "status", "latitude", "longitude", "version", "updated_at", "commune", "owner_office",
    "short_description", *(f"short_description_{lang}" for lang in settings.MODELTRANSLATION_LANGUAGES),
)  # fmt: skip


class TokenScopes(BasePermission):
    message = _("This token may only read: create a token with the write scope.")

    def has_permission(self, request, view):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        return token is None or request.method in SAFE_METHODS or token.allows(Scope.WRITE)


class ApiView(APIView):
    """Acts in the token's office scope (a session acts in the one the office middleware entered)."""

    permission_classes = [IsAuthenticated, TokenScopes]
    schema = ApiSchema()

    def initial(self, request, *args, **kwargs):
        self.scope = ExitStack()
        super().initial(request, *args, **kwargs)
        if self.token is not None:
            self.scope.enter_context(tenancy.scope_for(office=self.token.office_id))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "scope", None) is not None:
            self.scope.close()
        return response

    @property
    def token(self) -> ApiToken | None:
        auth = getattr(self.request, "auth", None)
        return auth if isinstance(auth, ApiToken) else None

    @property
    def membership(self):
        return self.token.membership if self.token else self.request._request.membership

    def serializer_context(self) -> dict:
        # The office the caller acts for: a provider's staff is shown to the owning office only.
        # A signed-in user without an office (no membership) sees what any office's staff sees of a provider: nothing.
        return {"request": self.request, "office_id": self.membership.office_id if self.membership else None}

    def read(self, form_class, **kwargs):
        form = form_class(self.request.query_params or None, **kwargs)
        if not form.is_bound:
            form = form_class({}, **kwargs)
        if not form.is_valid():
            raise ApiValidationError({k: list(v) for k, v in form.errors.items()})
        return form


def form_parameters(form_class) -> list[OpenApiParameter]:
    """A form's fields as the OpenAPI description's query parameters."""
    params = []
    for name, field in form_class.base_fields.items():
        many = isinstance(field, django_forms.MultipleChoiceField | django_forms.ModelMultipleChoiceField)
        kind = OpenApiTypes.INT if isinstance(field, django_forms.IntegerField) else OpenApiTypes.STR
        kind = OpenApiTypes.NUMBER if isinstance(field, django_forms.FloatField) else kind
        kind = OpenApiTypes.DATE if isinstance(field, django_forms.DateField) else kind
        kind = OpenApiTypes.DATETIME if isinstance(field, django_forms.DateTimeField) else kind
        params.append(
            OpenApiParameter(name, kind, required=field.required, many=many, description=str(field.help_text or ""))
        )
    return params + [OpenApiParameter("page", OpenApiTypes.INT)]


def page_of(serializer_class, name: str):
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "estimated": serializers.BooleanField(help_text="count is an estimate (a broad search)"),
            "page": serializers.IntegerField(),
            "pages": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


def paged(request, page, results, *, estimated=False) -> dict:
    def link(number):
        params = request.query_params.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "count": page.paginator.count,
        "estimated": estimated,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": results,
    }


def cached(request, data, last_modified=None) -> Response:
    """An answer with its ETag (a digest of its body) and Last-Modified; 304 when the client's copy is current."""
    body = data if isinstance(data, bytes) else JSONRenderer().render(data)
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    headers = {"ETag": etag}
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified.timestamp())
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(data, headers=headers)


def wants_json_ld(request) -> bool:
    return request.accepted_renderer.format == DatatourismeJsonLd.format


def json_ld(request, offers: list[Offer]) -> bytes:
    """Offers as the DATAtourisme JSON-LD export writes them (its registered format and prefetch)."""
    export = exports.get(DatatourismeJsonLd.format)
    if export is None:
        raise NotAcceptable(_("This installation has no DATAtourisme export."))
    prefetch_related_objects(offers, *export.prefetch)
    return export.render(offers, request.build_absolute_uri("/"))


def offer_data(payload: dict) -> OfferData:
    """The payload read by the offer form (400 with every field's error), as the offer services take it."""
    read = forms.OfferInput(payload)
    if not read.is_valid():
        raise ApiValidationError(read.errors)
    data = dict(read.form.cleaned_data)
    m2m = {name: list(data.pop(name) or []) for name in ("types", "labels", "features")}
    data.pop("version", None)
    return OfferData(fields=data, **m2m, periods=formset_rows(read.periods), prices=formset_rows(read.prices))


def attach_codes(offers) -> None:
    """The codes of the offers' types and labels, one query each (a prefetch built 100 instances per offer)."""
    ids = [offer.pk for offer in offers]
    for name, through, column in (("types", Offer.types.through, "offertype__code"),
                                  ("labels", Offer.labels.through, "label__code")):  # fmt: skip
        codes = defaultdict(list)
        for offer_id, code in through.objects.filter(offer_id__in=ids).values_list("offer_id", column):
            codes[offer_id].append(code)
        for offer in offers:
            setattr(offer, f"_{name}_codes", codes[offer.pk])


def detail_offer(pk) -> Offer:
    offer = offer_selectors.get_offer(pk)
    prefetch_related_objects([offer], "provider__contacts", "event_schedules")
    offer.upcoming = agenda_selectors.upcoming_occurrences(offer, timezone.localdate())
    return offer


class Offers(ApiView):
    renderer_classes = [JSONRenderer, DatatourismeJsonLd]

    @extend_schema(
        parameters=form_parameters(forms.OfferFilterForm),
        responses={
            (200, "application/json"): page_of(out.OfferSummarySerializer, "OfferPage"),
            (200, "application/ld+json"): OpenApiTypes.OBJECT,
        },
        operation_id="offers_list",
        summary="Search offers with the search page's criteria (JSON, or DATAtourisme JSON-LD with Link pages)",
    )
    def get(self, request):
        form = self.read(forms.OfferFilterForm, acting_office=self.membership.office if self.membership else None)
        page = search_page(
            form.to_query(),
            page_number(request.query_params.get("page")),
            form.cleaned_data.get("per_page") or PER_PAGE,
            select_related=("commune",),
            only=() if wants_json_ld(request) else SUMMARY_FIELDS,
        )
        if wants_json_ld(request):
            links = paged(request, page, [])
            rels = [f'<{links[rel]}>; rel="{rel}"' for rel in ("next", "previous") if links[rel]]
            headers = {"X-Total-Count": str(page.paginator.count)} | ({"Link": ", ".join(rels)} if rels else {})
            return Response(json_ld(request, list(page.object_list)), headers=headers)
        attach_codes(page.object_list)
        offices = Office.objects.only("name").in_bulk({offer.owner_office_id for offer in page.object_list})
        for offer in page.object_list:
            offer.owner_office = offices[offer.owner_office_id]  # a few offices: not one full row per offer
        results = out.OfferSummarySerializer(page.object_list, many=True).data
        return Response(paged(request, page, results, estimated=page.paginator.estimated))

    @extend_schema(
        request=out.OfferInputSerializer, responses={201: out.OfferDetailSerializer}, summary="Create an offer"
    )
    def post(self, request):
        shape = out.OfferInputSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        data = offer_data(shape.validated_data)
        offer = services.offer_create(membership=self.membership, token=self.token, data=data)
        data = out.OfferDetailSerializer(detail_offer(offer.pk), context=self.serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class OfferDetail(ApiView):
    renderer_classes = [JSONRenderer, DatatourismeJsonLd]

    @extend_schema(
        responses={
            (200, "application/json"): out.OfferDetailSerializer,
            (200, "application/ld+json"): OpenApiTypes.OBJECT,
        },
        summary="An offer with its places, periods, prices, photos (JSON, or DATAtourisme JSON-LD)",
    )
    def get(self, request, pk):
        if wants_json_ld(request):
            offer = offer_selectors.get_offer(pk)
            return cached(request, json_ld(request, [offer]), offer.updated_at)
        offer = detail_offer(pk)
        data = out.OfferDetailSerializer(offer, context=self.serializer_context()).data
        return cached(request, data, offer.updated_at)

    @extend_schema(
        request=out.OfferInputSerializer,
        responses=out.OfferDetailSerializer,
        summary="Change an offer: the fields given replace the current ones; `version` is required",
    )
    def patch(self, request, pk):
        offer = offer_selectors.get_offer(pk)
        shape = out.OfferInputSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        if "version" not in shape.validated_data:
            raise ApiValidationError({"version": [_("Give the version you read: it guards against lost changes.")]})
        given = {k: v for k, v in shape.validated_data.items() if k != "version"}
        payload = forms.offer_payload(offer) | given
        services.offer_update(
            membership=self.membership,
            token=self.token,
            offer=offer,
            version=shape.validated_data["version"],
            data=offer_data(payload),
        )
        return Response(out.OfferDetailSerializer(detail_offer(pk), context=self.serializer_context()).data)


class OfferAvailability(ApiView):
    @extend_schema(
        parameters=form_parameters(forms.RangeForm),
        responses=out.NightSerializer(many=True),
        summary="An accommodation's nights over a date range",
    )
    def get(self, request, pk):
        offer = offer_selectors.get_offer(pk)
        form = self.read(forms.RangeForm)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        nights = [
            {"night": day.date, "state": day.state, "units_free": day.units_free, "updated_at": day.updated_at}
            for month in availability_selectors.calendar_months(offer, start, months)
            for week in month.weeks
            for day in week
            if day.in_month and start <= day.date <= end
        ]
        return Response(out.NightSerializer(nights, many=True).data)

    @extend_schema(
        request=out.AvailabilityInputSerializer,
        responses=out.ChangedNightsSerializer,
        summary="Set the nights from start to end (both included) to a state",
    )
    def post(self, request, pk):
        offer = offer_selectors.get_offer(pk)
        form = forms.AvailabilityWriteForm(request.data)
        if not form.is_valid():
            raise ApiValidationError({k: list(v) for k, v in form.errors.items()})
        changes = services.availability_set(
            membership=self.membership, token=self.token, offer=offer, **form.cleaned_data
        )
        return Response({"changed": len(changes)})


class Providers(ApiView):
    @extend_schema(
        parameters=form_parameters(forms.ProviderFilterForm),
        responses=page_of(out.ProviderSerializer, "ProviderPage"),
        operation_id="providers_list",
    )
    def get(self, request):
        form = self.read(forms.ProviderFilterForm)
        qs = providers.providers_search(form.cleaned_data["q"]).prefetch_related("contacts")
        page = Paginator(qs, PER_PAGE).get_page(page_number(request.query_params.get("page")))
        data = out.ProviderSerializer(page.object_list, many=True, context=self.serializer_context()).data
        return Response(paged(request, page, data))


class ProviderDetail(ApiView):
    @extend_schema(responses=out.ProviderSerializer)
    def get(self, request, pk):
        provider = providers.get_provider(pk)
        return cached(
            request, out.ProviderSerializer(provider, context=self.serializer_context()).data, provider.updated_at
        )


class Events(ApiView):
    @extend_schema(
        parameters=form_parameters(forms.EventFilterForm),
        responses=page_of(out.EventOccurrenceSerializer, "EventPage"),
        summary="Occurrences of published events between two dates, by day and time",
    )
    def get(self, request):
        form = self.read(forms.EventFilterForm)
        data = form.cleaned_data
        occurrences = agenda_selectors.events_during(
            data["start"], data["end"], data["commune"], data["radius"], text=data["q"]
        ).select_related("offer__owner_office")
        page = Paginator(occurrences, data.get("per_page") or PER_PAGE).get_page(
            page_number(request.query_params.get("page"))
        )
        attach_codes([occurrence.offer for occurrence in page.object_list])
        return Response(paged(request, page, out.EventOccurrenceSerializer(page.object_list, many=True).data))


class Types(ApiView):
    @extend_schema(responses=out.TypeSerializer(many=True), summary="The DATAtourisme type tree (several parents)")
    def get(self, request):
        types = OfferType.objects.prefetch_related("parents").order_by("position", "code")
        return cached(request, out.TypeSerializer(types, many=True).data)
