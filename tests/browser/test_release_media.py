"""A release with an image and a document, in a real browser, in both languages, with axe."""

import pytest
from django.test import override_settings

from tests.browser.conftest import axe_violations
from tests.conftest import add_document, add_image, make_photo, make_release, make_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def release_with_media(demo_site):
    with override_settings(MEDIA_ROOT=demo_site.media_root):
        return _release_with_media()


def _release_with_media():
    editor = make_user("media-editor", "Editor")
    release = make_release("Handover in Baghdad", title_da="Overdragelse i Bagdad")
    add_image(
        editor,
        release,
        make_photo(1200, 600),
        is_lead=True,
        caption_en="The handover ceremony.",
        caption_da="Overdragelsesceremonien.",
        credit_en="Photo: Ministry of Defence",
        credit_da="Foto: Forsvarsministeriet",
    )
    add_document(editor, release, b"%PDF-1.7\n" + b"x" * 5000, "fact-sheet.pdf")
    return release


@pytest.mark.parametrize(
    ("language", "alt", "download", "documents"),
    [
        ("en", "Soldiers at the ceremony", "Download the original image", "Documents"),
        ("da", "Soldater ved ceremonien", "Hent originalbilledet", "Dokumenter"),
    ],
)
def test_release_page_shows_the_image_and_document_and_passes_axe(
    page, demo_site, release_with_media, language, alt, download, documents
):
    slug = getattr(release_with_media, f"slug_{language}")
    path = "releases" if language == "en" else "nyheder"
    page.goto(f"{demo_site.url}/{language}/{path}/{slug}/")
    image = page.get_by_role("img", name=alt)
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "alt => [...document.images].some(i => i.alt === alt && i.complete && i.naturalWidth)",
        arg=alt,
    )
    # Chromium picks the WebP rendition for the page's width.
    assert ".webp" in image.evaluate("element => element.currentSrc")
    assert page.locator("h1").count() == 1
    assert page.get_by_role("heading", level=2, name=documents).is_visible()
    link = page.get_by_role("link", name=download)
    # Django's live server answers media URLs itself, so only the link is checked here;
    # the serving rules are tested through the test client in tests/test_release_media.py.
    # The original with its credit and licence written in (tests/test_media_library.py).
    assert link.get_attribute("href").endswith("/original/")
    original = page.request.get(demo_site.url + link.get_attribute("href"))
    assert original.ok
    assert original.headers["content-disposition"] == 'attachment; filename="photo.jpg"'
    document = page.get_by_role("link", name="Fact sheet" if language == "en" else "Faktaark")
    assert page.request.get(demo_site.url + document.get_attribute("href")).ok
    assert axe_violations(page) == []


def test_release_image_shows_without_javascript(browser, demo_site, release_with_media):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{demo_site.url}/en/releases/{release_with_media.slug_en}/")
    image = page.get_by_role("img", name="Soldiers at the ceremony")
    assert image.is_visible()
    assert image.evaluate("element => element.naturalWidth") > 0
    context.close()
