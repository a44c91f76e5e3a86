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

from .importing import connectors, legacy

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


def _kinds(extensions: tuple[str, ...]) -> str:
    if len(extensions) == 1:
        return extensions[0]
    return _("%(some)s or %(last)s") % {"some": ", ".join(extensions[:-1]), "last": extensions[-1]}


class ImportUploadForm(forms.Form):
    # Left out (older clients of the page), the source is DATAtourisme, the only one there was.
    source = forms.ChoiceField(
        label=_("Source"), choices=connectors.choices, initial=connectors.DEFAULT, required=False
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("At most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(connectors.extensions())}),
    )

    def clean(self):
        data = super().clean()
        data["source"] = source = data.get("source") or connectors.DEFAULT
        upload = data.get("file")
        if upload is None:
            return data
        if upload.size > MAX_UPLOAD:
            self.add_error("file", _("The file is larger than 20 MB."))
        elif not upload.name.lower().endswith(connectors.get(source).extensions):
            self.add_error("file", _("Choose a %(kinds)s file.") % {"kinds": _kinds(connectors.get(source).extensions)})
        return data


class ImportCommitForm(forms.Form):
    exclude_refused = forms.BooleanField(
        label=_("Import the other records and leave the refused ones out"), required=False
    )


class ConflictForm(forms.Form):
    line = forms.IntegerField(min_value=1)
    field = forms.CharField(max_length=100)
    choice = forms.ChoiceField(
        choices=[("accept", _("Take the source’s value")), ("keep", _("Keep the office’s value"))]
    )


class LegacyUploadForm(forms.Form):
    source_label = forms.CharField(
        label=_("Former base"),
        max_length=100,
        help_text=_("Its name (the software or the file it comes from): its column mapping is kept for next time."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or Windows-1252) or XLSX, the first line naming the columns; at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Choose a %(kinds)s file.") % {"kinds": _kinds((".csv", ".xlsx"))})
        return upload


def _type_code_choices():
    """Offer types by code, under their family."""
    families = OfferType.objects.filter(is_family=True).prefetch_related("descendants").order_by("position")
    groups = [("", _("— unknown type: lines refused —"))]
    for family in families:
        members = sorted(family.descendants.all(), key=lambda t: t.label)
        groups.append((family.label, [(t.code, t.label) for t in members]))
    return groups


class LegacyMappingForm(forms.Form):
    """One select per column of the file (which offer field it feeds), one per type label of the file."""

    def __init__(
        self, *args, header: list[str], columns: dict, labels: list[str], type_labels: dict, rows=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.header, self.labels = header, labels
        # The first values of each column, to recognise it.
        samples = [[row[i][:40] for row in rows[:20] if i < len(row) and row[i]][:3] for i in range(len(header))]
        fields = [("", _("— not imported —")), *((k, v) for k, v in legacy.FIELDS.items())]
        for i, title in enumerate(header):
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=title or _("(column %(n)s without a name)") % {"n": i + 1},
                choices=fields,
                required=False,
                initial=columns.get(title, ""),
                help_text=" · ".join(samples[i]) if samples else "",
            )
        if labels:
            choices = _type_code_choices()
        for i, label in enumerate(labels):
            self.fields[f"label_{i}"] = forms.ChoiceField(
                label=label, choices=choices, required=False, initial=type_labels.get(label, "")
            )

    def column_fields(self):
        return [self[f"col_{i}"] for i in range(len(self.header))]

    def label_fields(self):
        return [self[f"label_{i}"] for i in range(len(self.labels))]

    def columns(self) -> dict[str, str]:
        data = self.cleaned_data
        return {title: data[f"col_{i}"] for i, title in enumerate(self.header) if data.get(f"col_{i}")}

    def type_labels(self) -> dict[str, str]:
        return {label: self.cleaned_data.get(f"label_{i}", "") for i, label in enumerate(self.labels)}


class ReviewForm(forms.Form):
    """For each uncertain match of a run: the same offer as one proposed, or a new one."""

    def __init__(self, *args, lines: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            choices = [(str(c["offer"]), c["name"]) for c in line["candidates"]]
            self.fields[f"match_{line['line']}"] = forms.ChoiceField(
                label=line["name"], choices=[*choices, ("new", _("A new offer"))], required=False,
                widget=forms.RadioSelect,
            )  # fmt: skip

    def choices(self) -> dict[int, str]:
        return {line["line"]: value for line in self.lines if (value := self.cleaned_data.get(f"match_{line['line']}"))}
