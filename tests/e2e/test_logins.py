"""Journey: an agent locks their account with wrong passwords, reads why, and a network administrator lifts it."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def attempt(page, username, password):
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_a_locked_account_reads_why_and_an_administrator_lifts_the_lock(new_context, agent, network_admin, tmp_path):
    page = new_context().new_page()
    page.goto("/login/")
    for _ in range(5):
        attempt(page, "agent", "wrong-password")
    attempt(page, "agent", PASSWORD)
    message = page.get_by_text("Trop de connexions échouées pour ce compte ou depuis cette adresse")
    expect(message).to_be_visible()
    expect(page.get_by_label("Nom d’utilisateur")).to_have_value("agent")
    page.screenshot(path=tmp_path / "locked.png")

    admin = new_context().new_page()
    login(admin, "netadmin", PASSWORD)
    admin.get_by_role("link", name="Réseau").click()
    admin.get_by_role("link", name="Connexions").click()
    expect(admin.locator("#lockouts")).to_contain_text("Compte « agent »")
    expect(admin.locator("#failures tbody tr")).to_have_count(6)
    admin.screenshot(path=tmp_path / "audit.png", full_page=True)
    admin.get_by_role("link", name="Lever le blocage").click()
    admin.get_by_role("button", name="Lever le blocage").click()
    expect(admin.get_by_text("Le blocage est levé : agent peut de nouveau se connecter.")).to_be_visible()
    expect(admin.locator("#lockouts")).to_contain_text("Aucun compte ni aucune adresse n’est bloqué.")

    attempt(page, "agent", PASSWORD)
    page.wait_for_url("**/")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
