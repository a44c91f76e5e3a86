from copy import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import history, rules, selectors, services
from ..filters import OfficeFilter
from ..forms import MemberAddForm, OfficeContactForm, OfficeForm
from ..lookups import get_office_for_manager
from .common import posted, require, show_errors, shown_again


@rules.requires("network.manage")
def office_list(request):
    m = request.membership
    filterset = OfficeFilter(request.GET, queryset=selectors.offices_with_counts(m), request=request)
    context = {
        "filter": filterset,
        "offices": filterset.qs,
        "can_create": rules.can_create_office(m),
        "section": "offices",
    }
    return render(request, "network/office_list.html", context)


@rules.requires("network.manage")
def office_detail(request, pk: int):
    m = request.membership
    office = get_office_for_manager(m, pk)
    members = selectors.office_members(office)
    for member in members:
        member.can_change = rules.can_change_membership(m, member)
    context = {
        "office": office,
        "territory": office.territory.order_by("name"),
        "members": members,
        "history": history.office_history(office, members),
        "can_change": rules.can_change_office(m, office),
        "can_change_structure": rules.can_change_office_structure(m, office),
        "can_manage_members": rules.can_manage_members(m, office) and office.is_active,
        "section": "offices",
    }
    return render(request, "network/office_detail.html", context)


@rules.requires("network.manage")
def office_create(request):
    m = request.membership
    require(rules.can_create_office(m))
    # ?department= comes from the département select, which reloads the communes it offers.
    initial = {"department": request.GET.get("department") or m.office.department_id}
    form = OfficeForm(posted(request), request.FILES or None, membership=m, initial=initial)
    if form.is_valid():
        try:
            office = services.office_create(membership=m, data=form.office_data())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The office %(office)s was created.") % {"office": office})
            return redirect("network:office_detail", office.pk)
    context = {"form": form, "office": None, "section": "offices"}
    return render(request, "network/office_form.html", context, status=shown_again(request))


@rules.requires("network.manage")
def office_edit(request, pk: int):
    m = request.membership
    office = get_office_for_manager(m, pk)
    require(rules.can_change_office(m, office))
    instance = copy(office)  # the form writes typed values on its instance; the page title keeps the saved ones
    if rules.can_change_office_structure(m, office):
        initial = {"department": request.GET["department"]} if request.GET.get("department") else None
        form = OfficeForm(posted(request), request.FILES or None, instance=instance, membership=m, initial=initial)
    else:
        form = OfficeContactForm(posted(request), request.FILES or None, instance=instance, membership=m)
    if form.is_valid():
        try:
            services.office_update(membership=m, office=office, data=form.office_data())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The office was saved."))
            return redirect("network:office_detail", office.pk)
    context = {"form": form, "office": office, "section": "offices"}
    return render(request, "network/office_form.html", context, status=shown_again(request))


@rules.requires("network.manage")
def office_deactivate(request, pk: int):
    """A confirmation page: deactivating hides the office everywhere, so it is never one click away."""
    m = request.membership
    office = get_office_for_manager(m, pk)
    require(rules.can_change_office_structure(m, office))
    # Say so before the click when it would lock the person out; the service refuses it anyway.
    errors = [] if rules.keeps_management(m, office=office) else [services.lockout_message()]
    if request.method == "POST":
        try:
            services.office_deactivate(membership=m, office=office)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The office %(office)s was deactivated.") % {"office": office})
            return redirect("network:office_detail", office.pk)
    context = {"office": office, "errors": errors, "section": "offices"}
    return render(request, "network/office_deactivate.html", context, status=shown_again(request))


@rules.requires("network.manage")
def member_add(request, pk: int):
    """Add an existing person, from anywhere in the network, to this office."""
    m = request.membership
    office = get_office_for_manager(m, pk)
    require(rules.can_manage_members(m, office))
    form = MemberAddForm(posted(request), membership=m, office=office)
    if form.is_valid():
        try:
            services.membership_grant(
                membership=m, user=form.cleaned_data["person"], office=office, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            show_errors(form, error, rename={"office": "person"})
        else:
            messages.success(
                request,
                _("%(user)s is now a member of %(office)s.") % {"user": form.cleaned_data["person"], "office": office},
            )
            return redirect("network:office_detail", office.pk)
    context = {"form": form, "office": office, "section": "offices"}
    return render(request, "network/member_add.html", context, status=shown_again(request))
