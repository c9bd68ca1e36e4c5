"""Every page the editorial desk adds to the admin passes axe, in both languages, at 320 px."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from releases.models import Release, Status
from tests.browser.conftest import axe_violations
from tests.browser.test_release_journey import log_in
from tests.test_desk import edit

pytestmark = pytest.mark.browser


def desk_releases(suffix):
    users = get_user_model().objects
    officer, editor, editor2 = (
        users.get(username=name) for name in ("officer", "editor", "editor2")
    )
    made = {}
    for key, title in [
        ("waiting", "Arctic patrol vessels"),
        ("scheduled", "Frigate joins task group"),
        ("sent_back", "Support for reconstruction"),
        ("alone", "Evacuation from Khartoum"),
    ]:
        title = f"{title} {suffix}"
        release = Release.objects.create(
            title_en=title,
            slug_en=title.lower().replace(" ", "-"),
            title_da=f"{title} (da)",
            slug_da=title.lower().replace(" ", "-") + "-da",
            lead_en="A lead.",
            body_en="<p>First paragraph.</p><ul><li>A point</li></ul>",
            created_by=officer,
        )
        release.keep_baseline(officer)
        made[key] = release
    made["waiting"].submit(by=officer)
    made["scheduled"].submit(by=officer)
    made["scheduled"].publish(by=editor2, at=timezone.now() + datetime.timedelta(days=1))
    edit(made["scheduled"], editor, title_en=f"Frigate joins NATO task group {suffix}")
    made["sent_back"].submit(by=officer)
    made["sent_back"].send_back(by=editor2, comment="Add the amount in kroner.")
    editor.user_permissions.add(Permission.objects.get(codename="publish_alone_release"))
    editor = users.get(pk=editor.pk)
    made["alone"].submit(by=editor)
    made["alone"].publish_alone(by=editor, reason="The evacuation starts now.")
    made["live"] = (
        Release.objects.published()
        .exclude(pk__in=[release.pk for release in made.values()])
        .exclude(status=Status.WITHDRAWN)
        .first()
    )
    return made


def workflow_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=".workflow")
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in results.response["violations"]]


@pytest.mark.parametrize("locale", ["en-GB", "da-DK"])
def test_desk_pages_pass_axe_and_fit_320_pixels(browser, demo_site, locale):
    base = demo_site.url
    made = desk_releases(locale)
    context = browser.new_context(locale=locale, viewport={"width": 320, "height": 800})
    page = context.new_page()
    log_in(page, base, "editor2")
    scheduled, live, alone = made["scheduled"], made["live"], made["alone"]
    paths = [
        "/admin/",
        f"/admin/releases/release/{made['waiting'].pk}/review/",
        f"/admin/releases/release/{scheduled.pk}/review/",
        f"/admin/releases/release/{alone.pk}/review/",
        f"/admin/releases/release/{scheduled.pk}/history/",
        f"/admin/releases/release/{scheduled.pk}/revisions/2/?compare=1",
        f"/admin/releases/release/{scheduled.pk}/reschedule/",
        f"/admin/releases/release/{scheduled.pk}/unpublish/",
        f"/admin/releases/release/{live.pk}/withdraw/",
        f"/admin/releases/release/{made['sent_back'].pk}/delete/",  # refused: sent back is a draft
        f"/admin/releases/release/{alone.pk}/delete/",  # refused: it has been public
    ]
    for path in paths:
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
    context.close()

    officer = browser.new_context(locale=locale, viewport={"width": 320, "height": 800}).new_page()
    log_in(officer, base, "officer")
    assert officer.locator("#desk-sent-back").count() == 1
    assert axe_violations(officer) == []
    officer.goto(f"{base}/admin/releases/release/{made['sent_back'].pk}/change/")
    assert "Add the amount in kroner." in officer.locator(".desk-comment").inner_text()
    # The desk adds the workflow box to the change form; the form's own fields are
    # the authoring pages' to check.
    assert workflow_violations(officer) == []
    assert Release.objects.get(pk=scheduled.pk).status == Status.SCHEDULED
