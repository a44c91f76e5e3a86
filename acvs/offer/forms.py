from django import forms
from django.conf import global_settings, settings
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from acvs.core.forms import DateField, ModelMultipleChoiceField
from acvs.network.models import Commune, Office

from .models import (
    Feature,
    Label,
    Offer,
    OfferPhoto,
    OfferType,
    OpeningPeriod,
    Price,
    Provider,
    ProviderContact,
    Status,
)
from .models.offer import WEEKDAYS
from .search import OfferQuery

SPOKEN_LANGUAGES = ["fr", "en", "de", "it", "es", "nl", "pt", "ru", "zh-hans", "ja", "ar", "pl", "sv", "da"]


def language_choices():
    names = dict(global_settings.LANGUAGES)
    return [(code.split("-")[0], _(names[code])) for code in SPOKEN_LANGUAGES]


class CommuneField(forms.CharField):
    """A commune typed as its INSEE code, "Name (postcode)" or its exact name; a datalist helps typing."""

    default_error_messages = {
        "unknown": _("Unknown commune: pick one from the list (name and postcode)."),
        "ambiguous": _("Several communes have this name: add the postcode, e.g. “%(example)s”."),
    }

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        ProhibitNullCharactersValidator()(value)  # before the queries: PostgreSQL refuses NUL characters
        if value.isdigit() or value[:2] in {"2A", "2B"} and len(value) == 5:
            commune = Commune.objects.filter(insee=value).first()
            if commune:
                return commune
        name, _sep, rest = value.partition(" (")
        postcode = rest.rstrip(")").strip()
        candidates = list(Commune.objects.filter(name__iexact=name.strip()))
        if postcode:
            candidates = [c for c in candidates if postcode in c.postcode_list]
        if not candidates:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        if len(candidates) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"example": str(candidates[0])}
            )
        return candidates[0]

    def prepare_value(self, value):
        if isinstance(value, Commune):
            return str(value)
        if isinstance(value, str) and len(value) == 5:
            commune = Commune.objects.filter(insee=value).first()
            return str(commune) if commune else value
        return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def communes_for_datalist():
    return Commune.objects.order_by("name").only("name", "postcodes")


def type_choices():
    """Types grouped under their family, for a select with optgroups."""
    families = OfferType.objects.filter(is_family=True).prefetch_related("descendants").order_by("position")
    groups = []
    for family in families:
        members = sorted((t for t in family.descendants.all()), key=lambda t: t.label)
        groups.append((family.label, [(t.pk, t.label) for t in members]))
    return groups


class ValueCheckbox(forms.CheckboxInput):
    """A checkbox that sends `value` when ticked, so that a link can say it (`?owner=mine&stale=1`)."""

    def __init__(self, value: str, attrs=None):
        super().__init__(attrs, check_test=lambda v: v == value)
        self.checked_value = value

    def format_value(self, value):
        return self.checked_value

    def value_from_datadict(self, data, files, name):
        return data.get(name) or ""


