"""An editor uploads images in the real admin: a photo is cleaned, a non-image is refused."""

import pytest
from django.core.files.storage import default_storage

from releases.models import Status
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, make_photo, make_release, make_user

pytestmark = pytest.mark.browser


def log_in(page, url, username):
    sign_in(page, url, username, PASSWORD)


@pytest.mark.parametrize(
    ("locale", "refusal"),
    [
        ("en-GB", "This file is not an image the pressroom can read."),
        ("da-DK", "Filen er ikke et billede, som presserummet kan læse."),
    ],
)
def test_editor_uploads_a_photo_and_a_non_image_is_refused_in_their_language(
    browser, demo_site, locale, refusal
):
    make_user(f"uploader-{locale}", "Press officer")
    release = make_release("Visit to Kyiv", status=Status.DRAFT)
    context = browser.new_context(locale=locale)
    page = context.new_page()
    log_in(page, demo_site.url, f"uploader-{locale}")
    change_url = f"{demo_site.url}/admin/releases/release/{release.pk}/change/"

    page.goto(change_url)
    page.locator("#images-group .add-row a").click()
    page.set_input_files(
        "#id_images-0-image",
        files=[{"name": "kyiv.jpg", "mimeType": "image/jpeg", "buffer": make_photo(1200, 800)}],
    )
    page.fill("#id_images-0-alt_en", "The minister in Kyiv")
    page.click("input[name=_continue]")
    assert page.locator(".errornote").count() == 0

    image = release.images.get()
    assert (image.width, image.height, len(image.renditions)) == (1200, 800, 4)
    with default_storage.open(image.image.name) as stored:
        assert b"GPS" not in stored.read()

    page.goto(change_url)
    page.locator("#images-group .add-row a").click()
    page.set_input_files(
        "#id_images-1-image",
        files=[{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"Meeting notes"}],
    )
    page.fill("#id_images-1-alt_en", "Notes")
    page.click("input[name=_continue]")
    assert refusal in page.locator("#images-group .errorlist").inner_text()
    assert release.images.count() == 1
    context.close()
