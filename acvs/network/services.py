"""Writes to the network: départements, offices, people and their memberships.

Views (and later commands or an API) call these functions. Each one asks rules.py again, validates, writes in one
transaction and records the change in the audit log, so no caller can skip a check or half-save a change.
"""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from . import history, rules
from .models import Commune, Department, Membership, Office, Role, User

# Offices that keep a territory's offers up to date; a commune belongs to at most one of them.
LOCAL_KINDS = {Office.Kind.OT, Office.Kind.OTI, Office.Kind.SI, Office.Kind.BIT}
# What an office's own manager may change; everything else is the administrators' business.
CONTACT_FIELDS = {"address", "commune", "phone", "email", "website", "logo"}


def lockout_message() -> str:
    return _(
        "You cannot remove your own last administration role: you would lose access to these pages. "
        "Ask another administrator to do it."
    )


# Départements


@transaction.atomic
def department_create(*, membership: Membership, data: dict) -> Department:
    if not rules.can_manage_departments(membership):
        raise PermissionDenied(_("Only network administrators manage départements."))
    department = Department(**data)
    department.full_clean()
    department.save()
    history.record(
        instance=department,
        membership=membership,
        before={},
        after=history.snapshot(department, history.DEPARTMENT_FIELDS),
    )
    return department


@transaction.atomic
def department_update(*, membership: Membership, department: Department, data: dict) -> Department:
    if not rules.can_manage_departments(membership):
        raise PermissionDenied(_("Only network administrators manage départements."))
    locked = Department.objects.select_for_update().get(pk=department.pk)
    before = history.snapshot(locked, history.DEPARTMENT_FIELDS)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    history.record(
        instance=locked, membership=membership, before=before, after=history.snapshot(locked, history.DEPARTMENT_FIELDS)
    )
    return locked


# Offices


def territory_errors(office: Office, communes: list[Commune]) -> list[str]:
    """Why `communes` cannot be the territory of `office` as it is about to be saved (forms show it early too)."""
    errors = [
        _("%(commune)s is not in the département %(department)s.") % {"commune": c, "department": office.department}
        for c in communes
        if c.department_id != office.department_id
    ]
    if office.kind in LOCAL_KINDS and office.is_active:
        taken = (
            Office.territory.through.objects.filter(
                commune__in=communes, office__is_active=True, office__kind__in=LOCAL_KINDS
            )
            .exclude(office_id=office.pk)
            .select_related("commune", "office")
            .order_by("commune__name")
        )
        errors += [
            _("%(commune)s already belongs to the territory of %(office)s: a commune belongs to one local office only.")
            % {"commune": row.commune, "office": row.office}
            for row in taken
        ]
    return errors


def _check_territory(office: Office, communes: list[Commune]) -> None:
    # Locking the communes serialises concurrent territory changes on PostgreSQL, so two offices
    # saved at the same moment cannot both take the same commune.
    list(Commune.objects.select_for_update().filter(pk__in=[c.pk for c in communes]))
    errors = territory_errors(office, communes)
    if errors:
        raise ValidationError({"territory": errors})


def _check_network_keeps_admin(removed: Q) -> None:
    """Nobody could administer the network in the application any more if its last administrator went."""
    admins = Membership.objects.filter(role=Role.NETWORK_ADMIN, is_active=True, office__is_active=True)
    if admins.filter(removed).exists() and not admins.exclude(removed).exists():
        raise ValidationError(_("The network must keep at least one active network administrator."))


def _check_deactivation(membership: Membership, office: Office) -> None:
    if not rules.keeps_management(membership, office=office):
        raise ValidationError({"is_active": lockout_message()})
    _check_network_keeps_admin(Q(office=office))


def _split(data: dict) -> tuple[dict, list[Commune] | None]:
    fields = {name: value for name, value in data.items() if name != "territory"}
    if fields.get("logo") is False:  # the form's "clear" box
        fields["logo"] = ""
    return fields, (list(data["territory"]) if "territory" in data else None)


@transaction.atomic
def office_create(*, membership: Membership, data: dict) -> Office:
    department = data.get("department")
    if not rules.can_create_office(membership, getattr(department, "pk", None)):
        raise PermissionDenied(_("You cannot create an office in this département."))
    fields, territory = _split(data)
    office = Office(**fields)
    office.full_clean()  # before the save stores the logo file
    _check_territory(office, territory or [])
    office.save()
    office.territory.set(territory or [])
    history.record(instance=office, membership=membership, before={}, after=history.office_snapshot(office, territory))
    return office


