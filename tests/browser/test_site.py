"""The home page in a real browser, in both languages, with axe."""

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_home_page_switches_language_and_passes_axe(page, demo_site):
    page.goto(f"{demo_site.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "News from the Ministry of Foreign Affairs of Denmark"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Dansk").click()
    page.wait_for_url(f"{demo_site.url}/da/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("h1").inner_text() == "Nyheder fra Udenrigsministeriet"
    assert axe_violations(page) == []

    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{demo_site.url}/en/")


def test_skip_link_moves_focus_to_the_content(page, demo_site):
    page.goto(f"{demo_site.url}/da/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til indhold")
    assert skip.evaluate("element => element === document.activeElement")
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_site_works_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{demo_site.url}/en/")
    page.get_by_role("link", name="Releases", exact=True).click()
    assert page.locator("h1").inner_text() == "Releases"
    page.get_by_role("link", name="Dansk").click()
    assert page.locator("h1").inner_text() == "Nyheder"
    context.close()
