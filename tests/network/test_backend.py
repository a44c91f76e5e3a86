"""The authentication backend reads the user with the offices they act for; sessions may live in Redis."""

import socket

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from acvs.network.backends import MembershipBackend
from acvs.network.models import Membership
from tests.conftest import PASSWORD


def test_the_user_comes_with_their_active_memberships_in_one_query(agent, croix_valmer, django_assert_num_queries):
    Membership.objects.create(user=agent, office=croix_valmer, role="manager")
    with django_assert_num_queries(1):
        user = MembershipBackend().get_user(agent.pk)
        offices = [m.office.name for m in user.active_memberships]
        assert all(m.user is user for m in user.active_memberships)
    assert offices == ["Office de tourisme de Cavalaire", "Office de tourisme de La Croix-Valmer"]


def test_closed_memberships_are_left_out_and_a_user_without_any_still_logs_in(agent, db):
    Membership.objects.filter(user=agent).update(is_active=False)
    user = MembershipBackend().get_user(agent.pk)
    assert user == agent
    assert not hasattr(user, "active_memberships")
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    assert MembershipBackend().get_user(admin.pk) == admin


def test_an_inactive_user_is_not_logged_in(agent):
    agent.is_active = False
    agent.save()
    assert MembershipBackend().get_user(agent.pk) is None


def test_a_page_reads_user_and_offices_once(client, agent, django_assert_max_num_queries):
    client.login(username="agent", password=PASSWORD)
    # session, then the user with their memberships; nothing else before the view.
    with django_assert_max_num_queries(2):
        client.get(reverse("desk:count_add"))  # GET on a POST-only view: 405 once the user is known


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_sessions_read_from_redis_when_configured(client, agent, settings, django_assert_max_num_queries):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/14"}
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    assert client.login(username="agent", password=PASSWORD)
    with django_assert_max_num_queries(1):  # the user and their memberships; the session came from Redis
        assert client.get(reverse("desk:count_add")).status_code == 405
