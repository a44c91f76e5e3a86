"""The single permission layer: what a membership (a user acting for an office) may do.

Every view, form, API endpoint and service asks here; nothing else decides rights.
Everyone in the network reads every offer; writing follows ownership and role.
"""

from .models import Department, Membership, Office, Role

ADMIN_ROLES = {Role.NETWORK_ADMIN, Role.DEPARTMENT_ADMIN}
# Roles that manage people or offices: losing the last of them locks a person out of these pages.
MANAGING_ROLES = ADMIN_ROLES | {Role.MANAGER}
EDITOR_ROLES = {Role.NETWORK_ADMIN, Role.DEPARTMENT_ADMIN, Role.MANAGER, Role.AGENT}

# Which roles each role may grant.
GRANTABLE = {
    Role.NETWORK_ADMIN: list(Role),
    Role.DEPARTMENT_ADMIN: [Role.DEPARTMENT_ADMIN, Role.MANAGER, Role.AGENT, Role.PARTNER],
    Role.MANAGER: [Role.MANAGER, Role.AGENT, Role.PARTNER],
}


def is_network_admin(m: Membership | None) -> bool:
    return m is not None and m.role == Role.NETWORK_ADMIN


def governs_office(m: Membership | None, office: Office) -> bool:
    """True when the membership administers `office` (network-wide or in its département)."""
    if m is None:
        return False
    if m.role == Role.NETWORK_ADMIN:
        return True
    return m.role == Role.DEPARTMENT_ADMIN and office.department_id == m.office.department_id


def can_write_for_office(m: Membership | None, office_id: int, department_id: int) -> bool:
    """May edit records owned by the office `office_id` of département `department_id`."""
    if m is None or m.role not in EDITOR_ROLES:
        return False
    if m.role == Role.NETWORK_ADMIN:
        return True
    if m.role == Role.DEPARTMENT_ADMIN:
        return department_id == m.office.department_id
    return office_id == m.office_id


def can_create_offers(m: Membership | None) -> bool:
    return m is not None and m.role in EDITOR_ROLES


def can_change_offer(m: Membership | None, offer) -> bool:
    owner = offer.owner_office
    return can_write_for_office(m, owner.pk, owner.department_id)


def can_choose_owner(m: Membership | None) -> bool:
    return m is not None and m.role in ADMIN_ROLES


def can_manage_network(m: Membership | None) -> bool:
    """Sees the network management pages; an office manager sees them for their own office only."""
    return m is not None and m.role in MANAGING_ROLES


def can_manage_departments(m: Membership | None) -> bool:
    return is_network_admin(m)


def can_audit_logins(m: Membership | None) -> bool:
    """Failed log-ins and lock-outs of the whole network: network administrators only."""
    return is_network_admin(m)


def departments_managed(m: Membership | None):
    """Départements where this membership may create offices or move them to."""
    if is_network_admin(m):
        return Department.objects.all()
    if m is not None and m.role == Role.DEPARTMENT_ADMIN:
        return Department.objects.filter(pk=m.office.department_id)
    return Department.objects.none()


def can_create_office(m: Membership | None, department_id: int | None = None) -> bool:
    if is_network_admin(m):
        return True
    return (
        m is not None
        and m.role == Role.DEPARTMENT_ADMIN
        and (department_id is None or department_id == m.office.department_id)
    )


def can_change_office(m: Membership | None, office: Office) -> bool:
    """Contact details and logo: the office's own manager, or its administrators."""
    if governs_office(m, office):
        return True
    return m is not None and m.role == Role.MANAGER and m.office_id == office.pk


def can_change_office_structure(m: Membership | None, office: Office) -> bool:
    """Kind, département and territory: administrators only."""
    return governs_office(m, office)


def can_manage_members(m: Membership | None, office: Office) -> bool:
    return can_change_office(m, office)


def grantable_roles(m: Membership | None, office: Office) -> list[Role]:
    if not can_manage_members(m, office):
        return []
    if m.role == Role.NETWORK_ADMIN:
        return list(Role)
    if m.role == Role.DEPARTMENT_ADMIN:
        # A département administrator's role only makes sense in an office of that département.
        return GRANTABLE[Role.DEPARTMENT_ADMIN]
    return GRANTABLE[Role.MANAGER]


def offices_managed(m: Membership | None):
    """Offices whose members and details this membership may manage."""
    qs = Office.objects.select_related("department")
    if m is None:
        return qs.none()
    if m.role == Role.NETWORK_ADMIN:
        return qs
    if m.role == Role.DEPARTMENT_ADMIN:
        return qs.filter(department_id=m.office.department_id)
    if m.role == Role.MANAGER:
        return qs.filter(pk=m.office_id)
    return qs.none()


def can_change_membership(m: Membership | None, target: Membership) -> bool:
    """Change the role of, or deactivate, `target`: only someone who could have granted its current role."""
    return target.role in grantable_roles(m, target.office)


def keeps_management(
    m: Membership | None, *, membership: Membership | None = None, role: str | None = None, office: Office | None = None
) -> bool:
    """False when a change would leave the acting person without any managing role, locking them out by mistake.

    The change is either `membership` taking `role` (None: deactivated) or `office` being deactivated.
    """
    if m is None:
        return False
    if membership is not None and (membership.user_id != m.user_id or role in MANAGING_ROLES):
        return True
    remaining = Membership.objects.filter(
        user_id=m.user_id, is_active=True, office__is_active=True, role__in=MANAGING_ROLES
    )
    if membership is not None:
        remaining = remaining.exclude(pk=membership.pk)
    if office is not None:
        remaining = remaining.exclude(office=office)
    return remaining.exists()
