"""The dashboards' filters: a period of whole months and, for network administrators, the département to show."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from acvs.core.forms import DateField
from acvs.network.models import Department

from .selectors import Period, add_months

MAX_MONTHS = 36


class MonthField(DateField):
    """A month typed as YYYY-MM (the browser's month picker), read as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]


class PeriodForm(forms.Form):
    start = MonthField(label=pgettext_lazy("month range", "From"), required=False)
    end = MonthField(label=pgettext_lazy("month range", "To"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ValidationError(_("The period ends before it starts."), code="order")
        if start and end and (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
            raise ValidationError(
                _("Choose at most %(months)s months."), params={"months": MAX_MONTHS}, code="too_long"
            )
        return data

    def period(self) -> Period:
        """The chosen months; by default (or when refused) the twelve months up to this one."""
        data = self.cleaned_data if self.is_valid() else {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            return Period(start, end)
        if end:
            return Period.ending(end)
        if start:
            return Period(start, add_months(start, 11))
        return Period.ending(timezone.localdate())


class DepartmentForm(PeriodForm):
    department = forms.ModelChoiceField(
        label=_("Département"), queryset=Department.objects.all(), required=False, empty_label=None
    )


class ReportForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)

    def chosen_month(self) -> datetime.date:
        """The chosen month; by default the last whole month."""
        chosen = self.cleaned_data.get("month") if self.is_valid() else None
        return chosen or add_months(timezone.localdate().replace(day=1), -1)
