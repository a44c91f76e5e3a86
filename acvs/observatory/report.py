"""The monthly report an office sends to its elected officials: one month's key figures beside the same month a
year before, the twelve months up to it as charts, and the month's main tables, as a PDF laid out by WeasyPrint
(the booklets' stack: HTML and CSS, pictures drawn as inline SVG, no file or network read).

Every figure comes from the dashboard's own selectors (`office_dashboard`), so the report says what the office's
dashboard says for that month."""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from acvs.booklet.render import stylesheet, url_fetcher
from acvs.network.models import Office

from .models import Dimension
from .selectors import Dashboard, Period, Table, TableRow, office_dashboard

# The month's tables in the report, and how many rows each shows before "Other" sums the rest.
TABLES = [
    Dimension.CHANNEL, Dimension.ORIGIN, Dimension.COUNTRY, Dimension.DEPARTMENT, Dimension.STAY, Dimension.LEAD,
    Dimension.OUTCOME, Dimension.BROCHURES,
]  # fmt: skip
TOP = 8


@dataclass
class Report:
    office: Office
    month: datetime.date
    dashboard: Dashboard  # the month, compared with the same month a year before
    trend: Dashboard  # the twelve months up to it
    tables: list[Table]

    @property
    def title(self) -> str:
        return date_format(self.month, "F Y")

    def filename(self) -> str:
        return f"{slugify(str(self.office))[:40]}-{self.month:%Y-%m}.pdf"


def _top(table: Table) -> Table:
    """The first rows, the others summed in one row, so that the shown rows still add up to the total."""
    if len(table.rows) <= TOP:
        return table
    rest = table.rows[TOP - 1 :]
    other = TableRow(_("Other"), sum(r.now for r in rest), sum(r.before for r in rest), table.total.suppress)
    return Table(table.slug, table.title, [*table.rows[: TOP - 1], other], table.total)


def monthly_report(office: Office, month: datetime.date) -> Report:
    month = month.replace(day=1)
    dashboard = office_dashboard(office, Period(month, month))
    trend = office_dashboard(office, Period.ending(month))
    tables = [_top(dashboard.table(dimension)) for dimension in TABLES]
    return Report(office, month, dashboard, trend, tables)


def report_html(report: Report) -> str:
    return render_to_string("observatory/report.html", {"report": report})


def render_pdf(report: Report) -> bytes:
    """The stylesheet is handed to WeasyPrint beside the HTML (no <style> element in a template)."""
    from weasyprint import CSS, HTML

    css = CSS(string=stylesheet("observatory/report.css"))
    return HTML(string=report_html(report), url_fetcher=url_fetcher()).write_pdf(stylesheets=[css])
