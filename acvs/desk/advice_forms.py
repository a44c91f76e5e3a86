"""Forms of the advice page and of the themes screen (apart from the counter's forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from acvs.offer.forms import CommuneField
from acvs.offer.models import OfferType

from .models import Theme

# More criteria than a request can have: a longer list is not the page's.
MAX_DROPPED = 40


class AdviceForm(forms.Form):
    """What the agent changed on the advice page: criteria dropped for one look, a place to advise around."""

    without = forms.MultipleChoiceField(required=False)
    place = CommuneField(label=_("Around"), required=False)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["without"].choices = [(c.key, c.label) for c in criteria]
        self.fields["without"].error_messages["invalid_choice"] = _("This criterion is not the request’s.")

    def clean_without(self):
        value = self.cleaned_data["without"]
        if len(value) > MAX_DROPPED:
            raise forms.ValidationError(_("Too many criteria."))
        return value


class ThemeTypesForm(forms.Form):
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(), widget=forms.HiddenInput, error_messages={"invalid_choice": _("Unknown theme.")}
    )
    offer_types = forms.MultipleChoiceField(
        label=_("Offer types"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        families = OfferType.objects.filter(is_family=True).prefetch_related("descendants").order_by("position")
        self.fields["offer_types"].choices = [
            (family.label, [(t.code, t.label) for t in sorted(family.descendants.all(), key=lambda t: t.label)])
            for family in families
        ]
