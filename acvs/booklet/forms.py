from django import forms
from django.utils.translation import gettext_lazy as _

from acvs.core.forms import DateField
from acvs.offer.models import Offer

from .models import LANGUAGE_CODES, LANGUAGES, Booklet, Branding
from .services import BRANDING_TEXTS


class BookletForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Booklet
        fields = ["title", "language", "layout", "stay_start", "stay_end", "greeting", "closing", "recipient"]
        widgets = {
            "stay_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "stay_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "greeting": forms.Textarea(attrs={"rows": 3}),
            "closing": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"stay_start": DateField, "stay_end": DateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class ItemAddForm(forms.Form):
    offer = forms.ModelChoiceField(queryset=Offer.objects.all())


class ItemForm(forms.Form):
    day = forms.IntegerField(label=_("Day"), required=False, min_value=1, max_value=60)
    note = forms.CharField(label=_("Personal note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SendForm(forms.Form):
    # A plain text field: the service validates the address and says clearly what is wrong.
    to = forms.CharField(label=_("Visitor’s email"), max_length=254, required=False)
    with_pdf = forms.BooleanField(label=_("Attach the PDF"), required=False, initial=True)


class BrandingForm(forms.ModelForm):
    """Colours, layout, and the office's hours and footer in each booklet language (French: the others' fallback)."""

    class Meta:
        model = Branding
        fields = ["primary_colour", "accent_colour", "default_layout", *BRANDING_TEXTS]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
            **{f"opening_hours_{code}": forms.Textarea(attrs={"rows": 3}) for code in LANGUAGE_CODES},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(LANGUAGES)
        for code in LANGUAGE_CODES:
            self.fields[f"opening_hours_{code}"].label = _("Office opening hours (%(language)s)") % {
                "language": names[code]
            }
            self.fields[f"footer_{code}"].label = _("Footer (%(language)s)") % {"language": names[code]}
