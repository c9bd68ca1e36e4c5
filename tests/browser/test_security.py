"""In Chromium: pages work under the Content-Security-Policy; staff sign in with two factors."""

import base64

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from two_factor.plugins.webauthn.models import WebauthnDevice

from missions.models import Mission
from pressroom import roles
from releases.models import Release, Status
from tests.browser.conftest import axe_violations, sign_in, watch_console
from tests.conftest import PASSWORD, add_image, make_photo, make_release, make_user

pytestmark = pytest.mark.browser


def csp_messages(messages):
    return [m for m in messages if "Content Security Policy" in m or "CSP violation" in m]


def public_pages():
    release = Release.objects.published().first()
    mission = Mission.objects.first()
    pages = []
    for language in ("en", "da"):
        with translation.override(language):
            pages += [
                reverse("home"),
                reverse("about"),
                reverse("releases:list"),
                reverse("releases:search") + "?q=NATO",
                reverse("releases:contacts"),
                release.get_absolute_url(),
                reverse("missions:list"),
                mission.get_absolute_url(),
                reverse("subscriptions:subscribe"),
            ]
    return pages


def test_public_pages_run_under_the_policy_without_a_violation(browser, demo_site):
    page = browser.new_context().new_page()
    messages = watch_console(page)
    for path in public_pages():
        response = page.goto(demo_site.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert messages == []


def test_the_admin_and_the_rich_text_editor_run_under_the_policy(browser, demo_site):
    base = demo_site.url
    page = browser.new_context().new_page()
    messages = watch_console(page)
    sign_in(page, base, "editor", "demo-editor-2026")
    page.wait_for_url(f"{base}/admin/")
    release = Release.objects.published().first()
    for path in [
        "/admin/",
        "/admin/releases/release/",
        "/admin/releases/release/add/",
        f"/admin/missions/mission/{Mission.objects.first().pk}/change/",
        "/admin/subscriptions/deliveryreport/",
        "/admin/signin/signinfailure/",
        "/admin/second-factor/",
        "/admin/second-factor/recovery-codes/",
        f"/admin/releases/release/{release.pk}/publish/",
    ]:
        assert page.goto(base + path).status == 200, path

    # The release form: the language switch, the rich-text editor and its toolbar all work.
    # (A draft: an edit of a public release would wait for a second editor's review.)
    draft = make_release("Checked under the policy", status=Status.DRAFT, body_en="<p>Draft.</p>")
    page.goto(f"{base}/admin/releases/release/{draft.pk}/change/")
    assert page.locator(".mt-switch").count() == 1
    assert page.locator(".field-body_en .prose-editor").count() == 1
    editor = page.locator(".field-body_en [contenteditable=true]")
    editor.click()
    page.wait_for_timeout(150)  # the editor takes the click's selection a moment later
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type("Checked under the policy.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    draft.refresh_from_db()
    assert draft.body_en == "<p>Draft.</p><p><strong>Checked under the policy.</strong></p>"
    assert messages == []


def test_an_editor_sets_up_an_authenticator_app_and_signs_in_with_it(browser, demo_site):
    base = demo_site.url
    make_user("nora", roles.EDITOR)
    page = browser.new_context().new_page()
    messages = watch_console(page)
    sign_in(page, base, "nora", PASSWORD)
    # An editor without a second factor is sent to set one up before any admin page.
    page.wait_for_url(f"{base}/admin/second-factor/setup/**")
    assert page.locator("h1").inner_text() == "Set up your second factor"
    assert axe_violations(page) == []
    page.click("input[type=submit]")
    page.get_by_label("Authenticator app").check()
    page.click("input[type=submit]")
    qr = page.locator(".qr-code img")
    page.wait_for_function("img => img.complete", arg=qr.element_handle())
    assert qr.evaluate("img => img.naturalWidth") > 0
    key = page.locator("code.secret").inner_text()
    code = TOTP(base64.b32decode(key)).token()
    page.fill("#id_generator-token", f"{code:06d}")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/second-factor/setup/done/**")
    page.get_by_role("link", name="Make recovery codes").click()
    page.click("input[type=submit]")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert set(codes) == set(
        StaticDevice.objects.get(user__username="nora").token_set.values_list("token", flat=True)
    )
    page.get_by_role("link", name="Continue to the administration").click()
    page.wait_for_url(f"{base}/admin/")

    # Next time: password, then the code from the app.
    page.get_by_role("button", name="Log out").click()
    sign_in(page, base, "nora", PASSWORD)
    page.wait_for_url(f"{base}/admin/")

    # A lost phone: a recovery code lets her in, once.
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_auth-username", "nora")
    page.fill("#id_auth-password", PASSWORD)
    page.click("input[type=submit]")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Lost your phone or key? Use a recovery code").click()
    page.fill("#id_backup-otp_token", codes[0])
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    assert not StaticDevice.objects.get(user__username="nora").token_set.filter(token=codes[0])
    assert messages == []


def test_an_editor_sets_up_a_passkey_and_signs_in_with_it(browser, demo_site):
    base = demo_site.url
    make_user("paula", roles.EDITOR)
    page = browser.new_context().new_page()
    messages = watch_console(page)
    # Chromium's virtual authenticator stands in for a phone's or a laptop's passkey.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    sign_in(page, base, "paula", PASSWORD)
    page.wait_for_url(f"{base}/admin/second-factor/setup/**")
    page.click("input[type=submit]")
    page.get_by_label("Passkey or security key").check()
    page.click("input[type=submit]")
    # The browser creates the passkey and the page goes on by itself.
    page.wait_for_url(f"{base}/admin/second-factor/setup/done/**")
    assert WebauthnDevice.objects.filter(user__username="paula").count() == 1

    page.goto(f"{base}/admin/")
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_auth-username", "paula")
    page.fill("#id_auth-password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    assert page.locator("#user-tools").inner_text().upper().startswith("WELCOME")
    assert messages == []


def test_a_preview_link_shows_its_draft_with_images_in_both_languages(browser, demo_site):
    editor = make_user("erik", roles.EDITOR)
    release = Release.objects.published().first()
    draft = Release.objects.create(
        title_en="Embargoed visit",
        slug_en="embargoed-visit",
        title_da="Besøg under embargo",
        slug_da="besoeg-under-embargo",
        lead_en="A visit nobody may know of yet.",
        lead_da="Et besøg, ingen må kende til endnu.",
        status=Status.DRAFT,
    )
    add_image(editor, draft, make_photo(1200, 600))
    link = draft.preview_links.create(note="Reporter")
    page = browser.new_context().new_page()
    messages = watch_console(page)
    with translation.override("en"):
        page.goto(demo_site.url + link.get_absolute_url())
    assert page.locator("h1").inner_text() == "Embargoed visit"
    image = page.locator(".release-image img")
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    assert axe_violations(page) == []
    page.locator(".language-switch a", has_text="Dansk").click()
    assert page.locator("h1").inner_text() == "Besøg under embargo"
    assert page.locator(".release-image img").evaluate("img => img.naturalWidth") > 0
    assert release.title_en not in page.content()
    assert messages == []
