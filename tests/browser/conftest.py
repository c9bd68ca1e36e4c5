"""Playwright driving Debian's Chromium against the live test server."""

import os
import shutil

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from pressroom import demo
from tests.conftest import totp_code

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")

# Playwright's sync API runs an event loop in the test thread; Django's ORM is
# still called synchronously from it, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Package scope: Playwright keeps an event loop running on this thread while open.
@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM:
        pytest.skip("No Chromium found: install Debian's chromium package or set CHROMIUM_PATH.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_site(transactional_db, live_server, settings):
    settings.SITE_URL = live_server.url
    demo.load()
    return live_server


def axe_violations(page):
    """Run axe-core on the page; return the violations as readable strings."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
        f"{', '.join(node['target'][0] for node in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


def sign_in(page, base, username, password):
    """Sign in at the admin as staff do: the password, then the authenticator's code if asked.

    The code is computed from the account's authenticator key, as the app on the
    editor's phone would show it.
    """
    page.goto(f"{base}/admin/login/")
    page.fill("#id_auth-username", username)
    page.fill("#id_auth-password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state()
    if page.locator("#id_token-otp_token").count():
        device = TOTPDevice.objects.get(user__username=username, name="default")
        page.fill("#id_token-otp_token", totp_code(device))
        page.click("input[type=submit]")
        page.wait_for_load_state()


# Every violation of the Content-Security-Policy is reported on the console.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} at ${where}`);
});
"""


def watch_console(page):
    """Collect the page's console errors and warnings and uncaught errors, as strings."""
    messages = []
    page.add_init_script(_REPORT_VIOLATIONS)

    def keep(message):
        location = message.location.get("url", "")
        if message.type in ("error", "warning") and not location.endswith("/favicon.ico"):
            messages.append(f"{message.type}: {message.text} ({location})")

    page.on("console", keep)
    page.on("pageerror", lambda error: messages.append(f"uncaught: {error}"))
    return messages
