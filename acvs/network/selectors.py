"""Read-side queries of the management pages, with their counts computed in the database."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from acvs.core.jobs import JobFailed
from acvs.core.models import Job

from . import rules
from .lookups import users_managed
from .models import Commune, Department, Membership, Office


def _count(queryset, link: str):
    """A correlated COUNT: several of them on one row do not multiply each other as joins would."""
    counted = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def departments_with_counts():
    return Department.objects.annotate(
        office_count=_count(Office.objects.all(), "department"),
        commune_count=_count(Commune.objects.all(), "department"),
    )


def offices_with_counts(membership):
    return rules.offices_managed(membership).annotate(
        member_count=_count(Membership.objects.filter(is_active=True), "office"),
        commune_count=_count(Office.territory.through.objects.all(), "office"),
    )


def people(membership):
    """People of the offices one manages, each with their memberships in those offices only."""
    memberships = (
        Membership.objects.filter(office__in=rules.offices_managed(membership))
        .select_related("office")
        .order_by("office__name")
    )
    return (
        users_managed(membership)
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="managed_memberships"))
        .order_by("last_name", "first_name", "username")
    )


def office_members(office: Office) -> list[Membership]:
    return list(office.memberships.select_related("user").order_by("-is_active", "user__last_name", "user__username"))


def acting_membership(job: Job) -> Membership:
    """The starter's membership of the job's office, as it is now (rights may have changed since the start)."""
    membership = (
        Membership.objects.select_related("office", "office__department", "user")
        .filter(user_id=job.user_id, office_id=job.office_id, is_active=True, user__is_active=True)
        .first()
    )
    if membership is None:
        raise JobFailed(_("The person who started this work no longer acts for the office."), retryable=False)
    return membership
