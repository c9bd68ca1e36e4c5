"""An embargo in Chromium: an editor gives a scheduled release early, the journalist reads it
through the emailed link, the editor sees the opening and revokes the link."""

import datetime
import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.templatetags.core import shown_time
from releases.models import EmbargoOpen, Journalist, Status
from tests.browser.conftest import axe_violations
from tests.browser.test_release_journey import log_in
from tests.conftest import add_image, make_release, run_worker, text_part, wait_for

pytestmark = pytest.mark.browser


def test_grant_email_open_and_revoke_an_embargo(browser, demo_site, smtp):
    base = demo_site.url
    release = make_release(
        "Embargoed: frigate joins the Baltic task group",
        status=Status.SCHEDULED,
        published_at=timezone.now().replace(microsecond=0) + datetime.timedelta(days=2),
    )
    add_image(get_user_model().objects.get(username="editor"), release)
    Journalist.objects.create(
        name="Ingrid Embargo",
        outlet="Baltic Times",
        email="ingrid.embargo@example.org",
        accredited_until=timezone.localdate() + datetime.timedelta(days=90),
    )

    # The editor gives the release to the journalist on its embargo page.
    editor = browser.new_context().new_page()
    log_in(editor, base, "editor")
    editor.goto(f"{base}/admin/releases/release/{release.pk}/change/")
    editor.get_by_role("link", name="Embargo: early access for journalists").click()
    editor.get_by_label("Ingrid Embargo (Baltic Times)").check()
    editor.get_by_role("button", name="Give early access and email the links").click()
    editor.wait_for_selector(".messagelist >> text=Early access given to 1 journalist")

    # The worker sends the personal link.
    run_worker()
    assert wait_for(lambda: smtp.to("ingrid.embargo@example.org"))
    (email,) = smtp.to("ingrid.embargo@example.org")
    link = re.search(r"https?://\S+/preview/\S+/", text_part(email)).group(0)

    # The journalist opens it: embargoed, named, the image loads, and axe finds nothing.
    journalist = browser.new_context().new_page()
    response = journalist.goto(link)
    assert response.headers["cache-control"] == "private, no-store"
    banner = journalist.locator(".banner.embargo")
    assert f"EMBARGOED until {shown_time(release.published_at)}" in banner.inner_text()
    assert "Given personally to Ingrid Embargo, Baltic Times." in banner.inner_text()
    assert journalist.locator("h1").inner_text() == release.title_en
    image = journalist.locator("article img").first
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    # The name lies across the whole page, over text and images, and takes no clicks.
    watermark = journalist.locator("svg.watermark")
    assert watermark.bounding_box()["height"] == journalist.viewport_size["height"]
    assert "Ingrid Embargo · Baltic Times" in watermark.text_content()
    assert journalist.evaluate(
        "() => !document.elementFromPoint(innerWidth / 2, innerHeight / 2).closest('svg')"
    )
    if os.environ.get("SCREENSHOTS"):
        journalist.screenshot(path=os.environ["SCREENSHOTS"] + "/embargoed.png", full_page=True)
    assert axe_violations(journalist) == []
    assert wait_for(lambda: EmbargoOpen.objects.filter(link__release=release).count() == 1)

    # The editor sees the opening and revokes the link.
    editor.reload()
    assert "Ingrid Embargo" in editor.get_by_role("table", name="Openings", exact=True).inner_text()
    editor.get_by_role("button", name="Revoke the link of Ingrid Embargo").click()
    editor.wait_for_selector(".messagelist >> text=link is revoked")

    # The same link shows nothing of the release any more.
    response = journalist.goto(link)
    assert response.status == 404
    assert journalist.locator("h1").inner_text() == "This preview link no longer works"
    assert release.title_en not in journalist.content()
