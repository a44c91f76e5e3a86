from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from acvs.core import french
from acvs.core.http import redirect_next, safe_next
from acvs.core.paginator import paginate

from .. import rules, selectors, services
from ..filters import PersonFilter
from ..forms import MembershipRoleForm, UserCreateForm, UserOfficeAddForm
from ..lookups import get_membership_for_manager, get_user_for_manager
from ..models import Membership
from .common import posted, require, show_errors, shown_again

PAGE_SIZE = 50


@rules.requires("network.manage")
def user_list(request):
    filterset = PersonFilter(request.GET, queryset=selectors.people(request.membership), request=request)
    page = paginate(request, filterset.qs, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode(), "section": "users"}
    return render(request, "network/user_list.html", context)


@rules.requires("network.manage")
def user_create(request):
    m = request.membership
    form = UserCreateForm(posted(request), membership=m, initial={"office": request.GET.get("office")})
    if form.is_valid():
        try:
            user = services.user_create(
                membership=m, office=form.cleaned_data["office"], role=form.cleaned_data["role"], data=form.user_data()
            )
        except ValidationError as error:
            show_errors(form, error, rename={"password": "password1"})
        else:
            messages.success(request, _("The account of %(user)s was created.") % {"user": user})
            return redirect("network:user_detail", user.pk)
    return render(request, "network/user_form.html", {"form": form, "section": "users"}, status=shown_again(request))


def _memberships_managed(m: Membership, user):
    memberships = user.memberships.filter(office__in=rules.offices_managed(m)).select_related(
        "office", "office__department"
    )
    memberships = list(memberships.order_by("-is_active", "office__name"))
    for member in memberships:
        member.can_change = rules.can_change_membership(m, member)
    return memberships


@rules.requires("network.manage")
def user_detail(request, pk: int):
    m = request.membership
    person = get_user_for_manager(m, pk)
    context = {
        "person": person,
        "memberships": _memberships_managed(m, person),
        "add_form": UserOfficeAddForm(membership=m, user=person),
        "section": "users",
    }
    return render(request, "network/user_detail.html", context)


@rules.requires("network.manage")
def user_office_add(request, pk: int):
    """Make a person one manages a member of another of one's offices (or reactivate them there)."""
    m = request.membership
    person = get_user_for_manager(m, pk)
    form = UserOfficeAddForm(posted(request), membership=m, user=person)
    if form.is_valid():
        office = form.cleaned_data["office"]
        try:
            services.membership_grant(membership=m, user=person, office=office, role=form.cleaned_data["role"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("%(user)s is now a member of %(office)s.") % {"user": person, "office": office})
            return redirect("network:user_detail", person.pk)
    context = {"person": person, "form": form, "section": "users"}
    return render(request, "network/user_office_add.html", context, status=shown_again(request))


@rules.requires("network.manage")
def membership_edit(request, pk: int):
    m = request.membership
    target = get_membership_for_manager(m, pk)
    require(rules.can_change_membership(m, target))
    form = MembershipRoleForm(posted(request), membership=m, target=target)
    if form.is_valid():
        try:
            services.membership_change_role(membership=m, target=target, role=form.cleaned_data["role"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The role of %(user)s was changed.") % {"user": target.user})
            return redirect_next(request, "network:user_detail", target.user_id)
    context = {"target": target, "form": form, "next": safe_next(request, request.GET.get("next")), "section": "users"}
    return render(request, "network/membership_form.html", context, status=shown_again(request))


@rules.requires("network.manage")
def membership_deactivate(request, pk: int):
    """A confirmation page: the person stops acting for this office; the account and its history stay."""
    m = request.membership
    target = get_membership_for_manager(m, pk)
    require(rules.can_change_membership(m, target))
    # Say so before the click when it would lock the person out; the service refuses it anyway.
    errors = [] if rules.keeps_management(m, membership=target) else [services.lockout_message()]
    if request.method == "POST":
        try:
            services.membership_deactivate(membership=m, target=target)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                # Translators: in French, office arrives with its article (l’Office…, le Syndicat…, Var Tourisme).
                _("%(user)s no longer acts for %(office)s.")
                % {"user": target.user, "office": french.the(target.office.name)},
            )
            return redirect_next(request, "network:user_detail", target.user_id)
    next_url = safe_next(request, request.GET.get("next"))
    context = {"target": target, "errors": errors, "next": next_url, "section": "users"}
    return render(request, "network/membership_deactivate.html", context, status=shown_again(request))
