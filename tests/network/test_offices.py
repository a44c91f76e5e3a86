from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext

from acvs.core.audit import audit_history
from acvs.network.models import Commune, Membership, Office
from acvs.network.services import lockout_message

from .helpers import as_, form_errors, png


def office_url(name, office):
    return reverse(f"network:{name}", args=[office.pk])


def full_payload(office, **extra):
    data = {
        "name": office.name,
        "slug": office.slug,
        "kind": office.kind,
        "department": office.department_id,
        "territory": list(office.territory.values_list("pk", flat=True)),
        "address": office.address,
        "is_active": "on",
    }
    return data | extra


def test_list_is_limited_to_managed_offices_with_counts(client, world):
    response = as_(client, world.people["department_admin"]).get(reverse("network:offices"))
    rows = {o.slug: (o.member_count, o.commune_count) for o in response.context["offices"]}
    # Cavalaire: manager, agent, partner; the CDT: both administrators.
    assert rows == {"cavalaire": (3, 1), "cdt-var": (2, 0), "la-croix-valmer": (1, 1)}
    response = as_(client, world.people["manager"]).get(reverse("network:offices"))
    assert [o.slug for o in response.context["offices"]] == ["cavalaire"]
    assert response.context["can_create"] is False


def test_list_filters_by_departement_and_kind(client, world):
    as_(client, world.people["network_admin"])
    response = client.get(reverse("network:offices"), {"department": world.greoux.department_id})
    assert [o.slug for o in response.context["offices"]] == ["greoux-les-bains"]
    response = client.get(reverse("network:offices"), {"kind": "cdt"})
    assert [o.slug for o in response.context["offices"]] == ["cdt-var"]
    # A département administrator is offered their own département only.
    response = as_(client, world.people["department_admin"]).get(reverse("network:offices"))
    assert [d.code for d in response.context["filter"].form.fields["department"].queryset] == ["83"]


def test_detail_shows_contact_territory_members_and_history(client, world):
    cavalaire = world.cavalaire
    as_(client, world.people["manager"])
    client.post(office_url("office_edit", cavalaire), {"phone": "04 94 01 92 10", "email": "info@cavalaire.fr"})
    response = client.get(office_url("office_detail", cavalaire))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<li>Cavalaire-sur-Mer <span class="muted">83240</span></li>' in html
    assert 'href="tel:+33494019210"' in html
    assert [m.user.username for m in response.context["members"]] == ["agent", "manager", "partner"]
    [entry] = response.context["history"]
    assert [(c["field"], c["old"], c["new"]) for c in entry.changes] == [
        ("phone", "", "04 94 01 92 10"),
        ("email", "", "info@cavalaire.fr"),
    ]
    assert response.context["can_change_structure"] is False


def test_department_admin_creates_an_office_with_its_territory(client, world):
    response = as_(client, world.people["department_admin"]).post(
        reverse("network:office_create"),
        {
            "name": "Office de tourisme de Ramatuelle",
            "slug": "ramatuelle",
            "kind": "ot",
            "department": world.cavalaire.department_id,
            "territory": ["83101"],
            "commune": "83101",
            "website": "https://www.ramatuelle-tourisme.com",
        },
    )
    office = Office.objects.get(slug="ramatuelle")
    assert response.status_code == 302
    assert response.url == office_url("office_detail", office)
    assert list(office.territory.values_list("insee", flat=True)) == ["83101"]
    assert (office.commune_id, office.is_active) == ("83101", True)
    [entry] = audit_history(office)
    changes = {c["field"]: (c["old"], c["new"]) for c in entry.changes}
    assert changes["territory"] == ("", "Ramatuelle (83350)")
    assert changes["name"] == ("", "Office de tourisme de Ramatuelle")


def test_create_form_offers_the_communes_of_the_chosen_departement(client, world):
    as_(client, world.people["network_admin"])
    form = client.get(reverse("network:office_create")).context["form"]
    assert form.fields["territory"].queryset.count() == 153  # the département of the acting office, the Var
    form = client.get(reverse("network:office_create"), {"department": world.greoux.department_id}).context["form"]
    assert form.fields["territory"].queryset.count() == 198
    # A département administrator cannot create an office elsewhere, whatever they post.
    response = as_(client, world.people["department_admin"]).post(
        reverse("network:office_create"),
        {"name": "OT de Digne", "slug": "digne", "kind": "ot", "department": world.greoux.department_id},
    )
    assert response.status_code == 400
    assert form_errors(response, "department") == [
        "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
    ]
    assert not Office.objects.filter(slug="digne").exists()


