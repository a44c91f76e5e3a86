"""The criteria of the public feeds (iCal) and widgets: a few of the search's, for anyone to put in a link."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from acvs.network.models import Office
from acvs.offer.forms import CommuneField, type_choices
from acvs.offer.models import OfferType, Status
from acvs.offer.search import OfferQuery

CONTENT_LANGUAGES = [
    ("fr", "Français"),
    ("en", "English"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("es", "Español"),
    ("nl", "Nederlands"),
]
EVENTS = "EntertainmentAndEvent"
assert [code for code, _name in CONTENT_LANGUAGES] == list(settings.MODELTRANSLATION_LANGUAGES)


class FeedForm(forms.Form):
    """Published offers or events of an area (an office's territory, a commune and around), a type, a text."""

    RADIUS_CHOICES = [("", _("—")), ("5", "5 km"), ("10", "10 km"), ("20", "20 km"), ("50", "50 km")]

    office = forms.ModelChoiceField(
        label=_("Office territory"), queryset=Office.objects.filter(is_active=True), required=False
    )
    commune = CommuneField(label=_("Commune"), required=False)
    radius = forms.TypedChoiceField(
        label=_("Within"), choices=RADIUS_CHOICES, coerce=float, empty_value=None, required=False
    )
    type = forms.ModelChoiceField(label=_("Type"), queryset=OfferType.objects.all(), required=False)
    q = forms.CharField(label=pgettext_lazy("search field", "Search"), required=False, max_length=200)
    lang = forms.ChoiceField(label=_("Language"), choices=CONTENT_LANGUAGES, required=False)

    def clean(self):
        data = super().clean()
        if data.get("radius") and not data.get("commune"):
            self.add_error("radius", _("Choose a commune to search around."))
        data["lang"] = data.get("lang") or "fr"
        return data

    def to_query(self) -> OfferQuery:
        """Published offers only: a feed is public."""
        data = self.cleaned_data
        return OfferQuery(
            text=data.get("q") or "",
            types=(data["type"].pk,) if data.get("type") else (),
            commune=data.get("commune"),
            office=data.get("office"),
            radius_km=data.get("radius") if data.get("commune") else None,
            statuses=(Status.PUBLISHED,),
            order="name",
        )


class EventFeedForm(FeedForm):
    days = forms.IntegerField(label=_("Days ahead"), min_value=1, max_value=730, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = OfferType.objects.filter(ancestors__code=EVENTS)


class WidgetBuilderForm(FeedForm):
    KINDS = [("events", _("Events to come")), ("offers", _("Offers"))]

    kind = forms.ChoiceField(label=_("Show"), choices=KINDS, widget=forms.RadioSelect)
    limit = forms.IntegerField(label=_("Items shown"), min_value=1, max_value=50, required=False)

    field_order = ["kind", "office", "commune", "radius", "type", "q", "lang", "limit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All"))] + type_choices()

    def clean(self):
        data = super().clean()
        offer_type = data.get("type")
        if data.get("kind") == "events" and offer_type and not offer_type.ancestors.filter(code=EVENTS).exists():
            self.add_error("type", _("Choose a type of event, or show offers."))
        return data

    def widget_query(self) -> str:
        """The widget's (and the feed's) query string: the criteria given, in the feeds' own terms."""
        data = self.cleaned_data
        params = {
            "office": data["office"].pk if data.get("office") else "",
            "commune": data["commune"].insee if data.get("commune") else "",
            "radius": f"{data['radius']:g}" if data.get("radius") else "",
            "type": data["type"].pk if data.get("type") else "",
            "q": data.get("q") or "",
            "lang": data["lang"],
            "limit": data.get("limit") or "",
        }
        return urlencode({key: value for key, value in params.items() if value != ""})


MAX_UPLOAD = 20 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("DATAtourisme file"),
        help_text=_("One JSON-LD object, a JSON list of objects, or a flux archive (.zip); at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jsonld,.zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".json", ".jsonld", ".zip")):
            raise forms.ValidationError(_("Choose a .json, .jsonld or .zip file."))
        return upload


class ImportCommitForm(forms.Form):
    exclude_refused = forms.BooleanField(
        label=_("Import the other records and leave the refused ones out"), required=False
    )
