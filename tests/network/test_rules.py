"""rules.py for the seven people of the small network, and the services refusing what rules.py forbids.

The page matrix cannot see every rule (lookups answer 404 first), so the rules are checked here directly too.
"""

import pytest
from django.core.exceptions import PermissionDenied

from acvs.core.models import AuditEntry
from acvs.network import rules, services
from acvs.network.models import Membership, Office, Role

from .helpers import ACTORS

T, F = True, False


def row(world, check) -> dict:
    return {actor: check(world.ms[actor]) for actor in ACTORS}


def expect(*values) -> dict:
    return dict(zip(ACTORS, values, strict=True))


def test_entry_rules(world):
    assert row(world, rules.can_manage_network) == expect(T, T, T, F, F, F, F)
    assert row(world, rules.can_manage_departments) == expect(T, F, F, F, F, F, F)
    assert row(world, lambda m: rules.can_create_office(m)) == expect(T, T, F, F, F, F, F)
    assert row(world, lambda m: rules.can_create_office(m, world.cavalaire.department_id)) == expect(
        T, T, F, F, F, F, F
    )
    assert row(world, lambda m: rules.can_create_office(m, world.greoux.department_id)) == expect(T, F, F, F, F, F, F)
    assert row(world, lambda m: sorted(rules.departments_managed(m).values_list("code", flat=True))[:2]) == expect(
        ["01", "02"], ["83"], [], [], [], [], []
    )


def test_office_rules(world):
    cav, croix, greoux = world.cavalaire, world.croix_valmer, world.greoux
    assert row(world, lambda m: rules.can_change_office(m, cav)) == expect(T, T, T, F, F, F, F)
    assert row(world, lambda m: rules.can_change_office(m, croix)) == expect(T, T, F, F, F, F, F)
    assert row(world, lambda m: rules.can_change_office(m, greoux)) == expect(T, F, F, F, F, F, F)
    assert row(world, lambda m: rules.can_change_office_structure(m, cav)) == expect(T, T, F, F, F, F, F)
    assert row(world, lambda m: rules.can_change_office_structure(m, greoux)) == expect(T, F, F, F, F, F, F)
    assert row(world, lambda m: sorted(rules.offices_managed(m).values_list("slug", flat=True))) == expect(
        ["cavalaire", "cdt-var", "greoux-les-bains", "la-croix-valmer"],
        ["cavalaire", "cdt-var", "la-croix-valmer"],
        ["cavalaire"],
        [],
        [],
        [],
        [],
    )


def test_grantable_roles(world):
    every = list(Role)
    local = [Role.DEPARTMENT_ADMIN, Role.MANAGER, Role.AGENT, Role.PARTNER]
    office = [Role.MANAGER, Role.AGENT, Role.PARTNER]
    assert row(world, lambda m: rules.grantable_roles(m, world.cavalaire)) == expect(
        every, local, office, [], [], [], []
    )
    assert row(world, lambda m: rules.grantable_roles(m, world.croix_valmer)) == expect(
        every, local, [], [], [], [], []
    )
    assert row(world, lambda m: rules.grantable_roles(m, world.greoux)) == expect(every, [], [], [], [], [], [])


def test_membership_rules(world):
    agent, netadmin, depadmin = world.ms["agent"], world.ms["network_admin"], world.ms["department_admin"]
    assert row(world, lambda m: rules.can_change_membership(m, agent)) == expect(T, T, T, F, F, F, F)
    assert row(world, lambda m: rules.can_change_membership(m, netadmin)) == expect(T, F, F, F, F, F, F)
    assert row(world, lambda m: rules.can_change_membership(m, depadmin)) == expect(T, T, F, F, F, F, F)
    assert row(world, lambda m: rules.can_change_membership(m, world.ms["ahp_agent"])) == expect(T, F, F, F, F, F, F)


def test_keeps_management(world):
    manager = world.ms["manager"]
    assert rules.keeps_management(manager, membership=world.ms["agent"]) is True  # someone else's membership
    assert rules.keeps_management(manager, membership=manager, role=Role.MANAGER) is True
    assert rules.keeps_management(manager, membership=manager, role=Role.AGENT) is False
    assert rules.keeps_management(manager, membership=manager) is False  # deactivated
    assert rules.keeps_management(manager, office=world.cavalaire) is False
    assert rules.keeps_management(manager, office=world.croix_valmer) is True
    # With a second managing role elsewhere, stepping down here is a choice, not a lock-out.
    Membership.objects.create(user=manager.user, office=world.croix_valmer, role=Role.MANAGER)
    assert rules.keeps_management(manager, membership=manager, role=Role.AGENT) is True
    assert rules.keeps_management(manager, office=world.cavalaire) is True
    assert rules.keeps_management(None, office=world.cavalaire) is False


def test_services_refuse_what_rules_forbid(world):
    manager, depadmin = world.ms["manager"], world.ms["department_admin"]
    greoux_agent = world.people["ahp_agent"]
    refused = [
        lambda: services.office_update(membership=manager, office=world.croix_valmer, data={"email": "x@example.fr"}),
        lambda: services.office_update(membership=manager, office=world.cavalaire, data={"name": "Renamed"}),
        lambda: services.office_update(membership=depadmin, office=world.greoux, data={"email": "x@example.fr"}),
        # A département administrator cannot move an office out of their département.
        lambda: services.office_update(
            membership=depadmin, office=world.cavalaire, data={"department": world.greoux.department}
        ),
        lambda: services.office_deactivate(membership=manager, office=world.cavalaire),
        lambda: services.office_create(
            membership=depadmin, data={"name": "X", "slug": "x", "kind": "ot", "department": world.greoux.department}
        ),
        lambda: services.department_update(
            membership=depadmin, department=world.cavalaire.department, data={"name": "Var!"}
        ),
        lambda: services.membership_grant(
            membership=manager, user=greoux_agent, office=world.cavalaire, role=Role.DEPARTMENT_ADMIN
        ),
        lambda: services.membership_grant(
            membership=manager, user=greoux_agent, office=world.croix_valmer, role="agent"
        ),
        lambda: services.membership_change_role(membership=depadmin, target=world.ms["agent"], role=Role.NETWORK_ADMIN),
        lambda: services.membership_change_role(membership=depadmin, target=world.ms["network_admin"], role=Role.AGENT),
        lambda: services.membership_deactivate(membership=manager, target=world.ms["other_agent"]),
        lambda: services.membership_deactivate(membership=world.ms["agent"], target=world.ms["partner"]),
    ]
    before = (
        sorted(Office.objects.values_list("name", "email", "department_id", "is_active")),
        sorted(Membership.objects.values_list("user_id", "office_id", "role", "is_active")),
    )
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    after = (
        sorted(Office.objects.values_list("name", "email", "department_id", "is_active")),
        sorted(Membership.objects.values_list("user_id", "office_id", "role", "is_active")),
    )
    assert after == before
    assert AuditEntry.objects.count() == 0


def test_contacts_rights_rules(world):
    # Export with the prospect file; erasure and the access log: the office's manager and its administrators.
    assert row(world, rules.can_use_contacts) == expect(T, T, T, T, F, T, T)
    assert row(world, rules.can_erase_contacts) == expect(T, T, T, F, F, F, F)
