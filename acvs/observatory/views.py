"""The dashboards: the office's own figures, a département's offices side by side, the network's départements; each
table exports to CSV/XLSX with what the page shows (suppressed figures stay suppressed)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from acvs.core import exports
from acvs.core.http import refused
from acvs.network import rules

from . import quality, report, selectors
from .forms import DepartmentForm, PeriodForm, ReportForm

UNITS = "units"  # the export of the table comparing offices or départements
GAPS = "fit"  # the export of the offer/demand fit


def _page(request, form, dashboard, level: str, export_url: str, extra=None):
    context = {
        "form": form,
        "dashboard": dashboard,
        "origin_map": selectors.origin_map(dashboard),
        "level": level,
        "export_url": export_url,
        "sees_department": rules.allowed(request.membership, "observatory.department"),
        "sees_network": rules.allowed(request.membership, "observatory.network"),
        "query": {"start": dashboard.period.first.strftime("%Y-%m"), "end": dashboard.period.last.strftime("%Y-%m")},
        **(extra or {}),
    }
    return render(request, "observatory/dashboard.html", context, status=400 if form.errors else 200)


def _export(dashboard, table: str, fmt: str):
    if table == UNITS and dashboard.units:
        header, rows = dashboard.units_export()
        title = dashboard.units_title
    elif table == GAPS:
        header, rows = dashboard.gaps_export()
        title = _("offer and demand")
    else:
        found = dashboard.table(table)
        if found is None:
            raise Http404(_("No such table."))
        header, rows = found.export(dashboard.period)
        title = found.title
    name = slugify(f"{dashboard.title} {title} {dashboard.period.first:%Y-%m}")[:60]
    return exports.response(fmt, name, header, rows)


def _office(request):
    form = PeriodForm(request.GET or None)
    return form, selectors.office_dashboard(request.office, form.period())


@rules.requires("observatory.office")
def office(request):
    form, dashboard = _office(request)
    extra = {"report_month": ReportForm().chosen_month()}
    return _page(request, form, dashboard, "office", "observatory:office_export", extra)


@rules.requires("observatory.office")
def office_export(request, table, fmt):
    form, dashboard = _office(request)
    if form.errors:
        return office(request)
    return _export(dashboard, table, fmt)


@rules.requires("observatory.office")
def office_report(request):
    """The office's monthly report as a PDF, for its elected officials."""
    form = ReportForm(request.GET or None)
    if form.errors:
        return refused(request, form, back=reverse("observatory:office"))
    found = report.monthly_report(request.office, form.chosen_month())
    response = HttpResponse(report.render_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{found.filename()}"'
    response["Cache-Control"] = "private, no-store"
    return response


@rules.requires("observatory.office")
def office_quality(request):
    """The classification's and Qualité Tourisme's figures of the office over the period, one sheet each (XLSX)."""
    form = PeriodForm(request.GET or None)
    if form.errors:
        return refused(request, form, back=reverse("observatory:office"))
    period = form.period()
    content = exports.as_workbook(quality.sheets(request.office, period))
    response = HttpResponse(content, content_type=exports.FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{quality.filename(request.office, period)}"'
    return response


def _department(request):
    form = DepartmentForm(request.GET or None, initial={"department": request.office.department_id})
    department = (form.cleaned_data.get("department") if form.is_valid() else None) or request.office.department
    if not rules.allowed(request.membership, "department.figures", department):
        raise PermissionDenied(_("You see the figures of your own département only."))
    return form, selectors.department_dashboard(department, form.period()), department


@rules.requires("observatory.department")
def department(request):
    form, dashboard, chosen = _department(request)
    choices = rules.departments_managed(request.membership) if rules.is_network_admin(request.membership) else None
    extra = {"department": chosen, "departments": choices}
    return _page(request, form, dashboard, "department", "observatory:department_export", extra)


@rules.requires("observatory.department")
def department_export(request, table, fmt):
    form, dashboard, _chosen = _department(request)
    if form.errors:
        return department(request)
    return _export(dashboard, table, fmt)


def _network(request):
    form = PeriodForm(request.GET or None)
    return form, selectors.network_dashboard(form.period())


@rules.requires("observatory.network")
def network(request):
    form, dashboard = _network(request)
    return _page(request, form, dashboard, "network", "observatory:network_export")


@rules.requires("observatory.network")
def network_export(request, table, fmt):
    form, dashboard = _network(request)
    if form.errors:
        return network(request)
    return _export(dashboard, table, fmt)