@transaction.atomic
def office_update(*, membership: Membership, office: Office, data: dict) -> Office:
    """Apply `data`; an office's manager may send contact fields only, administrators any field."""
    locked = Office.objects.select_for_update().select_related("department").get(pk=office.pk)
    structural = set(data) - CONTACT_FIELDS
    allowed = (
        rules.can_change_office_structure(membership, locked)
        if structural
        else rules.can_change_office(membership, locked)
    )
    department = data.get("department")
    if department is not None and department.pk != locked.department_id:
        # Moving an office out of one's reach would be a one-way door.
        allowed = allowed and rules.departments_managed(membership).filter(pk=department.pk).exists()
    if not allowed:
        raise PermissionDenied(_("You cannot change these details of this office."))
    before = history.office_snapshot(locked)
    was_active = locked.is_active
    fields, territory = _split(data)
    for name, value in fields.items():
        setattr(locked, name, value)
    if was_active and not locked.is_active:
        _check_deactivation(membership, locked)
    locked.full_clean()
    if structural:
        territory = territory if territory is not None else list(locked.territory.all())
        _check_territory(locked, territory)
    locked.save()
    if "territory" in data:
        locked.territory.set(territory)
    history.record(
        instance=locked, membership=membership, before=before, after=history.office_snapshot(locked, territory)
    )
    return locked


@transaction.atomic
def office_deactivate(*, membership: Membership, office: Office) -> Office:
    """The office disappears from the switcher and the lists; its offers, members and history stay."""
    locked = Office.objects.select_for_update().get(pk=office.pk)
    if not rules.can_change_office_structure(membership, locked):
        raise PermissionDenied(_("Only administrators can deactivate an office."))
    if not locked.is_active:
        return locked
    _check_deactivation(membership, locked)
    before = history.office_snapshot(locked)
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    history.record(instance=locked, membership=membership, before=before, after=history.office_snapshot(locked))
    return locked


# People and memberships


def _check_grant(membership: Membership, office: Office, role: str) -> None:
    if not rules.can_manage_members(membership, office):
        raise PermissionDenied(_("You cannot manage the members of this office."))
    if role not in rules.grantable_roles(membership, office):
        raise PermissionDenied(_("You cannot grant this role."))
    if not office.is_active:
        raise ValidationError({"office": _("This office is deactivated.")})


def _membership_snapshot(member: Membership) -> dict:
    return history.snapshot(member, history.MEMBERSHIP_FIELDS)


@transaction.atomic
def user_create(*, membership: Membership, office: Office, role: str, data: dict) -> User:
    """A new person, member of `office` with `role`. `data`: username, first_name, last_name, email, password."""
    _check_grant(membership, office, role)
    fields = {name: value for name, value in data.items() if name != "password"}
    user = User(**fields)
    user.full_clean(exclude=["password"])
    try:
        validate_password(data["password"], user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(data["password"])
    user.save()
    member = Membership.objects.create(user=user, office=office, role=role)
    history.record(instance=member, membership=membership, before={}, after=_membership_snapshot(member))
    return user


@transaction.atomic
def membership_grant(*, membership: Membership, user: User, office: Office, role: str) -> Membership:
    """Make an existing person a member of `office`; a deactivated membership is reactivated with `role`."""
    _check_grant(membership, office, role)
    member = Membership.objects.select_for_update().filter(user=user, office=office).first()
    if member is not None and member.is_active:
        raise ValidationError(
            _("%(user)s is already a member of %(office)s: change their role instead.")
            % {"user": user, "office": office}
        )
    if member is None:
        member = Membership.objects.create(user=user, office=office, role=role)
        history.record(instance=member, membership=membership, before={}, after=_membership_snapshot(member))
        return member
    before = _membership_snapshot(member)
    member.role, member.is_active = role, True
    member.save(update_fields=["role", "is_active"])
    history.record(instance=member, membership=membership, before=before, after=_membership_snapshot(member))
    return member


def _lock_membership(membership: Membership, target: Membership) -> Membership:
    locked = Membership.objects.select_for_update().select_related("office", "user").get(pk=target.pk)
    if not rules.can_change_membership(membership, locked):
        raise PermissionDenied(_("You cannot change this membership."))
    return locked


@transaction.atomic
def membership_change_role(*, membership: Membership, target: Membership, role: str) -> Membership:
    locked = _lock_membership(membership, target)
    if role not in rules.grantable_roles(membership, locked.office):
        raise PermissionDenied(_("You cannot grant this role."))
    if not rules.keeps_management(membership, membership=locked, role=role):
        raise ValidationError({"role": lockout_message()})
    if role != Role.NETWORK_ADMIN:
        _check_network_keeps_admin(Q(pk=locked.pk))
    before = _membership_snapshot(locked)
    locked.role = role
    locked.save(update_fields=["role"])
    history.record(instance=locked, membership=membership, before=before, after=_membership_snapshot(locked))
    return locked


@transaction.atomic
def membership_deactivate(*, membership: Membership, target: Membership) -> Membership:
    """The person no longer acts for this office; the account and its other memberships stay."""
    locked = _lock_membership(membership, target)
    if not locked.is_active:
        return locked
    if not rules.keeps_management(membership, membership=locked):
        raise ValidationError(lockout_message())
    _check_network_keeps_admin(Q(pk=locked.pk))
    before = _membership_snapshot(locked)
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    history.record(instance=locked, membership=membership, before=before, after=_membership_snapshot(locked))
    return locked
