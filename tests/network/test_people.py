from django.urls import reverse
from django.utils.translation import gettext

from acvs.core.audit import audit_history
from acvs.network.models import Membership, Role, User
from acvs.network.services import lockout_message

from .helpers import as_, audit_count, form_errors

NEW = {
    "username": "nina",
    "first_name": "Nina",
    "last_name": "Martin",
    "email": "nina@example.fr",
    "password1": "Lavande-et-Mimosa-83",
    "password2": "Lavande-et-Mimosa-83",
}


def memberships_of(user):
    return sorted(Membership.objects.filter(user=user).values_list("office__slug", "role", "is_active"))


def test_people_list_shows_only_the_managed_offices(client, world):
    Membership.objects.create(user=world.people["agent"], office=world.greoux, role=Role.PARTNER)
    response = as_(client, world.people["manager"]).get(reverse("network:users"))
    rows = {p.username: [(m.office.slug, m.role) for m in p.managed_memberships] for p in response.context["page"]}
    assert rows == {
        "agent": [("cavalaire", "agent")],
        "manager": [("cavalaire", "manager")],
        "partner": [("cavalaire", "partner")],
    }
    response = as_(client, world.people["network_admin"]).get(reverse("network:users"), {"q": "agent"})
    rows = {p.username: [m.office.slug for m in p.managed_memberships] for p in response.context["page"]}
    assert rows == {"agent": ["cavalaire", "greoux-les-bains"]}
    response = client.get(reverse("network:users"), {"office": world.croix_valmer.pk})
    assert [p.username for p in response.context["page"]] == ["other"]


def test_manager_creates_a_user_for_their_office(client, world):
    response = as_(client, world.people["manager"]).post(
        reverse("network:user_create"), NEW | {"office": world.cavalaire.pk, "role": "agent"}
    )
    nina = User.objects.get(username="nina")
    assert response.status_code == 302
    assert response.url == reverse("network:user_detail", args=[nina.pk])
    assert (nina.get_full_name(), nina.email, nina.is_active) == ("Nina Martin", "nina@example.fr", True)
    assert nina.check_password("Lavande-et-Mimosa-83")
    assert memberships_of(nina) == [("cavalaire", "agent", True)]
    [entry] = audit_history(Membership.objects.get(user=nina))
    assert (entry.action, entry.user, entry.office) == ("create", world.people["manager"], world.cavalaire)
    assert [(c["field"], c["new"]) for c in entry.changes] == [
        ("user", "Nina Martin (nina)"),
        ("office", world.cavalaire.name),
        ("role", str(Role.AGENT.label)),
        ("is_active", gettext("Yes")),
    ]


def test_the_roles_offered_are_the_grantable_ones(client, world):
    as_(client, world.people["manager"])
    form = client.get(reverse("network:user_create")).context["form"]
    assert [value for value, _ in form.fields["role"].choices] == ["manager", "agent", "partner"]
    assert [o.slug for o in form.fields["office"].queryset] == ["cavalaire"]
    as_(client, world.people["department_admin"])
    form = client.get(reverse("network:user_create")).context["form"]
    assert [value for value, _ in form.fields["role"].choices] == ["department_admin", "manager", "agent", "partner"]


def test_user_creation_validates_password_and_username(client, world):
    as_(client, world.people["network_admin"])
    weak = NEW | {"office": world.cavalaire.pk, "role": "agent", "password1": "nina", "password2": "nina"}
    response = client.post(reverse("network:user_create"), weak)
    assert form_errors(response, "password1") == [
        "Le mot de passe est trop semblable au champ «\xa0nom d’utilisateur\xa0».",
        "Ce mot de passe est trop court. Il doit contenir au minimum 8 caractères.",
        "Ce mot de passe est trop courant.",
    ]
    assert response.context["form"]["email"].value() == "nina@example.fr"
    mismatch = NEW | {"office": world.cavalaire.pk, "role": "agent", "password2": "autre-chose-83"}
    response = client.post(reverse("network:user_create"), mismatch)
    assert form_errors(response, "password2") == ["Les deux mots de passe ne correspondent pas."]
    taken = NEW | {"office": world.cavalaire.pk, "role": "agent", "username": "AGENT"}
    response = client.post(reverse("network:user_create"), taken)
    assert form_errors(response, "username") == ["Un utilisateur avec ce nom existe déjà."]
    assert not User.objects.filter(email="nina@example.fr").exists()
    assert audit_count() == 0


