"""Playwright driving Debian's Chromium against the live test server."""

import os
import shutil

import pytest

from pressroom import demo

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
