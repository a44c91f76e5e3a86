"""The figures the tourist-office classification ("classement") and the Qualité Tourisme audits ask for, in one
workbook with a sheet per figure: visitors per month, requests per channel, satisfaction and complaints, each month
of the period beside the same month a year before.

The counter records no complaint as such: a request whose outcome is "not satisfied" stands for one (said on the
sheet). An office's own figures, read in its scope from its monthly rollups: exact, nothing suppressed."""

from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from acvs.desk.models import Channel, Outcome
from acvs.desk.tally import percent_change
from acvs.network.models import Office

from .models import Dimension
from .selectors import Period, add_months, office_sums


def _share(part: int, whole: int) -> float | str:
    return round(part * 100 / whole, 1) if whole else ""


def _change(now: int, before: int):
    change = percent_change(now, before)
    return "" if change is None else change


def sheets(office: Office, period: Period) -> list[tuple[str, list, list[list]]]:
    sums = office_sums(office, period)
    months = period.months()

    def value(month, dimension, key=""):
        return sums.get((month, dimension, key), 0)

    def label(month):
        return date_format(month, "F Y")

    before = _("Same month a year before")
    visitors = [[label(m), value(m, Dimension.VISITORS), value(add_months(m, -12), Dimension.VISITORS)] for m in months]
    visitors = [[*row, _change(row[1], row[2])] for row in visitors]
    visitors.append([_("Total"), sum(r[1] for r in visitors), sum(r[2] for r in visitors), ""])
    visitors[-1][3] = _change(visitors[-1][1], visitors[-1][2])

    channels = [[label(m), *(value(m, Dimension.CHANNEL, c) for c in Channel.values), value(m, Dimension.REQUESTS)]
                for m in months]  # fmt: skip
    channels.append([_("Total"), *(sum(r[i] for r in channels) for i in range(1, len(Channel.values) + 2))])

    satisfaction = []
    complaints = []
    for m in months:
        fully, partly, no = (value(m, Dimension.OUTCOME, o) for o in (Outcome.FULLY, Outcome.PARTLY, Outcome.NOT))
        total = fully + partly + no
        satisfaction.append([label(m), fully, partly, no, total, _share(fully + partly, total)])
        requests = value(m, Dimension.REQUESTS)
        no_before = value(add_months(m, -12), Dimension.OUTCOME, Outcome.NOT)
        complaints.append([label(m), no, requests, _share(no, requests), no_before])
    totals = [sum(r[i] for r in satisfaction) for i in range(1, 5)]
    satisfaction.append([_("Total"), *totals, _share(totals[0] + totals[1], totals[3])])
    no, requests = sum(r[1] for r in complaints), sum(r[2] for r in complaints)
    complaints.append([_("Total"), no, requests, _share(no, requests), sum(r[4] for r in complaints)])

    about = [
        [_("Office"), str(office)],
        [_("Period"), period.title()],
        [_("Compared with"), period.before().title()],
        [_("Complaints"), _("The counter records no complaint as such: requests whose outcome is “not satisfied”.")],
        [_("Source"), _("The office’s requests and visitor counts (ACVS observatory).")],
    ]
    return [
        (_("About"), [_("Item"), _("Value")], about),
        (_("Visitors per month"), [_("Month"), _("Visitors"), before, _("Change (%)")], visitors),
        (_("Requests per channel"), [_("Month"), *(str(c.label) for c in Channel), _("Requests")], channels),
        (
            _("Satisfaction"),
            [_("Month"), *(str(o.label) for o in Outcome), _("Requests"), _("Satisfied, fully or partly (%)")],
            satisfaction,
        ),
        (
            _("Complaints"),
            [
                _("Month"),
                pgettext("number of requests", "Not satisfied"),
                _("Requests"),
                _("Not satisfied (%)"),
                before,
            ],
            complaints,
        ),
    ]


def filename(office: Office, period: Period) -> str:
    return f"{slugify(str(office))[:40]}-qualite-{period.first:%Y-%m}-{period.last:%Y-%m}.xlsx"
