"""The list pages run a fixed number of queries, however many offices and people there are."""

import pytest
from django.urls import reverse

from acvs.network import services
from acvs.network.models import Commune, Membership, Office, Role, User

from .helpers import as_


def grow_network(department, size: int) -> None:
    """`size` more offices of the département, each with two communes and three people."""
    communes = list(Commune.objects.filter(department=department).exclude(insee__in=["83036", "83048"])[: 2 * size])
    offices = Office.objects.bulk_create(
        Office(name=f"Office {i:02}", slug=f"office-{i:02}", kind=Office.Kind.BIT, department=department)
        for i in range(size)
    )
    Office.territory.through.objects.bulk_create(
        Office.territory.through(office=office, commune=commune)
        for i, office in enumerate(offices)
        for commune in communes[2 * i : 2 * i + 2]
    )
    users = User.objects.bulk_create(User(username=f"person-{i:03}", password="!") for i in range(3 * size))
    Membership.objects.bulk_create(
        Membership(user=user, office=offices[i // 3], role=[Role.MANAGER, Role.AGENT, Role.PARTNER][i % 3])
        for i, user in enumerate(users)
    )


# Three of them are the session, the user and their memberships (middleware).
@pytest.mark.parametrize(
    ("page", "max_queries"), [("network:departments", 4), ("network:offices", 5), ("network:users", 7)]
)
def test_list_pages_run_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, page, max_queries):
    grow_network(world.cavalaire.department, 20)
    as_(client, world.people["network_admin"])
    with django_assert_max_num_queries(max_queries):
        response = client.get(reverse(page))
    assert response.status_code == 200
    if page == "network:offices":
        assert len(response.context["offices"]) == 24
        assert {(o.member_count, o.commune_count) for o in response.context["offices"] if o.slug == "office-07"} == {
            (3, 2)
        }


def test_office_detail_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    grow_network(world.cavalaire.department, 20)
    office = Office.objects.get(slug="office-00")
    others = User.objects.filter(username__startswith="person-").exclude(memberships__office=office)
    Membership.objects.bulk_create(Membership(user=user, office=office, role=Role.AGENT) for user in others)
    services.membership_change_role(
        membership=world.ms["network_admin"], target=office.memberships.filter(role=Role.AGENT).first(), role="partner"
    )
    as_(client, world.people["network_admin"])
    with django_assert_max_num_queries(9):
        response = client.get(reverse("network:office_detail", args=[office.pk]))
    assert len(response.context["members"]) == 60
    assert len(response.context["history"]) == 1