def test_admin_edits_everything(client, world):
    cavalaire = world.cavalaire
    response = as_(client, world.people["department_admin"]).post(
        office_url("office_edit", cavalaire),
        full_payload(
            cavalaire, name="Office de tourisme de Cavalaire-sur-Mer", kind="bit", territory=["83036", "83101"]
        ),
    )
    assert response.status_code == 302
    cavalaire.refresh_from_db()
    assert (cavalaire.name, cavalaire.kind) == ("Office de tourisme de Cavalaire-sur-Mer", "bit")
    assert sorted(cavalaire.territory.values_list("insee", flat=True)) == ["83036", "83101"]
    [entry] = audit_history(cavalaire)
    changes = {c["field"]: (c["old"], c["new"]) for c in entry.changes}
    assert changes["territory"] == ("", "Ramatuelle (83350)")  # only what was added
    assert changes["name"] == ("Office de tourisme de Cavalaire", "Office de tourisme de Cavalaire-sur-Mer")
    assert set(changes) == {"name", "kind", "territory"}


def test_manager_edits_contact_details_and_logo_only(client, world, media_root):
    cavalaire = world.cavalaire
    as_(client, world.people["manager"])
    form = client.get(office_url("office_edit", cavalaire)).context["form"]
    assert list(form.fields) == ["address", "commune", "phone", "email", "website", "logo"]
    response = client.post(
        office_url("office_edit", cavalaire),
        {"name": "Pirate", "kind": "cdt", "is_active": "", "email": "accueil@cavalaire.fr", "logo": png()},
    )
    assert response.status_code == 302
    cavalaire.refresh_from_db()
    assert (cavalaire.name, cavalaire.kind, cavalaire.is_active) == ("Office de tourisme de Cavalaire", "ot", True)
    assert cavalaire.email == "accueil@cavalaire.fr"
    assert cavalaire.logo.name.startswith("offices/logos/logo")
    assert (media_root / cavalaire.logo.name).is_file()


def test_logo_must_be_an_image(client, world, media_root):
    as_(client, world.people["manager"])
    fake = SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png")
    response = client.post(office_url("office_edit", world.cavalaire), {"email": "new@cavalaire.fr", "logo": fake})
    assert response.status_code == 400
    assert form_errors(response, "logo") == [
        "Transférez une image valide. Le fichier que vous avez transféré n'est pas une image, ou il est corrompu."
    ]
    assert response.context["form"]["email"].value() == "new@cavalaire.fr"
    world.cavalaire.refresh_from_db()
    assert (world.cavalaire.logo.name, world.cavalaire.email) == ("", "")


def test_invalid_contact_details_are_refused_field_by_field(client, world):
    response = as_(client, world.people["manager"]).post(
        office_url("office_edit", world.cavalaire), {"phone": "12", "email": "not-an-email", "website": "nope"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"phone", "email", "website"}
    assert form_errors(response, "email") == ["Saisissez une adresse e-mail valide."]


def test_deactivation_asks_for_confirmation_and_keeps_everything(client, world):
    cavalaire = world.cavalaire
    as_(client, world.people["department_admin"])
    response = client.get(office_url("office_deactivate", cavalaire))
    assert response.status_code == 200
    cavalaire.refresh_from_db()
    assert cavalaire.is_active is True
    response = client.post(office_url("office_deactivate", cavalaire))
    assert response.status_code == 302
    cavalaire.refresh_from_db()
    assert cavalaire.is_active is False
    assert Membership.objects.filter(office=cavalaire).count() == 3
    assert list(cavalaire.territory.values_list("insee", flat=True)) == ["83036"]
    assert [(c["field"], c["new"]) for c in audit_history(cavalaire)[0].changes] == [("is_active", gettext("No"))]


def test_deactivation_through_the_edit_form_needs_the_confirmation_box(client, world):
    cavalaire = world.cavalaire
    as_(client, world.people["network_admin"])
    response = client.post(office_url("office_edit", cavalaire), full_payload(cavalaire, is_active=""))
    assert form_errors(response, "confirm_deactivation") == [gettext("Tick this box to confirm the deactivation.")]
    cavalaire.refresh_from_db()
    assert cavalaire.is_active is True
    payload = full_payload(cavalaire, is_active="", confirm_deactivation="on")
    assert client.post(office_url("office_edit", cavalaire), payload).status_code == 302
    cavalaire.refresh_from_db()
    assert cavalaire.is_active is False
    # Reactivating needs no confirmation.
    assert client.post(office_url("office_edit", cavalaire), full_payload(cavalaire)).status_code == 302
    cavalaire.refresh_from_db()
    assert cavalaire.is_active is True


def test_nobody_deactivates_the_office_of_their_last_admin_role(client, world):
    response = as_(client, world.people["network_admin"]).post(office_url("office_deactivate", world.cdt_var))
    assert response.status_code == 400
    assert response.context["errors"] == [lockout_message()]
    world.cdt_var.refresh_from_db()
    assert world.cdt_var.is_active is True


def test_office_address_commune_is_one_of_its_departement(client, world):
    digne = Commune.objects.get(insee="04070")
    response = as_(client, world.people["manager"]).post(
        office_url("office_edit", world.cavalaire), {"commune": digne.pk}
    )
    assert form_errors(response, "commune") == [
        "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
    ]