class OfferSearchForm(forms.Form):
    RADIUS_CHOICES = [("", _("—")), ("2", "2 km"), ("5", "5 km"), ("10", "10 km"), ("20", "20 km"), ("50", "50 km")]
    ORDER_CHOICES = [
        ("relevance", _("Relevance")),
        ("name", _("Name")),
        ("distance", _("Distance")),
        ("freshness", _("Recently verified")),
    ]

    q = forms.CharField(label=pgettext_lazy("search field", "Search"), required=False, max_length=200)
    types = ModelMultipleChoiceField(
        label=_("Types"),
        queryset=OfferType.objects.filter(is_family=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subtype = forms.ModelChoiceField(label=_("Precise type"), queryset=OfferType.objects.all(), required=False)
    commune = CommuneField(label=_("Commune"), required=False)
    radius = forms.TypedChoiceField(
        label=_("Within"), choices=RADIUS_CHOICES, coerce=float, empty_value=None, required=False
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    office = forms.ModelChoiceField(
        label=_("Office territory"), queryset=Office.objects.filter(is_active=True), required=False
    )
    labels = ModelMultipleChoiceField(
        label=_("Labels and classifications"),
        queryset=Label.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    features = ModelMultipleChoiceField(
        label=_("Accessibility and amenities"),
        queryset=Feature.objects.exclude(kind=Feature.Kind.PAYMENT),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    all_statuses = forms.BooleanField(label=_("Include drafts and archived offers"), required=False)
    owner = forms.ChoiceField(
        label=_("Only my office's offers"), choices=[("mine", "mine")], required=False, widget=ValueCheckbox("mine")
    )
    stale = forms.ChoiceField(
        label=_("Only offers to verify"), choices=[("1", "1")], required=False, widget=ValueCheckbox("1")
    )
    order = forms.ChoiceField(label=_("Sort by"), choices=ORDER_CHOICES, required=False)
    arrival = DateField(label=_("Arrival"), required=False, widget=DateInput())
    departure = DateField(label=_("Departure"), required=False, widget=DateInput())

    MAX_STAY_NIGHTS = 60

    def __init__(self, *args, acting_office: Office | None = None, **kwargs):
        """`acting_office`: the user's office, whose offers "owner=mine" keeps."""
        super().__init__(*args, **kwargs)
        self.acting_office = acting_office
        self.fields["subtype"].choices = [("", _("All"))] + type_choices()
        # The home page's list: not archived, not verified for the freshness period (offer.selectors.to_verify).
        months = settings.ACVS_FRESHNESS_MONTHS
        self.fields["stale"].label = ngettext(
            "Only offers to verify (not verified for %(months)s month)",
            "Only offers to verify (not verified for %(months)s months)",
            months,
        ) % {"months": months}

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("A point needs both a latitude and a longitude."))
        if data.get("radius") and not data.get("commune") and lat is None:
            self.add_error("radius", _("Choose a commune or a point on the map to search around."))
        if data.get("owner") and self.acting_office is None:
            self.add_error("owner", _("You do not act for an office: no offers are yours."))
        arrival, departure = data.get("arrival"), data.get("departure")
        if arrival and not departure and "departure" not in self.errors:
            self.add_error("departure", _("Give the departure date too."))
        elif departure and not arrival and "arrival" not in self.errors:
            self.add_error("arrival", _("Give the arrival date too."))
        elif arrival and departure:
            if departure <= arrival:
                self.add_error("departure", _("The departure must be after the arrival."))
            elif (departure - arrival).days > self.MAX_STAY_NIGHTS:
                self.add_error("departure", _("A stay lasts at most %(max)s nights.") % {"max": self.MAX_STAY_NIGHTS})
        return data

    def to_query(self) -> OfferQuery:
        data = self.cleaned_data
        types = [t.pk for t in data.get("types") or []]
        if data.get("subtype"):
            types.append(data["subtype"].pk)
        point = (data["lat"], data["lon"]) if data.get("lat") is not None else None
        return OfferQuery(
            text=data.get("q") or "",
            types=tuple(types),
            commune=data.get("commune"),
            office=data.get("office"),
            point=point,
            radius_km=data.get("radius"),
            labels=tuple(label.pk for label in data.get("labels") or []),
            features=tuple(f.pk for f in data.get("features") or []),
            statuses=() if data.get("all_statuses") else (Status.PUBLISHED,),
            owner=self.acting_office if data.get("owner") else None,
            to_verify=bool(data.get("stale")),
            order=data.get("order") or "relevance",
            arrival=data.get("arrival"),
            departure=data.get("departure"),
        )


class OfferForm(forms.ModelForm):
    commune = CommuneField(label=_("Commune"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=language_choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Offer
        fields = [
            "name", "types", "status", "provider", "owner_office",
            "short_description_fr", "description_fr", "short_description_en", "description_en",
            "short_description_de", "description_de", "short_description_it", "description_it",
            "short_description_es", "description_es", "short_description_nl", "description_nl",
            "address", "postcode", "commune", "latitude", "longitude", "phone", "email", "website",
            "capacity_persons", "capacity_units", "capacity_unit", "labels", "features", "languages", "pets",
        ]  # fmt: skip
        widgets = {
            "types": forms.SelectMultiple(attrs={"size": 8}),
            "labels": forms.CheckboxSelectMultiple,
            "features": forms.CheckboxSelectMultiple,
            "description_fr": forms.Textarea(attrs={"rows": 5}),
            **{f"description_{lang}": forms.Textarea(attrs={"rows": 3}) for lang in ("en", "de", "it", "es", "nl")},
        }
        field_classes = {"types": ModelMultipleChoiceField, "labels": ModelMultipleChoiceField,
                         "features": ModelMultipleChoiceField}  # fmt: skip
        help_texts = {
            "latitude": _("Decimal degrees, e.g. 43.1729. Leave empty to use the commune's centre."),
        }

    def __init__(self, *args, can_choose_owner=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["types"].choices = type_choices()
        self.fields["provider"].queryset = self.fields["provider"].queryset.order_by("name")
        self.fields["latitude"].required = False
        self.fields["longitude"].required = False
        if not can_choose_owner:
            del self.fields["owner_office"]
        else:
            self.fields["owner_office"].required = False
            self.fields["owner_office"].help_text = _("Empty: the office whose territory holds the commune.")

    def clean(self):
        data = super().clean()
        commune = data.get("commune")
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        if commune and lat is None:
            data["latitude"], data["longitude"] = commune.latitude, commune.longitude
        if commune and data.get("postcode") and data["postcode"] not in commune.postcode_list:
            self.add_error(
                "postcode",
                _("%(postcode)s is not a postcode of %(commune)s (%(known)s).")
                % {"postcode": data["postcode"], "commune": commune.name, "known": ", ".join(commune.postcode_list)},
            )
        return data


class PeriodForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"), choices=WEEKDAYS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = OpeningPeriod
        fields = ["start_date", "end_date", "weekdays", "opens", "closes", "note"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        field_classes = {"start_date": DateField, "end_date": DateField}


class PriceForm(forms.ModelForm):
    class Meta:
        model = Price
        fields = ["label", "min_amount", "max_amount", "unit", "valid_from", "valid_to"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        field_classes = {"valid_from": DateField, "valid_to": DateField}


# absolute_max: a posted TOTAL_FORMS beyond max_num builds no more forms (by default Django built up to 1,000 more and
# rendered them all again: twenty seconds of work for one request).
PeriodFormSet = forms.inlineformset_factory(
    Offer, OpeningPeriod, form=PeriodForm, extra=1, can_delete=True, max_num=60, validate_max=True, absolute_max=60
)
PriceFormSet = forms.inlineformset_factory(
    Offer, Price, form=PriceForm, extra=1, can_delete=True, max_num=60, validate_max=True, absolute_max=60
)


class PhotoForm(forms.ModelForm):
    class Meta:
        model = OfferPhoto
        fields = ["image", "credit", "caption"]
        labels = {"credit": pgettext_lazy("photo", "Credit")}


class ProviderForm(forms.ModelForm):
    commune = CommuneField(label=_("Commune"), required=False)

    class Meta:
        model = Provider
        fields = ["name", "legal_name", "siret", "address", "commune", "phone", "email", "website"]

    def clean_siret(self):
        siret = self.cleaned_data["siret"].replace(" ", "")
        if siret and (len(siret) != 14 or not siret.isdigit()):
            raise forms.ValidationError(_("A SIRET number has 14 digits."))
        return siret


ContactFormSet = forms.inlineformset_factory(
    Provider, ProviderContact, fields=["name", "role", "phone", "email"], extra=1, can_delete=True, max_num=30,
    absolute_max=30,
)  # fmt: skip
