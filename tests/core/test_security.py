"""Production settings refuse unsafe configurations; every page carries the Content-Security-Policy."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from acvs.settings import tiles_source

ROOT = Path(__file__).resolve().parents[2]
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: https://tile.openstreetmap.org; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
PRODUCTION = {
    "ACVS_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "acvs.example.org",
}


def run_with(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Runs manage.py in a fresh process with exactly these settings variables (nothing inherited from the tests)."""
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_settings_pass_the_deployment_checks():
    result = run_with(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": ""}, "Set SECRET_KEY to a long random value in production"),
        (
            {"SECRET_KEY": "acvs-development-only-key-change-me-in-production-0123456789"},
            "Set SECRET_KEY to a long random value in production",
        ),
        ({"ALLOWED_HOSTS": ""}, "Set ALLOWED_HOSTS to the site's host names in production"),
        ({"DEBUG": "true"}, "DEBUG must stay off in production"),
        ({"ACVS_ENV": "staging"}, "ACVS_ENV must be production or development, not 'staging'."),
    ],
)
def test_production_refuses_to_start_with_an_unsafe_setting(change, message):
    result = run_with({**PRODUCTION, **change}, "check")
    assert result.returncode == 1
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_without_any_variable_the_settings_are_the_production_ones():
    result = run_with({}, "check")
    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: Set SECRET_KEY to a long random value in production "
        "(on a development machine, set ACVS_ENV=development)"
    ) in result.stderr


def test_the_tile_server_is_allowed_for_pictures_with_its_subdomains():
    assert tiles_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://tile.openstreetmap.org"
    assert tiles_source("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    assert tiles_source("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png") == "http://127.0.0.1:8080"


def test_pages_carry_the_content_security_policy(client, agent):
    assert client.get(reverse("login"))["Content-Security-Policy"] == POLICY
    client.force_login(agent)
    response = client.get(reverse("offer:search"))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY
    # An htmx partial too: what it swaps in is checked against the page's policy, but the header costs nothing.
    assert client.get(reverse("offer:search"), headers={"HX-Request": "true"})["Content-Security-Policy"] == POLICY


TEMPLATES = sorted(ROOT.glob("acvs/**/templates/**/*.html"))
# Rendered server-side by WeasyPrint or read in a mail client: no browser applies the site's policy to them.
OUTSIDE_THE_POLICY = {"booklet/pdf.html", "booklet/email/body.html", "campaigns/email/body.html"}
FORBIDDEN = {
    "inline event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "htmx hx-on (needs eval)": re.compile(r"\s(data-)?hx-on", re.IGNORECASE),
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "js: value (needs eval)": re.compile(r"""hx-vals=['"]\s*js:""", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
}


def test_templates_hold_nothing_the_policy_would_refuse():
    assert len(TEMPLATES) > 50
    found = []
    for path in TEMPLATES:
        name = path.as_posix().split("/templates/", 1)[1]
        if name in OUTSIDE_THE_POLICY:
            continue
        text = path.read_text()
        found += [f"{name}: {what}" for what, pattern in FORBIDDEN.items() if pattern.search(text)]
    assert found == []
