"""One lookup per object type: what the acting membership may not see does not exist for it (404)."""

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from . import rules
from .models import Department, Membership, Office, User


def get_department_for_admin(membership: Membership | None, pk: int) -> Department:
    departments = Department.objects.all() if rules.can_manage_departments(membership) else Department.objects.none()
    return get_object_or_404(departments, pk=pk)


def get_office_for_manager(membership: Membership | None, pk: int) -> Office:
    return get_object_or_404(rules.offices_managed(membership), pk=pk)


def users_managed(membership: Membership | None):
    """People with a membership (even a deactivated one) in an office the membership manages."""
    in_managed = Membership.objects.filter(user=OuterRef("pk"), office__in=rules.offices_managed(membership))
    return User.objects.filter(Exists(in_managed))


def get_user_for_manager(membership: Membership | None, pk: int) -> User:
    return get_object_or_404(users_managed(membership), pk=pk)


def get_membership_for_manager(membership: Membership | None, pk: int) -> Membership:
    memberships = Membership.objects.filter(office__in=rules.offices_managed(membership))
    return get_object_or_404(memberships.select_related("user", "office", "office__department"), pk=pk)
