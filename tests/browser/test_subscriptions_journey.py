"""A subscriber's whole journey in Chromium, in both languages, with real mail."""

import re
import urllib.request

import pytest
from django.contrib.auth import get_user_model

from releases.models import Status
from subscriptions.models import Subscriber
from tests.browser.conftest import axe_violations
from tests.conftest import link_in, make_release, run_worker, text_part, wait_for

pytestmark = pytest.mark.browser

WORDS = {
    "en": {
        "subscribe": "Subscribe",
        "check": "Check your inbox",
        "confirm": "Confirm my subscription",
        "confirmed": "Your subscription is confirmed",
        "confirm_subject": "Confirm your subscription",
        "manage": "Your subscription",
        "title": "Denmark sends a frigate",
    },
    "da": {
        "subscribe": "Abonnér",
        "check": "Tjek din indbakke",
        "confirm": "Bekræft mit abonnement",
        "confirmed": "Dit abonnement er bekræftet",
        "confirm_subject": "Bekræft dit abonnement",
        "manage": "Dit abonnement",
        "title": "Danmark sender en fregat",
    },
}


def publish(title, title_da):
    users = get_user_model().objects
    release = make_release(title, title_da=title_da, status=Status.DRAFT)
    release.submit(by=users.get(username="officer"))
    release.publish(by=users.get(username="editor"))
    run_worker()
    return release


def check_page(page, heading, axe=True):
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text() == heading
    # axe-core is a script: it cannot run where JavaScript is off.
    if axe:
        assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("language", "javascript"),
    [("en", True), ("da", True), ("da", False)],
    ids=["en", "da", "da-without-javascript"],
)
def test_sign_up_confirm_receive_and_leave_with_one_click(
    browser, demo_site, smtp, language, javascript
):
    words = WORDS[language]
    address = f"journey-{language}-{'js' if javascript else 'plain'}@example.org"
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()

    # Sign up in the box on the home page.
    page.goto(f"{demo_site.url}/{language}/")
    box = page.locator("section.subscribe")
    if javascript:
        assert axe_violations(page) == []
    box.locator("input[type=email]").fill(address)
    box.get_by_role("button", name=words["subscribe"]).click()
    page.wait_for_url(re.compile(r".*/(check-your-inbox|tjek-din-indbakke)/$"))
    check_page(page, words["check"], javascript)
    run_worker()  # the sign-up is queued, for every address alike

    # The confirmation email arrives; opening its link changes nothing until the button.
    assert wait_for(lambda: smtp.to(address))
    [confirmation] = smtp.to(address)
    assert confirmation["Subject"].strip().startswith(words["confirm_subject"])
    page.goto(link_in(text_part(confirmation), "confirm"))
    check_page(
        page, words["confirm"].replace(" mit ", " dit ").replace(" my ", " your "), javascript
    )
    assert Subscriber.objects.get(email=address).status == "pending"
    page.get_by_role("button", name=words["confirm"]).click()
    check_page(page, words["confirmed"], javascript)
    assert Subscriber.objects.get(email=address).status == "confirmed"

    # An editor publishes; the release arrives in the subscriber's language.
    publish(WORDS["en"]["title"], WORDS["da"]["title"])
    assert wait_for(lambda: len(smtp.to(address)) == 2)
    release_mail = smtp.to(address)[1]
    assert release_mail["Subject"].strip() == words["title"]
    assert release_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert release_mail["Message-ID"]
    assert release_mail.get_content_type() == "multipart/alternative"

    # The preferences page from the email works too.
    page.goto(link_in(text_part(release_mail), "manage"))
    check_page(page, words["manage"], javascript)

    # One click in the mail program: a POST without session or CSRF token.
    unsubscribe_url = release_mail["List-Unsubscribe"].strip()[1:-1]
    request = urllib.request.Request(
        unsubscribe_url, data=b"List-Unsubscribe=One-Click", method="POST"
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    assert Subscriber.objects.get(email=address).status == "unsubscribed"

    publish("Another release", "En anden nyhed")
    assert len(smtp.to(address)) == 2
    context.close()


def test_the_subscribe_page_errors_are_announced_and_pass_axe(page, demo_site):
    page.goto(f"{demo_site.url}/en/subscriptions/")
    check_page(page, "Subscribe to releases from the Ministry of Foreign Affairs of Denmark")
    page.get_by_label("Only what I choose below").check()
    page.get_by_label("Email address").fill("someone@example.org")
    page.locator("main").get_by_role("button", name="Subscribe").click()
    error = page.locator("#id_follow-error")
    assert error.inner_text() == "Choose at least one type, topic or mission, or all releases."
    assert page.locator("#id_follow_0").get_attribute("aria-describedby") == "id_follow-error"
    assert axe_violations(page) == []
