"""The editorial desk in Chromium, in English and Danish: write, send back, fix, approve, change.

At every step a reader is asked what they see: only text a second editor approved.
"""

import datetime

import pytest
from django.utils import timezone, translation

from releases.models import Release, Status
from tests.browser.conftest import axe_violations
from tests.browser.test_release_journey import log_in, type_in_editor

pytestmark = pytest.mark.browser

# What the people type and click, in the language their browser asks for.
WORDS = {
    "en": {
        "locale": "en-GB",
        "list": "/en/releases/",
        "submit": "Save and submit for review",
        "submitted": "Submitted for review. Another editor must approve it.",
        "send_back": "Send back",
        "sent_back": "Sent back with your comment",
        "approve": "Approve",
        "approved_scheduled": "Approved. It goes live at",
        "approved_public": "Approved and public.",
        "kept": "waits for another editor",
        "waiting": "Waiting for review",
        "returned": "Sent back to me",
    },
    "da": {
        "locale": "da-DK",
        "list": "/da/nyheder/",
        "submit": "Gem og send til godkendelse",
        "submitted": "Sendt til godkendelse. En anden redaktør skal godkende den.",
        "send_back": "Send tilbage",
        "sent_back": "Sendt tilbage med din kommentar",
        "approve": "Godkend",
        "approved_scheduled": "Godkendt. Den bliver offentlig",
        "approved_public": "Godkendt og offentlig.",
        "kept": "venter på, at en anden redaktør godkender den",
        "waiting": "Venter på godkendelse",
        "returned": "Sendt tilbage til mig",
    },
}

# (English title, title the reader sees, the title changed after scheduling); the tests of
# both languages share one database, so each writes its own release.
TITLES = {
    "en": (
        "Frigate joins the task group",
        "Frigate joins the task group",
        "Frigate joins NATO task group in the Baltic",
    ),
    "da": (
        "Frigate sails with the task group",
        "Fregat slutter sig til flådestyrken",
        "Fregat slutter sig til NATO-styrke i Østersøen",
    ),
}


def person(browser, base, username, language):
    page = browser.new_context(locale=WORDS[language]["locale"]).new_page()
    log_in(page, base, username)
    return page


def reader_sees(browser, base, language, release):
    """The titles a reader finds on the list, and what the release's address answers."""
    reader = browser.new_context(locale=WORDS[language]["locale"]).new_page()
    reader.goto(base + WORDS[language]["list"])
    titles = reader.locator(".release-item h3 a").all_inner_texts()
    with translation.override(language):
        response = reader.goto(base + release.get_absolute_url())
    heading = reader.locator("h1").inner_text() if response.status == 200 else None
    reader.context.close()
    return titles, response.status, heading


def desk_section(page, heading_id):
    return " ".join(page.locator(f"section:has(#{heading_id})").inner_text().split())


