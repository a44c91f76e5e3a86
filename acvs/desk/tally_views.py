"""The visitor tally page and its exports (per hour, day, week or month, against the year before)."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acvs.core import exports
from acvs.core.forms import DateField
from acvs.network import rules

from . import tally
from .tally import UNIT_LABELS, Unit


class TallyForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Show"), choices=list(UNIT_LABELS.items()), required=False)
    date = DateField(label=gettext_lazy("Period of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def choice(self) -> tuple[Unit, object]:
        data = self.cleaned_data if self.is_valid() else {}
        return Unit(data.get("unit") or Unit.DAY), data.get("date") or timezone.localdate()


def _tally(request) -> tuple[TallyForm, tally.Tally, object]:
    form = TallyForm(request.GET or None)
    unit, anchor = form.choice()
    return form, tally.visitor_tally(unit, anchor), anchor


@rules.requires("desk.use")
def visitors(request):
    form, result, anchor = _tally(request)
    unit = result.period.unit
    context = {
        "form": form,
        "tally": result,
        "unit": unit,
        "anchor": anchor,
        "units": [(value, label, value == unit) for value, label in UNIT_LABELS.items()],
    }
    return render(request, "desk/visitors.html", context, status=400 if form.errors else 200)


def _blank(value):
    return "" if value is None else value


@rules.requires("desk.use")
def visitors_export(request, fmt):
    form, result, _anchor = _tally(request)
    if form.errors:
        return visitors(request)
    before = result.period_before.title()
    # The change as a number (of percents), which a spreadsheet can sort and chart.
    header = [_("Period"), result.period.title(), before, _("Change (%)")]
    rows = [[row.label, row.count, row.count_before, _blank(row.percent)] for row in result.rows]
    rows.append([_("Total"), result.total, result.total_before, _blank(result.percent)])
    name = _("visitors-%(unit)s-%(start)s") % {"unit": result.period.unit, "start": result.period.start.isoformat()}
    return exports.response(fmt, name, header, rows)
