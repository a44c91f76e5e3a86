from . import rules


def office(request):
    m = getattr(request, "membership", None)
    return {
        "current_membership": m,
        "current_office": getattr(request, "office", None),
        "user_memberships": getattr(request, "memberships", []),
        "can_manage_network": rules.can_manage_network(m),
        "can_manage_departments": rules.can_manage_departments(m),
        "is_network_admin": rules.is_network_admin(m),
        "can_audit_logins": rules.can_audit_logins(m),
        "can_use_contacts": rules.can_use_contacts(m),
    }
