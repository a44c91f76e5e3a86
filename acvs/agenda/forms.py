from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from acvs.core.forms import DateField
from acvs.network.models import Office
from acvs.offer.forms import CommuneField
from acvs.offer.models.offer import WEEKDAYS

DEFAULT_DAYS = 30
MAX_SPAN_DAYS = 366


class ScheduleForm(forms.Form):
    """Dates of an event: one day (no last date), or a range on some weekdays; optional times."""

    start_date = DateField(label=_("Date (or first date)"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = DateField(
        label=_("Last date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a single date."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Only on"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day of the range."),
    )
    start_time = forms.TimeField(label=_("Starts at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class PlacesForm(forms.Form):
    places_left = forms.IntegerField(
        label=_("Places left"), min_value=0, max_value=100_000, required=False, help_text=_("Empty: unknown.")
    )


class AgendaForm(forms.Form):
    RADIUS_CHOICES = [("", _("—")), ("5", "5 km"), ("10", "10 km"), ("20", "20 km"), ("50", "50 km")]

    date_from = DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    commune = CommuneField(label=_("Commune"), required=False)
    radius = forms.TypedChoiceField(
        label=_("Within"), choices=RADIUS_CHOICES, coerce=float, empty_value=None, required=False
    )
    office = forms.ModelChoiceField(
        label=_("Office territory"), queryset=Office.objects.filter(is_active=True), required=False
    )
    q = forms.CharField(label=pgettext_lazy("search field", "Search"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        start = data.get("date_from") or today
        end = data.get("date_to") or start + timedelta(days=DEFAULT_DAYS)
        if end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        elif (end - start).days > MAX_SPAN_DAYS:
            self.add_error("date_to", _("Choose a period of one year at most."))
        data["date_from"], data["date_to"] = start, end
        if data.get("radius") and not data.get("commune"):
            self.add_error("radius", _("Choose a commune to search around."))
        return data
