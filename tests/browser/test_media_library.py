"""The media library in a real browser: filters without JavaScript, axe, the download."""

import io

import pytest
from PIL import ExifTags, Image

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_media_library_filters_without_javascript_passes_axe_and_downloads_with_credit(
    browser, demo_site
):
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{demo_site.url}/en/")
    # Each click waits for the page it opens: counting right after a click may see the page
    # in between, before its items are parsed.
    with page.expect_navigation():
        page.get_by_role("link", name="Media", exact=True).click()
    assert page.locator("h1").inner_text() == "Media library"
    assert page.get_by_text("The Danish flag at the ceremony in Baghdad.").is_visible()
    assert page.get_by_role("link", name="CC BY 4.0").first.is_visible()

    page.get_by_label("Type").select_option("image")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "/en/media/?type=image&" in page.url
    # The release's image, then NATO Mission Iraq's lead image (the mission began in 2018).
    assert page.locator(".library-item").count() == 2

    flag = page.locator(".library-item").nth(0)
    href = flag.get_by_role("link", name="Download the original").get_attribute("href")
    download = page.request.get(f"{demo_site.url}{href}")
    assert download.status == 200
    assert download.headers["content-disposition"].startswith('attachment; filename="dannebrog')
    with Image.open(io.BytesIO(download.body())) as image:
        artist = image.getexif()[ExifTags.Base.Artist]
    assert artist == "Photo: Ministry of Defence"

    with page.expect_navigation():
        page.get_by_role("link", name="Dansk").click()
    assert page.url.endswith("/da/medier/?type=image")
    assert page.locator("h1").inner_text() == "Mediearkiv"
    context.close()


@pytest.mark.parametrize("path", ["/en/media/", "/da/medier/"])
def test_media_library_passes_axe(page, demo_site, path):
    page.goto(f"{demo_site.url}{path}")
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("path", "caption"),
    [
        ("/en/media/", "The desert in Iraq (a drawing for the demo)."),
        ("/da/medier/", "Ørkenen i Irak (en tegning til demoen)."),
    ],
)
def test_a_missions_image_in_the_library_on_a_narrow_screen(browser, demo_site, path, caption):
    context = browser.new_context(viewport={"width": 320, "height": 640}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{demo_site.url}{path}")
    item = page.locator(".library-item").filter(has_text=caption)
    assert item.count() == 1
    assert item.get_by_role("link", name="CC BY 4.0").is_visible()
    image = item.locator("img")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    box = image.bounding_box()
    assert box["width"] <= 320 - 16
    # Nothing runs off the side of a narrow screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    mission_link = item.get_by_role("link", name="NATO")
    assert mission_link.get_attribute("href").endswith("/nato-mission-iraq/")
    href = item.locator("a.download").get_attribute("href")
    download = page.request.get(f"{demo_site.url}{href}")
    assert download.status == 200
    with Image.open(io.BytesIO(download.body())) as picture:
        copyright = picture.getexif()[ExifTags.Base.Copyright].encode("latin-1").decode()
    assert copyright.endswith(". CC BY 4.0")
    assert axe_violations(page) == []
    context.close()
