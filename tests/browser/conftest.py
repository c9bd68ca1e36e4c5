"""Playwright driving Debian's Chromium against one live server holding the demo pressroom."""

import dataclasses
import os
import pathlib
import shutil

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.live_server_helper import LiveServer

from core.models import Licence
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


@pytest.fixture(autouse=True)
def _contexts_closed(browser):
    """Every browser context a test opened is closed after it, whether the test closed it or
    stopped first. An open context keeps its connections to the live server open, each with
    a server thread holding a database connection: left open, they add up until the
    database refuses new ones."""
    yield
    for context in browser.contexts:
        context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="package")
def site_server(browser):
    """One live server for every browser test; it reads the committed database.

    On localhost, not 127.0.0.1: a passkey is bound to a host name, never to an address.
    """
    server = LiveServer("localhost")
    yield server
    server.stop()


@dataclasses.dataclass
class DemoSite:
    url: str
    media_root: pathlib.Path


@pytest.fixture(scope="module")
def demo_site(site_server, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo pressroom, loaded once per module and committed, so the live server sees it.

    A test may add rows of its own, named for it, and leaves alone what the others read.
    At the end of the module the database is emptied again, as after a transactional
    test, for the tests that follow.
    """
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_"), "not the test database"
        media_root = tmp_path_factory.mktemp("media")
        with override_settings(MEDIA_ROOT=media_root):  # the demo's image is stored there
            demo.load()
        yield DemoSite(url=site_server.url, media_root=media_root)
        empty_database()
        cache.clear()
        # While Playwright's loop runs in this thread, Django keeps this thread's
        # connection apart from the one it has otherwise; close it, or it would keep
        # the test database from being dropped at the end.
        connection.close()


def empty_database():
    """Delete every row but those the migrations made: content types, permissions, roles.

    What a transactional test's flush leaves, without flush's rebuilding of them.
    """
    kept = {model._meta.db_table for model in (ContentType, Permission, Group)}
    kept.add(Group.permissions.through._meta.db_table)
    kept.add(Licence._meta.db_table)
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    flush = connection.ops.sql_flush(no_style(), [t for t in tables if t not in kept])
    connection.ops.execute_sql_flush(flush)


@pytest.fixture(autouse=True)
def _site_settings(settings, demo_site):
    settings.SITE_URL = demo_site.url
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # What a module's fixtures upload stays readable through all of its tests.
    settings.MEDIA_ROOT = demo_site.media_root
    cache.clear()  # no sign-up or login count is left over from another test


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
    # Wait for the page the form leads to: a test's next ``goto`` would otherwise cut
    # the sign-in short before its session cookie arrives.
    with page.expect_navigation():
        page.click("input[type=submit]")
    if page.locator("#id_token-otp_token").count():
        device = TOTPDevice.objects.get(user__username=username, name="default")
        page.fill("#id_token-otp_token", totp_code(device))
        with page.expect_navigation():
            page.click("input[type=submit]")


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
