"""The admin site for support staff: every office's records, read-only (writes go through the services)."""

import logging

import pytest
from django.urls import reverse

from acvs.desk import services
from acvs.network.models import User
from tests.conftest import membership
from tests.desk.conftest import walk_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def support(client):
    user = User.objects.create_superuser("support", "support@example.org", "support-password")
    client.force_login(user)
    return user


def test_support_reads_every_office_s_requests_through_the_declared_cross_office_read(
    client, support, agent, other_agent, caplog
):
    own = services.request_create(membership=membership(agent), data=walk_in())
    other = services.request_create(membership=membership(other_agent), data=walk_in(country="IT"))
    with caplog.at_level(logging.INFO, logger="acvs.tenancy"):
        page = client.get(reverse("admin:desk_visitorrequest_changelist"))
    assert page.status_code == 200
    shown = {row.pk for row in page.context["cl"].result_list}
    assert shown == {own.pk, other.pk}
    assert "cross-office read support" in caplog.text


def test_support_cannot_change_a_request_in_the_admin(client, support, agent):
    visitor_request = services.request_create(membership=membership(agent), data=walk_in())
    change = reverse("admin:desk_visitorrequest_change", args=[visitor_request.pk])
    assert client.get(change).status_code == 200  # shown read-only
    assert client.post(change, {"country": "IT", "adults": 9}).status_code == 403
    delete = reverse("admin:desk_visitorrequest_delete", args=[visitor_request.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    visitor_request.refresh_from_db()
    assert (visitor_request.country, visitor_request.adults) == ("DE", 2)
