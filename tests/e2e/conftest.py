"""Browser journeys in Debian's headless Chromium, driven by Playwright (never a downloaded browser)."""

import os
import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the Django ORM calls in tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Assertions wait as long as actions (15 s, below): on a loaded CI machine a page's answer can take more than
# Playwright's default 5 s; a wrong page still fails, only later.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium package is required for the browser tests (make chromium).")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# Reports every Content-Security-Policy violation of a page to the test (a function exposed by Playwright).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  const what = `${e.violatedDirective} blocked ${e.blockedURI || "inline"}`;
  window.acvsCspViolation(`${location.pathname}: ${what} (${e.sourceFile}:${e.lineNumber})`);
});
"""


@pytest.fixture(autouse=True)
def csp_violations():
    """Every journey proves that its pages work under the Content-Security-Policy: any violation fails it."""
    violations = []
    yield violations
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


@pytest.fixture
def new_context(browser, live_server, csp_violations):
    """Browser contexts on the live server that report CSP violations (the event and Chromium's console error)."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", **options)
        context.set_default_timeout(15_000)
        context.expose_function("acvsCspViolation", lambda text: csp_violations.append(text))
        context.add_init_script(CSP_LISTENER)
        context.on(
            "console",
            lambda m: m.type == "error" and "Content Security Policy" in m.text and csp_violations.append(m.text),
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context(viewport={"width": 1280, "height": 900}).new_page()


def login(page, username, password):
    page.goto("/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")
