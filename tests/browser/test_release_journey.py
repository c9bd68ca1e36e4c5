"""A press officer drafts, an editor publishes, a reader finds it: in Chromium, with axe."""

import re

import pytest

from pressroom.demo import DEMO_ACCOUNTS
from releases.models import Release, Status
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser

PASSWORDS = {username: password for _role, username, password in DEMO_ACCOUNTS}


def log_in(page, base, username):
    sign_in(page, base, username, PASSWORDS[username])
    page.wait_for_url(f"{base}/admin/")


def type_in_editor(page, field, text):
    """Type into the rich-text editor that replaces the textarea of ``field``."""
    editor = page.locator(f".field-{field} [contenteditable=true]")
    editor.click()
    page.keyboard.type(text)


@pytest.mark.parametrize("language", ["en", "da"])
def test_public_release_pages_pass_axe(page, demo_site, language):
    base = demo_site.url
    prefix = {"en": "/en/releases/", "da": "/da/nyheder/"}[language]
    for path in [
        prefix,
        f"{prefix}?kind=news",
        prefix + ("search/" if language == "en" else "soeg/") + "?q=Ukraine",
    ]:
        page.goto(base + path)
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == [], path
    page.goto(base + prefix)
    with page.expect_navigation():
        page.locator(".release-item h3 a").first.click()
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_officer_drafts_editor_publishes_reader_finds_it(browser, demo_site):
    base = demo_site.url

    officer = browser.new_context().new_page()
    log_in(officer, base, "officer")
    officer.goto(f"{base}/admin/releases/release/add/")
    officer.select_option("#id_kind", "news")
    # One switch for the whole form: English first, then Danish.
    officer.locator(".mt-switch button[data-mode=en]").click()
    officer.fill("#id_title_en", "Arctic patrol vessels strengthen surveillance")
    officer.fill("#id_lead_en", "Two new patrol vessels will watch the Arctic waters.")
    type_in_editor(officer, "body_en", "The vessels patrol around Greenland.")
    assert officer.locator("#id_title_da").is_hidden()
    officer.locator(".mt-switch button[data-mode=da]").click()
    assert officer.locator("#id_title_en").is_hidden()
    officer.fill("#id_title_da", "Arktiske patruljeskibe styrker overvågningen")
    officer.fill("#id_lead_da", "To nye patruljeskibe skal overvåge de arktiske farvande.")
    type_in_editor(officer, "body_da", "Skibene patruljerer omkring Grønland.")
    officer.click("input[name=_continue]")
    officer.wait_for_selector(".messagelist")
    # A last fix, typed and not saved: the step's button saves it with the step.
    officer.fill("#id_lead_da", "To nye patruljeskibe skal overvåge de arktiske farvande fra 2027.")
    officer.get_by_role("button", name="Save and submit for review").click()
    officer.wait_for_selector("text=Submitted for review. Another editor must approve it.")
    assert officer.get_by_role("link", name="Review and approve").count() == 0

    release = Release.objects.get(title_en="Arctic patrol vessels strengthen surveillance")
    assert release.status == Status.SUBMITTED
    assert release.body_en == "<p>The vessels patrol around Greenland.</p>"
    assert release.lead_da == "To nye patruljeskibe skal overvåge de arktiske farvande fra 2027."

    editor = browser.new_context().new_page()
    log_in(editor, base, "editor")
    editor.goto(f"{base}/admin/releases/release/{release.pk}/change/")
    editor.get_by_role("link", name="Review and approve").click()
    editor.check("input[name=approve-when][value=now]")
    editor.get_by_role("button", name="Approve", exact=True).click()
    editor.wait_for_selector("text=Approved and public.")
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED

    reader = browser.new_context().new_page()
    reader.goto(f"{base}/en/releases/search/?q=patrolling+vessel")
    link = reader.get_by_role("link", name="Arctic patrol vessels strengthen surveillance")
    assert link.count() == 1
    assert axe_violations(reader) == []
    link.click()
    assert reader.locator("h1").inner_text() == "Arctic patrol vessels strengthen surveillance"
    assert axe_violations(reader) == []

    reader.goto(f"{base}/da/nyheder/soeg/?q=patruljeskibet")
    link = reader.get_by_role("link", name="Arktiske patruljeskibe styrker overvågningen")
    assert link.count() == 1
    assert axe_violations(reader) == []
    link.click()
    assert re.search(r"/da/nyheder/arktiske-patruljeskibe", reader.url)
    assert axe_violations(reader) == []
