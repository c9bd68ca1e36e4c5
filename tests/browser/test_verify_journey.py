"""A journalist checks a forwarded statement: release page, verify page, verdict; no script, axe."""

import pytest

from releases.models import Release
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

VERDICTS = {"en": "Genuine: an unaltered release", "da": "Ægte: en uændret nyhed"}
RELEASE_PATHS = {"en": "/en/releases/{}/", "da": "/da/nyheder/{}/"}


def check_release_text(page, base, language):
    """From the release page to the verify page, then check the release's own title and lead."""
    handover = Release.objects.get(slug_en__startswith="denmark-hands-over")
    page.goto(base + RELEASE_PATHS[language].format(getattr(handover, f"slug_{language}")))
    title = page.locator("h1").inner_text()
    lead = page.locator("p.lead").inner_text()
    # Wait for the verify page: counting right after the click may see the page in between.
    with page.expect_navigation():
        page.locator("#verify-heading + p a").nth(1).click()
    assert page.locator("h1").count() == 1
    page.locator("textarea").fill(f"{title}\n\n{lead}")
    with page.expect_navigation():
        page.locator("form.verify-form button[type=submit]").click()
    return title, lead


@pytest.mark.parametrize("language", ["en", "da"])
def test_a_journalist_verifies_a_forwarded_text_without_javascript(browser, demo_site, language):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    title, lead = check_release_text(page, demo_site.url, language)
    assert page.locator("#verdict-heading").inner_text() == VERDICTS[language]
    assert page.locator(".verdict a").first.inner_text() == title

    page.locator("textarea").fill(f"{title}\n\n{lead} Not quite.")
    with page.expect_navigation():
        page.locator("form.verify-form button[type=submit]").click()
    assert page.locator("#verdict-heading").count() == 1
    assert page.locator("#verdict-heading").inner_text() != VERDICTS[language]
    context.close()


@pytest.mark.parametrize("language", ["en", "da"])
def test_the_verify_page_and_its_verdict_pass_axe(page, demo_site, language):
    check_release_text(page, demo_site.url, language)
    assert page.locator("#verdict-heading").inner_text() == VERDICTS[language]
    assert axe_violations(page) == []
    page.goto(demo_site.url + {"en": "/en/verify/", "da": "/da/bekraeft/"}[language])
    assert axe_violations(page) == []


def test_the_about_page_with_the_public_key_passes_axe(page, demo_site):
    for path in ("/en/about/", "/da/om/"):
        page.goto(demo_site.url + path)
        assert "BEGIN PUBLIC KEY" in page.locator("pre.public-key").inner_text()
        assert axe_violations(page) == [], path
