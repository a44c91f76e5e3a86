from django import forms
from django.utils.translation import gettext_lazy as _

from acvs.core.forms import DateField

from .models import State


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AvailabilityForm(forms.Form):
    start = DateField(label=_("First night"), widget=DateInput())
    end = DateField(label=_("Last night"), widget=DateInput())
    state = forms.ChoiceField(label=_("State"), choices=State.choices)
    units_free = forms.IntegerField(
        label=_("Units free"),
        required=False,
        min_value=0,
        max_value=32767,
        help_text=_("Optional: rooms, pitches or lodgings still free."),
    )