@pytest.mark.parametrize("language", ["en", "da"])
def test_a_release_reaches_readers_only_as_a_second_editor_approved_it(
    browser, demo_site, language
):
    base, words = demo_site.url, WORDS[language]
    english_title, title, changed_title = TITLES[language]
    title_field = f"#id_title_{language}"

    # The press officer writes and submits.
    officer = person(browser, base, "officer", language)
    officer.goto(f"{base}/admin/releases/release/add/")
    officer.fill("#id_title_en", english_title)
    officer.fill("#id_lead_en", "The frigate sails on Monday.")
    type_in_editor(officer, "body_en", "The frigate joins the group for six months.")
    if language == "da":
        officer.fill("#id_title_da", title)
        officer.fill("#id_lead_da", "Fregatten sejler mandag.")
    officer.click("input[name=_continue]")
    officer.wait_for_selector(".messagelist")
    officer.get_by_role("button", name=words["submit"]).click()
    officer.wait_for_selector(f"text={words['submitted']}")
    release = Release.objects.get(title_en=english_title)
    assert reader_sees(browser, base, language, release)[1:] == (404, None)

    # The second editor finds it waiting and sends it back with a comment.
    editor2 = person(browser, base, "editor2", language)
    assert title in desk_section(editor2, "desk-waiting")
    assert axe_violations(editor2) == []
    editor2.locator("#desk-waiting ~ ul a", has_text=title).click()
    editor2.wait_for_url(f"**/release/{release.pk}/review/")
    assert editor2.locator("h1").count() == 1
    assert axe_violations(editor2) == []
    editor2.fill("#id_send-back-comment", "Say when the frigate sails.")
    editor2.get_by_role("button", name=words["send_back"], exact=True).click()
    editor2.wait_for_selector(f"text={words['sent_back']}")
    assert Release.objects.get(pk=release.pk).status == Status.DRAFT

    # The officer finds it sent back, reads the comment, fixes the text and resubmits.
    officer.goto(f"{base}/admin/")
    assert title in desk_section(officer, "desk-sent-back")
    assert axe_violations(officer) == []
    officer.locator("#desk-sent-back ~ ul a", has_text=title).click()
    officer.wait_for_url(f"**/release/{release.pk}/change/")
    assert "Say when the frigate sails." in officer.locator(".desk-comment").inner_text()
    officer.fill("#id_lead_en", "The frigate sails on Monday 2 March.")
    officer.click("input[name=_continue]")
    officer.wait_for_selector(".messagelist")
    officer.get_by_role("button", name=words["submit"]).click()
    officer.wait_for_selector(f"text={words['submitted']}")
    assert reader_sees(browser, base, language, release)[1] == 404

    # The second editor sees the fix, approves and schedules.
    editor2.goto(f"{base}/admin/releases/release/{release.pk}/review/")
    since_sent_back = editor2.locator("table.diff-table").first
    assert "Monday 2 March." in since_sent_back.inner_text()
    assert since_sent_back.locator("ins", has_text="2 March.").count() == 1
    assert since_sent_back.locator("tbody tr").count() == 1  # the lead, nothing else
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    editor2.check("input[name=approve-when][value=at]")
    editor2.fill("#id_approve-at_0", tomorrow.strftime("%Y-%m-%d"))
    editor2.fill("#id_approve-at_1", "09:00:00")
    editor2.get_by_role("button", name=words["approve"], exact=True).click()
    editor2.wait_for_selector(f"text={words['approved_scheduled']}")
    release.refresh_from_db()
    assert release.status == Status.SCHEDULED
    assert reader_sees(browser, base, language, release)[1] == 404

    # The first editor changes the scheduled title: it goes back to review.
    editor = person(browser, base, "editor", language)
    editor.goto(f"{base}/admin/releases/release/{release.pk}/change/")
    editor.fill(title_field, changed_title)
    editor.click("input[name=_continue]")
    editor.wait_for_selector(f".messagelist >> text={words['kept']}")
    release.refresh_from_db()
    assert release.pending_revision is not None

    # The scheduled second passes: readers get the approved title, not the change.
    Release.objects.filter(pk=release.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    titles, status, heading = reader_sees(browser, base, language, release)
    assert (status, heading) == (200, title)
    assert title in titles and changed_title not in titles

    # The second editor approves the change; now readers get it.
    editor2.goto(f"{base}/admin/")
    assert title in desk_section(editor2, "desk-waiting")
    editor2.locator("#desk-waiting ~ ul a", has_text=title).click()
    editor2.wait_for_url(f"**/release/{release.pk}/review/")
    assert editor2.locator("table.diff-table del").first.inner_text().strip() in title
    editor2.get_by_role("button", name=words["approve"], exact=True).click()
    editor2.wait_for_selector(f"text={words['approved_public']}")
    titles, status, heading = reader_sees(browser, base, language, release)
    assert (status, heading) == (200, changed_title)
    assert changed_title in titles and title not in titles
    editor2.goto(f"{base}/admin/")
    assert desk_section(editor2, "desk-waiting").startswith(f"{words['waiting']} (0)")
