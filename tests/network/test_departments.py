from django.urls import reverse

from acvs.core.audit import audit_history
from acvs.network.models import Department

from .helpers import as_, form_errors


def test_list_counts_offices_and_communes(client, world):
    response = as_(client, world.people["network_admin"]).get(reverse("network:departments"))
    assert response.status_code == 200
    by_code = {d.code: d for d in response.context["departments"]}
    assert (by_code["83"].office_count, by_code["83"].commune_count) == (3, 153)
    assert (by_code["04"].office_count, by_code["04"].commune_count) == (1, 198)
    assert (by_code["13"].office_count, by_code["13"].commune_count) == (0, 119)  # every commune of France
    assert len(by_code) == 109
    assert b'aria-current="page"' in response.content


def test_create_new_code_writes_history(client, network_admin):
    response = as_(client, network_admin).post(reverse("network:department_create"), {"code": "999", "name": "Test"})
    assert response.status_code == 302
    department = Department.objects.get(code="999")
    [entry] = audit_history(department)
    assert (entry.action, entry.user) == ("create", network_admin)
    assert [(c["field"], c["old"], c["new"]) for c in entry.changes] == [("code", "", "999"), ("name", "", "Test")]


def test_create_refuses_invalid_or_duplicate_code(client, network_admin):
    as_(client, network_admin)
    response = client.post(reverse("network:department_create"), {"code": "8", "name": "Nulle part"})
    assert response.status_code == 400
    assert form_errors(response, "code") == ["Saisissez une valeur valide."]
    assert response.context["form"]["name"].value() == "Nulle part"  # typed values are kept
    response = client.post(reverse("network:department_create"), {"code": "83", "name": "Var bis"})
    assert form_errors(response, "code") == ["Un objet Département avec ce champ Code existe déjà."]
    assert Department.objects.filter(name__in=["Nulle part", "Var bis"]).count() == 0


def test_edit_records_old_and_new_values(client, network_admin, var):
    response = as_(client, network_admin).post(
        reverse("network:department_edit", args=[var.pk]), {"code": "83", "name": "Var (Provence)"}
    )
    assert response.status_code == 302
    var.refresh_from_db()
    assert var.name == "Var (Provence)"
    [entry] = audit_history(var)
    assert (entry.action, entry.changes) == (
        "update",
        [
            {
                "field": "name",
                "label": str(Department._meta.get_field("name").verbose_name),
                "old": "Var",
                "new": "Var (Provence)",
            }
        ],
    )
