"""The API's input read by the screens' own forms: the search criteria by the search form, an offer by the offer
form and its formsets, so that both accept and refuse exactly the same things."""

from django import forms
from django.utils.translation import gettext_lazy as _

from acvs.availability.forms import AvailabilityForm
from acvs.core.forms import DateField, DateTimeField
from acvs.offer.forms import CommuneField, OfferForm, OfferSearchForm, PeriodFormSet, PriceFormSet
from acvs.offer.models import Feature, Label, Offer, OfferType
from acvs.offer.search import OfferQuery

from .models import Scope

MAX_PER_PAGE = 100
LANGUAGES = ("fr", "en", "de", "it", "es", "nl")
SCALARS = [
    "name", "status", "provider", "address", "postcode", "commune", "latitude", "longitude", "phone", "email",
    "website", "capacity_persons", "capacity_units", "capacity_unit", "languages", "pets",
    *(f"{kind}_{lang}" for lang in LANGUAGES for kind in ("short_description", "description")),
]  # fmt: skip
PERIOD_FIELDS = ["start_date", "end_date", "weekdays", "opens", "closes", "note"]
PRICE_FIELDS = ["label", "min_amount", "max_amount", "unit", "valid_from", "valid_to"]
BY_CODE = {"types": OfferType, "labels": Label, "features": Feature}


class OfferFilterForm(OfferSearchForm):
    """The search page's criteria, plus what a synchronising program needs: types by their DATAtourisme code
    (any level), offers changed since a moment, and the page size."""

    type = forms.CharField(required=False, max_length=2000, help_text=_("DATAtourisme codes, comma-separated"))
    updated_since = DateTimeField(label=_("Changed since"), required=False)
    per_page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PER_PAGE)

    def __init__(self, *args, acting_office=None, **kwargs):
        # Not the search form's __init__: it builds the precise types' grouped choices and a label for the page
        # (30 ms a request); the fields validate against their querysets all the same.
        forms.Form.__init__(self, *args, **kwargs)
        self.acting_office = acting_office

    def clean_type(self):
        codes = [c.strip() for c in self.cleaned_data["type"].split(",") if c.strip()]
        found = dict(OfferType.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(_("Unknown type: %(codes)s.") % {"codes": ", ".join(unknown)})
        return [found[c] for c in codes]

    def to_query(self) -> OfferQuery:
        query = super().to_query()
        types = query.types + tuple(self.cleaned_data.get("type") or ())
        return OfferQuery(**{**query.__dict__, "types": types, "updated_since": self.cleaned_data.get("updated_since")})


class RangeForm(forms.Form):
    """A date range (availability nights, event occurrences), at most `MAX_DAYS` long."""

    MAX_DAYS = 366
    start = DateField(label=_("From"))
    end = DateField(label=_("To"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The range ends before it starts."))
            elif (end - start).days >= self.MAX_DAYS:
                self.add_error("end", _("At most %(max)s days at once.") % {"max": self.MAX_DAYS})
        return data


class EventFilterForm(RangeForm):
    q = forms.CharField(required=False, max_length=200)
    commune = CommuneField(required=False)
    radius = forms.FloatField(required=False, min_value=0.5, max_value=100)
    per_page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PER_PAGE)


class ProviderFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)


class AvailabilityWriteForm(AvailabilityForm):
    """The calendar's own form."""


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Who uses it, e.g. “Website of the office”"))
    scopes = forms.MultipleChoiceField(
        label=_("It may"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple, initial=[Scope.READ]
    )
    expires_at = DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: until it is revoked."),
    )


def offer_payload(offer: Offer) -> dict:
    """An offer as the write endpoints take it: what a partial update starts from."""
    payload = {name: getattr(offer, f"{name}_id" if name in ("provider",) else name) for name in SCALARS}
    payload["commune"] = offer.commune.insee
    payload["phone"] = str(offer.phone or "")
    for name in BY_CODE:
        payload[name] = [row.code for row in getattr(offer, name).all()]
    payload["periods"] = [{f: getattr(p, f) for f in PERIOD_FIELDS} for p in offer.periods.all()]
    payload["prices"] = [{f: getattr(p, f) for f in PRICE_FIELDS} for p in offer.prices.all()]
    return payload


def _form_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list):
        return [_form_value(v) for v in value]
    return value if isinstance(value, str) else str(value)


def _rows(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{name}": _form_value(value) for name, value in row.items()})
    return data


class OfferInput:
    """An offer's JSON payload read by the offer form and its formsets; `errors` as the API answers them."""

    def __init__(self, payload: dict):
        self.errors: dict = {}
        data = {name: _form_value(payload.get(name)) for name in SCALARS}
        for name, model in BY_CODE.items():
            codes = payload.get(name) or []
            found = dict(model.objects.filter(code__in=codes).values_list("code", "pk"))
            unknown = [c for c in codes if c not in found]
            if unknown:
                self.errors[name] = [_("Unknown code: %(codes)s.") % {"codes": ", ".join(unknown)}]
            data[name] = [str(found[c]) for c in codes if c in found]
        data |= _rows("periods", payload.get("periods") or []) | _rows("prices", payload.get("prices") or [])
        blank = Offer()
        self.form = OfferForm(data, instance=blank)  # the owner: the token's office (api.services)
        self.periods = PeriodFormSet(data, instance=blank, prefix="periods")
        self.prices = PriceFormSet(data, instance=blank, prefix="prices")

    def is_valid(self) -> bool:
        valid = all([self.form.is_valid(), self.periods.is_valid(), self.prices.is_valid()]) and not self.errors
        if not valid:
            self.errors |= {name: list(errors) for name, errors in self.form.errors.items() if name != "__all__"}
            general = list(self.form.non_field_errors())
            for name, formset in (("periods", self.periods), ("prices", self.prices)):
                if any(formset.errors):
                    self.errors[name] = [{k: list(v) for k, v in e.items()} for e in formset.errors]
                general += list(formset.non_form_errors())
            if general:
                self.errors["non_field_errors"] = general
        return valid
