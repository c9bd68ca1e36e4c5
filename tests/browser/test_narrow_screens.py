"""Every public page fits a 320 px wide screen: nothing scrolls sideways (WCAG 1.4.10)."""

import pytest
from django.utils import translation

from releases.models import Release

pytestmark = pytest.mark.browser

PAGES = {
    "en": [
        "/en/",
        "/en/about/",
        "/en/releases/",
        "/en/releases/search/?q=NATO+Itlay",
        "/en/releases/contacts/",
        "/en/media/",
        "/en/releases/{release}/",
        "/en/missions/",
        "/en/missions/nato-mission-iraq/",
        "/en/missions/operation-inherent-resolve/",
        "/en/subscriptions/",
        "/en/verify/",
        "/en/no-such-page/",
    ],
    "da": [
        "/da/",
        "/da/om/",
        "/da/nyheder/",
        "/da/nyheder/soeg/?q=NATO+Itlay",
        "/da/nyheder/kontakter/",
        "/da/medier/",
        "/da/nyheder/{release_da}/",
        "/da/missioner/",
        "/da/missioner/nato-mission-iraq/",
        "/da/missioner/operation-inherent-resolve/",
        "/da/abonnement/",
        "/da/bekraeft/",
        "/da/ingen-side/",
    ],
}

# Elements wider than the screen, listed when a page scrolls sideways.
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter(e => !e.closest('.table-scroll, .skip-link'))
    .slice(0, 5)
    .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.mark.parametrize("language", ["en", "da"])
def test_no_public_page_scrolls_sideways_at_320_px(browser, demo_site, language):
    handover = Release.objects.get(slug_en__startswith="denmark-hands-over")
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    paths = [
        path.format(release=handover.slug_en, release_da=handover.slug_da)
        for path in PAGES[language]
    ]
    with translation.override(language):
        # Every demo release: Danish headlines hold long compound words.
        paths += [release.get_absolute_url() for release in Release.objects.published()]
    for path in paths:
        page.goto(demo_site.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (
            f"{path} scrolls {overflow} px sideways: {page.evaluate(WIDE_ELEMENTS)}"
        )
    context.close()
