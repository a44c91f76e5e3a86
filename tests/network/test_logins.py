"""Login throttling: an account is locked after 5 failures, an address after 20; the network administrators see the
failures and lift lock-outs."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.urls import reverse

from acvs.network.logins import client_ip
from acvs.network.models import User
from tests.conftest import PASSWORD

from .helpers import ACTORS, as_

LOCKED = (
    "Trop de connexions échouées pour ce compte ou depuis cette adresse : la connexion est bloquée pendant "
    "15 minutes. Chaque nouvelle tentative d’ici là relance l’attente. Un administrateur du réseau peut lever le "
    "blocage."
)
WRONG = "Saisissez un nom d’utilisateur et un mot de passe valides."


def log_in(client, username, password, address="127.0.0.1", url="/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return SESSION_KEY in client.session


def fail(client, username, times, address="127.0.0.1"):
    return [log_in(client, username, "wrong-password", address).status_code for _ in range(times)]


def age(minutes: int):
    """Moves every recorded attempt `minutes` into the past."""
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - datetime.timedelta(minutes=minutes)
        )


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, agent):
    first = log_in(client, "agent", "wrong-password")
    assert first.status_code == 200
    assert first.context["form"].non_field_errors()[0].startswith(WRONG)
    assert fail(client, "agent", 4) == [200, 200, 200, 429]  # the fifth failure locks the account

    response = log_in(client, "agent", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert response.context["form"].non_field_errors() == [LOCKED]
    assert LOCKED in response.text  # on the login page itself, its form kept
    assert 'name="username" value="agent"' in response.text
    assert not logged_in(client)


def test_another_account_logs_in_from_the_same_address_but_the_locked_one_from_nowhere(client, agent, manager):
    fail(client, "agent", 5)
    assert log_in(client, "manager", PASSWORD).status_code == 302
    assert logged_in(client)
    client.logout()
    assert log_in(client, "agent", PASSWORD, address="192.0.2.7").status_code == 429
    assert not logged_in(client)


def test_an_address_is_locked_after_twenty_failures_whatever_the_accounts(client, agent):
    for name in ("anna", "bruno", "chloe", "david"):
        assert fail(client, name, 4, address="10.0.0.1") == [200] * 4
    # The 20th failure from 10.0.0.1 (no account at 5) locks the address, for every account.
    assert fail(client, "emma", 4, address="10.0.0.1") == [200, 200, 200, 429]
    assert log_in(client, "agent", PASSWORD, address="10.0.0.1").status_code == 429
    assert log_in(client, "agent", PASSWORD, address="10.0.0.2").status_code == 302


def test_after_the_cool_off_the_account_logs_in_again(client, agent):
    fail(client, "agent", 5)
    age(14)
    assert log_in(client, "agent", PASSWORD).status_code == 429  # 14 minutes: still locked, and the wait restarts
    age(14)
    assert log_in(client, "agent", PASSWORD).status_code == 429  # 14 minutes after that last attempt
    age(16)
    response = log_in(client, "agent", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_logging_in_forgives_ones_own_typos(client, agent):
    fail(client, "agent", 4)
    assert log_in(client, "agent", PASSWORD).status_code == 302
    client.logout()
    assert fail(client, "agent", 4) == [200, 200, 200, 200]
    assert log_in(client, "agent", PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client, db):
    User.objects.create_superuser("root", password=PASSWORD)
    for _ in range(5):
        log_in(client, "root", "wrong-password", url="/admin/login/")
    response = log_in(client, "root", PASSWORD, url="/admin/login/")
    assert response.status_code == 429
    assert LOCKED in response.text
    assert not logged_in(client)


def test_failures_are_recorded_for_the_audit(client, agent):
    client.post("/login/", {"username": "agent", "password": "x"}, REMOTE_ADDR="192.0.2.1", HTTP_USER_AGENT="Curl/8")
    [failure] = AccessFailureLog.objects.all()
    assert (failure.username, failure.ip_address, failure.user_agent, failure.path_info, failure.locked_out) == (
        "agent",
        "192.0.2.1",
        "Curl/8",
        "/login/",
        False,
    )


def test_the_client_address_comes_from_the_proxy_header_only_when_configured(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9")
    assert client_ip(request) == "127.0.0.1"  # a header anyone can send is ignored by default
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(request) == "203.0.113.9"
    forwarded = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.1, 203.0.113.9")
    assert client_ip(forwarded) == "203.0.113.9"  # the address the nearest proxy added
    garbage = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="<script>")
    assert client_ip(garbage) == "127.0.0.1"


def test_failures_behind_the_proxy_count_per_client(client, agent, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(20):
        client.post("/login/", {"username": "nobody", "password": "x"}, HTTP_X_REAL_IP="203.0.113.9")
    assert (
        client.post("/login/", {"username": "agent", "password": PASSWORD}, HTTP_X_REAL_IP="203.0.113.9").status_code
        == 429
    )
    assert (
        client.post("/login/", {"username": "agent", "password": PASSWORD}, HTTP_X_REAL_IP="203.0.113.10").status_code
        == 302
    )


# The audit page ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "status"), list(zip(ACTORS, [200, 403, 403, 403, 403, 403, 403], strict=True)))
def test_only_network_administrators_see_the_audit(client, world, actor, status):
    as_(client, world.people[actor])
    assert client.get(reverse("network:logins")).status_code == status
    assert client.get(reverse("network:lockout_lift"), {"kind": "account", "value": "agent"}).status_code == status


def test_the_audit_lists_failures_and_lockouts_and_lifts_one(client, agent, network_admin):
    fail(client, "agent", 5, address="192.0.2.1")
    as_(client, network_admin)
    response = client.get(reverse("network:logins"))
    assert [(lo["kind"], lo["value"], lo["failures"]) for lo in response.context["lockouts"]] == [
        ("account", "agent", 5)
    ]
    assert [(f.username, f.ip_address, f.locked_out) for f in response.context["page"].object_list] == [
        ("agent", "192.0.2.1", True),
        *[("agent", "192.0.2.1", False)] * 4,
    ]
    assert "Compte « agent »" in response.text

    confirm = client.get(reverse("network:lockout_lift"), {"kind": "account", "value": "agent"})
    assert "Lever le blocage du compte « agent » ?" in confirm.text
    assert AccessAttempt.objects.filter(username="agent").exists()  # asking changes nothing
    response = client.post(reverse("network:lockout_lift"), {"kind": "account", "value": "agent"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="agent").exists()
    assert client.get(reverse("network:logins")).context["lockouts"] == []
    client.logout()
    assert log_in(client, "agent", PASSWORD, address="192.0.2.1").status_code == 302


def test_an_address_lockout_is_lifted_for_that_address_only(client, agent, network_admin):
    for name in ("anna", "bruno", "chloe", "david", "emma"):
        fail(client, name, 4, address="10.0.0.1")
    fail(client, "zoe", 4, address="10.0.0.2")
    as_(client, network_admin)
    lockouts = client.get(reverse("network:logins")).context["lockouts"]
    assert [(lo["kind"], lo["value"], lo["failures"]) for lo in lockouts] == [("address", "10.0.0.1", 20)]
    client.post(reverse("network:lockout_lift"), {"kind": "address", "value": "10.0.0.1"})
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.2"}


def test_a_bad_lift_request_is_refused_with_a_reason(client, agent, network_admin):
    fail(client, "agent", 5)
    as_(client, network_admin)
    response = client.post(reverse("network:lockout_lift"), {"kind": "address", "value": "not-an-address"})
    assert response.status_code == 400
    assert "Saisissez une adresse IPv4 ou IPv6 valide." in response.text
    response = client.post(reverse("network:lockout_lift"), {"kind": "everything", "value": "agent"})
    assert response.status_code == 400
    assert AccessAttempt.objects.count() == 1


def test_only_network_administrators_lift_a_lockout(client, agent, department_admin):
    fail(client, "agent", 5)
    as_(client, department_admin)
    assert client.post(reverse("network:lockout_lift"), {"kind": "account", "value": "agent"}).status_code == 403
    assert AccessAttempt.objects.filter(username="agent").exists()
