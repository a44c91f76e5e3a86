"""A territory holds communes of the office's département; a commune belongs to one local office at most."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from acvs.network import services
from acvs.network.models import Commune, Office

from .helpers import as_, audit_count, form_errors


def taken_message(commune: str, office) -> str:
    return gettext(
        "%(commune)s already belongs to the territory of %(office)s: a commune belongs to one local office only."
    ) % {"commune": Commune.objects.get(name=commune), "office": office}


def edit(client, office, **changes):
    data = {
        "name": office.name,
        "slug": office.slug,
        "kind": office.kind,
        "department": office.department_id,
        "territory": list(office.territory.values_list("pk", flat=True)),
        "is_active": "on" if office.is_active else "",
    }
    return client.post(reverse("network:office_edit", args=[office.pk]), data | changes)


def insees(office):
    return sorted(office.territory.values_list("insee", flat=True))


def test_a_commune_of_another_local_office_is_refused(client, world):
    croix = world.croix_valmer
    response = edit(as_(client, world.people["department_admin"]), croix, territory=["83048", "83036"])
    assert response.status_code == 400
    assert form_errors(response, "territory") == [taken_message("Cavalaire-sur-Mer", world.cavalaire)]
    # Typed values are kept for the next try.
    assert sorted(response.context["form"]["territory"].value()) == ["83036", "83048"]
    assert insees(croix) == ["83048"]
    assert audit_count() == 0


def test_the_service_refuses_a_commune_of_another_departement(world):
    greoux_commune = Commune.objects.get(insee="04094")
    with pytest.raises(ValidationError) as refused:
        services.office_update(
            membership=world.ms["network_admin"],
            office=world.croix_valmer,
            data={"territory": [Commune.objects.get(insee="83048"), greoux_commune]},
        )
    assert refused.value.message_dict == {
        "territory": [
            gettext("%(commune)s is not in the département %(department)s.")
            % {"commune": greoux_commune, "department": world.croix_valmer.department},
            taken_message("Gréoux-les-Bains", world.greoux),
        ]
    }
    assert insees(world.croix_valmer) == ["83048"]


def test_the_cdt_territory_may_overlap_local_offices(client, world):
    response = edit(as_(client, world.people["department_admin"]), world.cdt_var, territory=["83036", "83048", "83101"])
    assert response.status_code == 302
    assert insees(world.cdt_var) == ["83036", "83048", "83101"]


def test_becoming_a_local_office_checks_the_territory_again(client, world):
    cdt = world.cdt_var
    cdt.territory.set(["83036"])
    response = edit(as_(client, world.people["network_admin"]), cdt, kind="oti")
    assert form_errors(response, "territory") == [taken_message("Cavalaire-sur-Mer", world.cavalaire)]
    cdt.refresh_from_db()
    assert cdt.kind == "cdt"


def test_an_inactive_office_does_not_hold_its_territory(client, world):
    as_(client, world.people["department_admin"])
    client.post(reverse("network:office_deactivate", args=[world.cavalaire.pk]))
    assert edit(client, world.croix_valmer, territory=["83048", "83036"]).status_code == 302
    assert insees(world.croix_valmer) == ["83036", "83048"]
    # Reactivating Cavalaire now would put Cavalaire-sur-Mer in two territories.
    cavalaire = Office.objects.get(pk=world.cavalaire.pk)
    response = edit(client, cavalaire, is_active="on")
    assert form_errors(response, "territory") == [taken_message("Cavalaire-sur-Mer", world.croix_valmer)]
    cavalaire.refresh_from_db()
    assert cavalaire.is_active is False


def test_the_picker_lists_the_departement_communes_and_their_holders(client, world):
    as_(client, world.people["department_admin"])
    response = client.get(reverse("network:office_edit", args=[world.croix_valmer.pk]))
    field = response.context["form"].fields["territory"]
    labels = dict(field.choices)
    assert len(labels) == 153
    assert labels["83101"] == "Ramatuelle (83350)"
    assert labels["83036"] == gettext("%(commune)s · territory of %(office)s") % {
        "commune": "Cavalaire-sur-Mer (83240)",
        "office": world.cavalaire.name,
    }
    assert 'id="territory-picker"' in response.content.decode()


def test_choosing_another_departement_reloads_the_communes(client, world):
    # What the département select asks for (htmx): the same page, with the communes of the chosen département.
    response = as_(client, world.people["network_admin"]).get(
        reverse("network:office_edit", args=[world.croix_valmer.pk]),
        {"department": world.greoux.department_id},
        headers={"HX-Request": "true"},
    )
    form = response.context["form"]
    assert form.fields["territory"].queryset.count() == 198
    assert form.fields["commune"].queryset.count() == 198
    assert 'id="office-commune"' in response.content.decode()