def test_add_an_existing_person_by_username_or_email(client, world):
    greoux_agent = world.people["ahp_agent"]
    greoux_agent.email = "accueil@greoux.fr"
    greoux_agent.save()
    as_(client, world.people["manager"])
    url = reverse("network:member_add", args=[world.cavalaire.pk])
    response = client.post(url, {"person": "ACCUEIL@greoux.fr", "role": "partner"})
    assert response.status_code == 302
    assert memberships_of(greoux_agent) == [("cavalaire", "partner", True), ("greoux-les-bains", "agent", True)]
    response = client.post(url, {"person": "greoux", "role": "agent"})
    assert form_errors(response) == [
        gettext("%(user)s is already a member of %(office)s: change their role instead.")
        % {"user": greoux_agent, "office": world.cavalaire}
    ]
    response = client.post(url, {"person": "nobody", "role": "agent"})
    assert form_errors(response, "person") == [gettext("No account matches this username or email.")]
    assert memberships_of(greoux_agent) == [("cavalaire", "partner", True), ("greoux-les-bains", "agent", True)]


def test_adding_again_reactivates_with_the_new_role(client, world):
    as_(client, world.people["manager"])
    client.post(reverse("network:membership_deactivate", args=[world.ms["partner"].pk]))
    assert memberships_of(world.people["partner"]) == [("cavalaire", "partner", False)]
    response = client.post(
        reverse("network:member_add", args=[world.cavalaire.pk]), {"person": "partner", "role": "agent"}
    )
    assert response.status_code == 302
    assert memberships_of(world.people["partner"]) == [("cavalaire", "agent", True)]


def test_department_admin_adds_a_person_to_another_office(client, world):
    agent = world.people["agent"]
    as_(client, world.people["department_admin"])
    form = client.get(reverse("network:user_detail", args=[agent.pk])).context["add_form"]
    assert [o.slug for o in form.fields["office"].queryset] == ["la-croix-valmer", "cdt-var"]
    response = client.post(
        reverse("network:user_office_add", args=[agent.pk]), {"office": world.croix_valmer.pk, "role": "partner"}
    )
    assert response.status_code == 302
    assert memberships_of(agent) == [("cavalaire", "agent", True), ("la-croix-valmer", "partner", True)]


def test_change_a_role(client, world):
    target = world.ms["agent"]
    as_(client, world.people["manager"])
    next_url = reverse("network:office_detail", args=[world.cavalaire.pk])
    response = client.post(reverse("network:membership_edit", args=[target.pk]), {"role": "partner", "next": next_url})
    assert response.status_code == 302
    assert response.url == next_url
    target.refresh_from_db()
    assert target.role == "partner"
    [entry] = audit_history(target)
    assert [(c["field"], c["old"], c["new"]) for c in entry.changes] == [
        ("role", str(Role.AGENT.label), str(Role.PARTNER.label))
    ]
    response = client.post(reverse("network:membership_edit", args=[target.pk]), {"role": "department_admin"})
    assert form_errors(response, "role") == ["Sélectionnez un choix valide. department_admin n’en fait pas partie."]


def test_deactivate_a_membership_after_confirmation(client, world):
    target = world.ms["agent"]
    as_(client, world.people["manager"])
    assert client.get(reverse("network:membership_deactivate", args=[target.pk])).status_code == 200
    assert memberships_of(world.people["agent"]) == [("cavalaire", "agent", True)]
    response = client.post(reverse("network:membership_deactivate", args=[target.pk]))
    assert response.url == reverse("network:user_detail", args=[world.people["agent"].pk])
    assert memberships_of(world.people["agent"]) == [("cavalaire", "agent", False)]
    assert User.objects.get(username="agent").is_active is True
    # The person no longer acts for the office: no office, no management page.
    as_(client, world.people["agent"])
    assert client.get(reverse("home")).context["current_office"] is None


def test_nobody_removes_their_own_last_admin_role(client, world):
    own = world.ms["manager"]
    as_(client, world.people["manager"])
    response = client.post(reverse("network:membership_edit", args=[own.pk]), {"role": "agent"})
    assert form_errors(response, "role") == [lockout_message()]
    response = client.post(reverse("network:membership_deactivate", args=[own.pk]))
    assert response.context["errors"] == [lockout_message()]
    assert memberships_of(world.people["manager"]) == [("cavalaire", "manager", True)]
    assert audit_count() == 0
    # Managing another office too, stepping down here is allowed.
    Membership.objects.create(user=world.people["manager"], office=world.croix_valmer, role=Role.MANAGER)
    response = client.post(reverse("network:membership_edit", args=[own.pk]), {"role": "agent"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.role == "agent"


def test_the_network_keeps_an_administrator(client, world):
    netadmin = world.ms["network_admin"]
    as_(client, world.people["network_admin"])
    response = client.post(reverse("network:membership_edit", args=[netadmin.pk]), {"role": "department_admin"})
    assert form_errors(response) == [gettext("The network must keep at least one active network administrator.")]
    # With a second network administrator, the first may step down.
    response = client.post(
        reverse("network:membership_edit", args=[world.ms["department_admin"].pk]), {"role": "network_admin"}
    )
    assert response.status_code == 302
    response = client.post(reverse("network:membership_edit", args=[netadmin.pk]), {"role": "department_admin"})
    assert response.status_code == 302
    netadmin.refresh_from_db()
    assert netadmin.role == "department_admin"
