from copy import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import rules, selectors, services
from ..forms import DepartmentForm
from ..lookups import get_department_for_admin
from .common import posted, show_errors, shown_again


@rules.requires("network.departments")
def department_list(request):
    context = {"departments": selectors.departments_with_counts(), "section": "departments"}
    return render(request, "network/department_list.html", context)


@rules.requires("network.departments")
def department_create(request):
    return _department_form(request, None)


@rules.requires("network.departments")
def department_edit(request, pk: int):
    return _department_form(request, get_department_for_admin(request.membership, pk))


def _department_form(request, department):
    form = DepartmentForm(posted(request), instance=copy(department))
    if form.is_valid():
        try:
            if department is None:
                services.department_create(membership=request.membership, data=form.cleaned_data)
            else:
                services.department_update(membership=request.membership, department=department, data=form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The département was saved."))
            return redirect("network:departments")
    context = {"form": form, "department": department, "section": "departments"}
    return render(request, "network/department_form.html", context, status=shown_again(request))
