"""The permission matrix: each page and each action, for each of the seven people of the small network.

Statuses are listed in the order of ACTORS: network admin, département admin of the Var, manager of Cavalaire,
agent of Cavalaire, partner of Cavalaire, agent of La Croix-Valmer, agent of Gréoux (Alpes-de-Haute-Provence).
Every refused action (403, 404, or a form error: 400) must leave the database exactly as it was.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from acvs.network.models import Department, Membership, Office, User

from .helpers import ACTORS, as_, audit_count

F, N, R = 403, 404, 400


def url(name, *args):
    return reverse(f"network:{name}", args=args)


PAGES = {
    "departments": (lambda w: url("departments"), (200, F, F, F, F, F, F)),
    "department_create": (lambda w: url("department_create"), (200, F, F, F, F, F, F)),
    "department_edit": (lambda w: url("department_edit", w.cavalaire.department_id), (200, F, F, F, F, F, F)),
    "offices": (lambda w: url("offices"), (200, 200, 200, F, F, F, F)),
    "office_create": (lambda w: url("office_create"), (200, 200, F, F, F, F, F)),
    "office_detail": (lambda w: url("office_detail", w.cavalaire.pk), (200, 200, 200, F, F, F, F)),
    "office_detail_other": (lambda w: url("office_detail", w.croix_valmer.pk), (200, 200, N, F, F, F, F)),
    "office_detail_ahp": (lambda w: url("office_detail", w.greoux.pk), (200, N, N, F, F, F, F)),
    "office_edit": (lambda w: url("office_edit", w.cavalaire.pk), (200, 200, 200, F, F, F, F)),
    "office_edit_other": (lambda w: url("office_edit", w.croix_valmer.pk), (200, 200, N, F, F, F, F)),
    "office_edit_ahp": (lambda w: url("office_edit", w.greoux.pk), (200, N, N, F, F, F, F)),
    "office_deactivate": (lambda w: url("office_deactivate", w.cavalaire.pk), (200, 200, F, F, F, F, F)),
    "office_deactivate_ahp": (lambda w: url("office_deactivate", w.greoux.pk), (200, N, N, F, F, F, F)),
    "member_add": (lambda w: url("member_add", w.cavalaire.pk), (200, 200, 200, F, F, F, F)),
    "member_add_ahp": (lambda w: url("member_add", w.greoux.pk), (200, N, N, F, F, F, F)),
    "users": (lambda w: url("users"), (200, 200, 200, F, F, F, F)),
    "user_create": (lambda w: url("user_create"), (200, 200, 200, F, F, F, F)),
    "user_detail": (lambda w: url("user_detail", w.people["agent"].pk), (200, 200, 200, F, F, F, F)),
    "user_detail_other": (lambda w: url("user_detail", w.people["other_agent"].pk), (200, 200, N, F, F, F, F)),
    "user_detail_ahp": (lambda w: url("user_detail", w.people["ahp_agent"].pk), (200, N, N, F, F, F, F)),
    "user_office_add": (lambda w: url("user_office_add", w.people["agent"].pk), (200, 200, 200, F, F, F, F)),
    "membership_edit": (lambda w: url("membership_edit", w.ms["agent"].pk), (200, 200, 200, F, F, F, F)),
    "membership_edit_other": (lambda w: url("membership_edit", w.ms["other_agent"].pk), (200, 200, N, F, F, F, F)),
    "membership_edit_ahp": (lambda w: url("membership_edit", w.ms["ahp_agent"].pk), (200, N, N, F, F, F, F)),
    "membership_edit_netadmin": (lambda w: url("membership_edit", w.ms["network_admin"].pk), (200, F, N, F, F, F, F)),
    "membership_deactivate": (lambda w: url("membership_deactivate", w.ms["agent"].pk), (200, 200, 200, F, F, F, F)),
    "membership_deactivate_ahp": (
        lambda w: url("membership_deactivate", w.ms["ahp_agent"].pk),
        (200, N, N, F, F, F, F),
    ),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_access(client, world, page):
    build, expected = PAGES[page]
    statuses = {actor: as_(client, world.people[actor]).get(build(world)).status_code for actor in ACTORS}
    assert statuses == dict(zip(ACTORS, expected, strict=True))


def office_payload(office, **extra):
    territory = list(office.territory.values_list("pk", flat=True))
    data = {"name": office.name, "slug": office.slug, "kind": office.kind, "department": office.department_id}
    return (
        data
        | {"territory": territory, "phone": "04 94 01 92 10", "email": "accueil@example.fr", "is_active": "on"}
        | extra
    )


def office_state(office):
    return Office.objects.filter(pk=office.pk).values("name", "phone", "email", "is_active").get()


def membership_state(w):
    return sorted(Membership.objects.values_list("user_id", "office_id", "role", "is_active"))


NEW_USER = {"username": "nouvelle", "first_name": "Nina", "last_name": "Nouvelle", "email": "nina@example.fr"}
PASSWORDS = {"password1": "Lavande-et-Mimosa-83", "password2": "Lavande-et-Mimosa-83"}

# action: (url, payload, state, expected statuses); 302 means done: the state changed and the history grew.
ACTIONS = {
    "department_create": (
        lambda w: url("department_create"),
        lambda w: {"code": "999", "name": "Nouveau"},
        lambda w: Department.objects.count(),
        (302, F, F, F, F, F, F),
    ),
    "department_edit": (
        lambda w: url("department_edit", w.cavalaire.department_id),
        lambda w: {"code": "83", "name": "Var (modifié)"},
        lambda w: Department.objects.get(code="83").name,
        (302, F, F, F, F, F, F),
    ),
    "office_create": (
        lambda w: url("office_create"),
        lambda w: {
            "name": "Office de tourisme de Ramatuelle",
            "slug": "ramatuelle",
            "kind": "ot",
            "department": w.cavalaire.department_id,
            "territory": ["83101"],
        },
        lambda w: Office.objects.count(),
        (302, 302, F, F, F, F, F),
    ),
    "office_edit": (
        lambda w: url("office_edit", w.cavalaire.pk),
        lambda w: office_payload(w.cavalaire, name="Renommé"),
        lambda w: office_state(w.cavalaire),
        (302, 302, 302, F, F, F, F),
    ),
    "office_edit_other": (
        lambda w: url("office_edit", w.croix_valmer.pk),
        lambda w: office_payload(w.croix_valmer, name="Renommé"),
        lambda w: office_state(w.croix_valmer),
        (302, 302, N, F, F, F, F),
    ),
    "office_edit_ahp": (
        lambda w: url("office_edit", w.greoux.pk),
        lambda w: office_payload(w.greoux, name="Renommé"),
        lambda w: office_state(w.greoux),
        (302, N, N, F, F, F, F),
    ),
    "office_deactivate": (
        lambda w: url("office_deactivate", w.cavalaire.pk),
        lambda w: {},
        lambda w: office_state(w.cavalaire),
        (302, 302, F, F, F, F, F),
    ),
    "office_deactivate_ahp": (
        lambda w: url("office_deactivate", w.greoux.pk),
        lambda w: {},
        lambda w: office_state(w.greoux),
        (302, N, N, F, F, F, F),
    ),
    "member_add": (
        lambda w: url("member_add", w.cavalaire.pk),
        lambda w: {"person": "greoux", "role": "agent"},
        membership_state,
        (302, 302, 302, F, F, F, F),
    ),
    "member_add_ahp": (
        lambda w: url("member_add", w.greoux.pk),
        lambda w: {"person": "agent", "role": "agent"},
        membership_state,
        (302, N, N, F, F, F, F),
    ),
    "member_add_as_department_admin": (
        lambda w: url("member_add", w.cavalaire.pk),
        lambda w: {"person": "greoux", "role": "department_admin"},
        membership_state,
        (302, 302, R, F, F, F, F),
    ),
    "user_create": (
        lambda w: url("user_create"),
        lambda w: NEW_USER | PASSWORDS | {"office": w.cavalaire.pk, "role": "agent"},
        lambda w: User.objects.count(),
        (302, 302, 302, F, F, F, F),
    ),
    "user_create_ahp": (
        lambda w: url("user_create"),
        lambda w: NEW_USER | PASSWORDS | {"office": w.greoux.pk, "role": "agent"},
        lambda w: User.objects.count(),
        (302, R, R, F, F, F, F),
    ),
    "user_create_as_network_admin": (
        lambda w: url("user_create"),
        lambda w: NEW_USER | PASSWORDS | {"office": w.cavalaire.pk, "role": "network_admin"},
        lambda w: User.objects.count(),
        (302, R, R, F, F, F, F),
    ),
    "user_office_add": (
        lambda w: url("user_office_add", w.people["agent"].pk),
        lambda w: {"office": w.croix_valmer.pk, "role": "agent"},
        membership_state,
        (302, 302, R, F, F, F, F),
    ),
    "membership_role": (
        lambda w: url("membership_edit", w.ms["agent"].pk),
        lambda w: {"role": "partner"},
        membership_state,
        (302, 302, 302, F, F, F, F),
    ),
    "membership_role_other": (
        lambda w: url("membership_edit", w.ms["other_agent"].pk),
        lambda w: {"role": "partner"},
        membership_state,
        (302, 302, N, F, F, F, F),
    ),
    "membership_role_ahp": (
        lambda w: url("membership_edit", w.ms["ahp_agent"].pk),
        lambda w: {"role": "partner"},
        membership_state,
        (302, N, N, F, F, F, F),
    ),
    "membership_role_to_network_admin": (
        lambda w: url("membership_edit", w.ms["agent"].pk),
        lambda w: {"role": "network_admin"},
        membership_state,
        (302, R, R, F, F, F, F),
    ),
    # The only network administrator cannot step down; nobody else may touch that membership.
    "membership_role_of_network_admin": (
        lambda w: url("membership_edit", w.ms["network_admin"].pk),
        lambda w: {"role": "department_admin"},
        membership_state,
        (R, F, N, F, F, F, F),
    ),
    "membership_deactivate": (
        lambda w: url("membership_deactivate", w.ms["agent"].pk),
        lambda w: {},
        membership_state,
        (302, 302, 302, F, F, F, F),
    ),
    "membership_deactivate_ahp": (
        lambda w: url("membership_deactivate", w.ms["ahp_agent"].pk),
        lambda w: {},
        membership_state,
        (302, N, N, F, F, F, F),
    ),
    # Removing oneself from one's last administration role is refused (400 with the reason).
    "membership_deactivate_department_admin": (
        lambda w: url("membership_deactivate", w.ms["department_admin"].pk),
        lambda w: {},
        membership_state,
        (302, R, N, F, F, F, F),
    ),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_action(client, world, action):
    build_url, payload, state, expected = ACTIONS[action]
    outcomes = {}
    for actor in ACTORS:
        # Each person acts on the same untouched network: their changes are rolled back afterwards.
        with transaction.atomic():
            before, audits = state(world), audit_count()
            response = as_(client, world.people[actor]).post(build_url(world), payload(world))
            outcomes[actor] = (response.status_code, state(world) != before, audit_count() - audits)
            transaction.set_rollback(True)
    # Done (302): the state changed and one history entry was written; refused: nothing changed at all.
    assert outcomes == {
        actor: (status, True, 1) if status == 302 else (status, False, 0)
        for actor, status in zip(ACTORS, expected, strict=True)
    }
