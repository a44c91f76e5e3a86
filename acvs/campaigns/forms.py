from django import forms
from django.utils.translation import gettext_lazy as _

from acvs.contacts import selectors as contact_selectors
from acvs.contacts.models import Purpose
from acvs.core.forms import DateTimeField, ModelMultipleChoiceField
from acvs.desk import reference
from acvs.offer.models import Offer

from .models import Block, Campaign

# The languages a campaign may be written in: a subject field each.
LANGUAGES = ("fr", "en", "de", "it", "es", "nl")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    purpose = forms.ChoiceField(label=_("Purpose (the consent required)"), choices=Purpose.choices,
                                initial=Purpose.NEWSLETTER)  # fmt: skip
    segments = ModelMultipleChoiceField(label=_("Segments"), queryset=None, required=False,
                                        widget=forms.CheckboxSelectMultiple)  # fmt: skip

    reach = forms.ChoiceField(label=_("Sent to"), choices=Campaign.Reach.choices, initial=Campaign.Reach.OFFICE)

    def __init__(self, *args, reaches=(Campaign.Reach.OFFICE,), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"].queryset = contact_selectors.segments()
        # Département and network administrators choose who their campaign reaches; everyone else: their office.
        self.fields["reach"].choices = [(k, v) for k, v in Campaign.Reach.choices if k in reaches]
        if len(reaches) < 2:
            del self.fields["reach"]
        names = reference.languages()
        for code in LANGUAGES:
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject in %(language)s") % {"language": names.get(code, code)},
                max_length=200,
                required=False,
            )

    def chosen_reach(self) -> str:
        return self.cleaned_data.get("reach") or Campaign.Reach.OFFICE

    def subjects(self) -> dict:
        return {code: self.cleaned_data[f"subject_{code}"] for code in LANGUAGES}

    @staticmethod
    def initial_for(campaign) -> dict:
        initial = {"name": campaign.name, "purpose": campaign.purpose, "segments": list(campaign.segments.all())}
        return initial | {f"subject_{code}": text for code, text in campaign.subjects.items()}


class BlockForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Block.Kind.choices)
    text = forms.CharField(label=_("Text"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Merge fields: {name}, {office_name}."))  # fmt: skip
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    image = forms.FileField(label=_("Image"), required=False)
    credit = forms.CharField(label=_("Image credit"), required=False, max_length=150)
    offers = ModelMultipleChoiceField(label=_("Offers or events"), queryset=None, required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        names = reference.languages()
        self.fields["language"].choices = [(code, names.get(code, code)) for code in campaign.languages]
        # The office's own offers and events of the shared base, by name.
        self.fields["offers"].queryset = Offer.objects.filter(
            owner_office=campaign.office_id, status="published"
        ).order_by("name")


class ReturnsForm(forms.Form):
    cost = forms.DecimalField(
        label=_("Cost (euros)"), required=False, min_value=0, max_digits=10, decimal_places=2,
        help_text=_("Design, printing, purchased files… whatever the campaign cost."),
    )  # fmt: skip
    return_days = forms.IntegerField(label=_("Return window (days)"), min_value=1, max_value=365)


class WindowForm(forms.Form):
    """The window the campaign page counts returns over (?days=), its own by default."""

    days = forms.IntegerField(min_value=1, max_value=365, required=False)


class ScheduleForm(forms.Form):
    at = DateTimeField(label=_("Sending date and time"), widget=DateTimeInput())


class TestForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        names = reference.languages()
        self.fields["language"].choices = [(code, names.get(code, code)) for code in campaign.languages]


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of our messages"), required=False)

    def __init__(self, *args, texts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        names = reference.languages()
        self.fields["language"].choices = [(code, names.get(code, code)) for code in LANGUAGES]
        for purpose in Purpose.values:
            if purpose != Purpose.REQUEST:
                self.fields[f"purpose_{purpose}"] = forms.BooleanField(label=texts[purpose], required=False)
        self.fields["tracking"] = forms.BooleanField(
            label=_("You may measure whether I open your messages and follow their links."), required=False
        )

    def wanted(self) -> dict:
        return {
            name.removeprefix("purpose_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("purpose_")
        }
