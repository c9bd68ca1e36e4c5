"""The editorial desk in the admin, per role: queue, review, send back, history, refusals."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation

from pressroom import roles
from releases.models import Release, ReleaseEvent, Status
from tests.conftest import form_data, make_release, make_user, sign_in
from tests.test_desk import edit, written_by


@pytest.fixture(autouse=True)
def english():
    # A request in Danish earlier in the session leaves Danish active in this thread.
    with translation.override("en"):
        yield


def text_of(html):
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(page, heading_id):
    """The HTML of the desk section whose heading has ``heading_id``."""
    start = page.index(">", page.index(f'id="{heading_id}"')) + 1
    return page[start : page.index("</section>", start)]


@pytest.fixture
def desk(press_officer, editor, second_editor):
    """A morning at the desk: one release waiting, one scheduled, one sent back, one live."""
    waiting = written_by(press_officer, "Arctic patrol vessels")
    waiting.submit(by=press_officer)
    Release.objects.filter(pk=waiting.pk).update(
        submitted_at=datetime.datetime(2026, 1, 15, 8, 30, tzinfo=datetime.UTC)
    )
    newer = written_by(editor, "Minister visits Greenland")
    newer.submit(by=editor)
    Release.objects.filter(pk=newer.pk).update(
        submitted_at=datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC)
    )
    scheduled = written_by(press_officer, "Frigate joins task group")
    scheduled.submit(by=press_officer)
    scheduled.publish(by=editor, at=datetime.datetime(2030, 7, 1, 10, 0, tzinfo=datetime.UTC))
    sent_back = written_by(press_officer, "Support for reconstruction")
    sent_back.submit(by=press_officer)
    sent_back.send_back(by=editor, comment="Add the amount.")
    draft = written_by(press_officer, "Half-written draft")
    live = make_release("Embassy reopens")
    return {
        "waiting": waiting,
        "newer": newer,
        "scheduled": scheduled,
        "sent_back": sent_back,
        "draft": draft,
        "live": live,
    }


def test_the_front_page_shows_an_editor_what_waits_newest_first(client, second_editor, desk):
    sign_in(client, second_editor)
    page = client.get(reverse("admin:index")).content.decode()
    waiting = text_of(section(page, "desk-waiting"))
    assert waiting.startswith("Waiting for review (2)")
    assert waiting.index("Minister visits Greenland") < waiting.index("Arctic patrol vessels")
    assert "Revision 1, sent for review by olga at 15.1.2026 09:30:00 CET" in waiting
    assert "Revision 1, sent for review by erika at 1.7.2026 11:00:00 CEST" in waiting
    scheduled = text_of(section(page, "desk-scheduled"))
    assert "Frigate joins task group Goes live at 1.7.2030 12:00:00 CEST" in scheduled
    assert "Embassy reopens" in text_of(section(page, "desk-recent"))


def test_the_front_page_tells_an_author_that_another_editor_approves(client, editor, desk):
    sign_in(client, editor)
    waiting = text_of(section(client.get(reverse("admin:index")).content.decode(), "desk-waiting"))
    assert (
        "Minister visits Greenland Revision 1, sent for review by erika at 1.7.2026 11:00:00 "
        "CEST You wrote or changed it: another editor approves it."
    ) in waiting


def test_the_front_page_shows_a_press_officer_their_drafts_and_what_was_sent_back(
    client, press_officer, desk
):
    sign_in(client, press_officer)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="desk-waiting"' not in page
    sent_back = text_of(section(page, "desk-sent-back"))
    assert sent_back.startswith("Sent back to me (1) Support for reconstruction Sent back at ")
    drafts = text_of(section(page, "desk-drafts"))
    assert drafts.startswith("My drafts (1) Half-written draft")
    mine = text_of(section(page, "desk-mine-waiting"))
    assert "Arctic patrol vessels" in mine and "Frigate" not in mine


def test_the_release_list_shows_the_desk_columns_and_filters_waiting_for_my_review(
    client, editor, second_editor, desk
):
    sign_in(client, editor)
    url = reverse("admin:releases_release_changelist")
    page = client.get(url).content.decode()
    for column in ("Author", "Submitted by", "Last changed"):
        assert f">{column}</a>" in page
    mine = client.get(url, {"review": "mine"}).content.decode()
    # The editor wrote "Minister visits Greenland", so only the officer's release is theirs.
    assert "Arctic patrol vessels" in mine
    assert "Minister visits Greenland" not in mine
    assert "Frigate joins task group" not in mine
    sign_in(client, second_editor)
    theirs = client.get(url, {"review": "mine"}).content.decode()
    assert "Arctic patrol vessels" in theirs and "Minister visits Greenland" in theirs


def test_the_review_page_shows_what_changed_in_visible_text_per_field_and_language(
    client, editor, second_editor
):
    release = make_release("Embassy reopens", title_da="Ambassaden åbner")
    release.keep_baseline(editor)
    edit(
        release,
        editor,
        title_en="Embassy in Kyiv reopens",
        body_en="<p>Body of <strong>the</strong> release</p><ul><li>A new point</li></ul>",
    )
    sign_in(client, second_editor)
    page = client.get(reverse("admin:releases_release_review", args=[release.pk])).content.decode()
    assert (
        '<tr><th scope="row">Title (English)</th><td class="diff-text">'
        "Embassy <ins>in Kyiv </ins>reopens</td></tr>"
    ) in page
    assert (
        '<td class="diff-text">Body of <del>Embassy reopens</del><ins>**the** release\n'
        "• A new point</ins></td>"
    ) in page
    assert "Title (Danish)" not in page  # unchanged fields are not listed
    assert "&lt;strong&gt;" not in page and "<strong>the</strong>" not in page
    assert "Compared with revision 1, the last one a second editor approved." in page


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [
        # Only a link's address: the reviewer must see where readers would be sent.
        (
            '<p>Read the <a href="https://example.org/aid">report</a>.</p>',
            '<p>Read the <a href="https://evil.example.com/phish">report</a>.</p>',
            "Read the report [→ <del>https://example.org/aid].</del>"
            "<ins>https://evil.example.com/phish].</ins>",
        ),
        # Only formatting.
        (
            "<p>Denmark sends aid.</p>",
            "<p>Denmark sends <strong>aid</strong>.</p>",
            "Denmark sends <del>aid.</del><ins>**aid**.</ins>",
        ),
        # A paragraph made a heading.
        (
            "<p>Aid</p><p>Text</p>",
            "<h2>Aid</h2><p>Text</p>",
            "<ins>## </ins>Aid\nText",
        ),
    ],
)
def test_a_change_of_a_link_address_or_of_formatting_alone_is_shown_for_review(
    client, editor, second_editor, before, after, shown
):
    release = make_release("Aid", body_en=before)
    release.keep_baseline(editor)
    edit(release, editor, body_en=after)
    sign_in(client, second_editor)
    page = client.get(reverse("admin:releases_release_review", args=[release.pk])).content.decode()
    assert "The text is the same as the approved revision." not in page
    assert f'<td class="diff-text">{shown}</td>' in page


def test_the_reviewed_text_of_a_body_shows_every_tag_a_body_may_hold():
    from releases.revisions import visible_text

    body = (
        "<h2>Aid</h2><p>Read <strong>the</strong> <em>new</em> "
        '<a href="https://um.dk/aid" title="Report">report</a>: H<sub>2</sub>O, m<sup>2</sup>'
        "<br>next line</p><ul><li><p>first</p></li><li><p>second</p></li></ul>"
        '<ol start="3"><li><p>third</p></li></ol><blockquote><p>Quoted &amp; kept</p>'
        "</blockquote><hr><p>End</p>"
    )
    assert visible_text(body) == (
        "## Aid\n"
        "Read **the** *new* report [→ https://um.dk/aid “Report”]: H_(2)O, m^(2)\n"
        "next line\n• first\n• second\n3. third\n> Quoted & kept\n———\nEnd"
    )
    # As the public page shows it, through the sanitiser: a link it drops is no link, a bare
    # host gets its scheme, a first-level heading is a second-level one.
    stored = (
        '<p>Go <a href="javascript:alert(1)">here</a> or <a href="um.dk">there</a></p><h1>Big</h1>'
    )
    assert visible_text(stored) == "Go here or there [→ https://um.dk]\n## Big"


def test_words_added_after_the_last_word_leave_it_unmarked():
    from releases.revisions import inline_diff

    assert inline_diff("Aid arrives.", "Aid arrives. More soon") == (
        "Aid arrives. <ins>More soon</ins>"
    )
    # A new line after a word is a change.
    assert "<ins>" in inline_diff("a b c", "a b\nc")


def test_sending_back_from_the_review_page_records_the_comment_for_every_role(
    client, press_officer, second_editor, django_capture_on_commit_callbacks
):
    release = written_by(press_officer)
    release.submit(by=press_officer)
    sign_in(client, second_editor)
    url = reverse("admin:releases_release_review", args=[release.pk])
    empty = client.post(url, {"action": "send-back", "revision": "1", "send-back-comment": ""})
    assert "Write what should change; the author reads it." in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            url,
            {"action": "send-back", "revision": "1", "send-back-comment": "Name the vessels."},
        )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == Status.DRAFT

    sign_in(client, press_officer)
    change = client.get(reverse("admin:releases_release_change", args=[release.pk]))
    assert "Name the vessels.</blockquote>" in change.content.decode()
    history = client.get(reverse("admin:releases_release_history", args=[release.pk]))
    row = text_of(history.content.decode())
    assert "edvard Sent back – revision 1 Name the vessels." in row


def test_restoring_from_the_history_makes_a_revision_waiting_for_review(
    client, editor, second_editor
):
    release = make_release("First title")
    release.keep_baseline(editor)
    edit(release, editor, title_en="Second title")
    release.publish(by=second_editor)
    sign_in(client, editor)
    history = client.get(reverse("admin:releases_release_history", args=[release.pk]))
    restore = reverse("admin:releases_release_restore", args=[release.pk, 1])
    assert f'action="{restore}"' in history.content.decode()
    response = client.post(restore, follow=True)
    assert "Revision 1 restored as revision 3. It waits for another editor" in (
        response.content.decode()
    )
    release.refresh_from_db()
    assert release.title_en == "Second title"
    assert release.pending_revision.content["fields"]["title_en"] == "First title"


def test_comparing_two_revisions_shows_the_difference(client, editor):
    release = make_release("First title")
    release.keep_baseline(editor)
    edit(release, editor, title_en="Second title")
    sign_in(client, editor)
    url = reverse("admin:releases_release_revision", args=[release.pk, 2])
    page = client.get(url, {"compare": "1"}).content.decode()
    assert "From revision 1 to revision 2" in page
    assert "<del>First </del><ins>Second </ins>title" in page


def test_the_author_posting_approval_directly_is_refused_in_danish_in_the_admin_layout(
    client, editor
):
    release = written_by(editor)
    release.submit(by=editor)
    sign_in(client, editor)
    response = client.post(
        reverse("admin:releases_release_review", args=[release.pk]),
        {"action": "approve", "revision": "1", "approve-when": "now", "approve-notify": "on"},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert '<p class="errornote" role="alert">Du har skrevet eller ændret teksten' in page
    assert "Administration af presserummet" in page
    assert Release.objects.get(pk=release.pk).status == Status.SUBMITTED


def test_approval_posted_without_the_revision_reviewed_is_refused(client, press_officer, editor):
    release = written_by(press_officer)
    release.submit(by=press_officer)
    sign_in(client, editor)
    response = client.post(
        reverse("admin:releases_release_publish", args=[release.pk]),
        {"approve-when": "now", "approve-notify": "on"},
    )
    assert response.status_code == 400
    assert "Say which revision you approve" in response.content.decode()
    assert Release.objects.get(pk=release.pk).status == Status.SUBMITTED


def test_a_status_posted_with_the_change_form_changes_nothing(client, press_officer):
    release = written_by(press_officer)
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_change", args=[release.pk])
    data = form_data(client.get(url))
    data.update(status="published", published_at="2020-01-01 10:00", approved_revision="1")
    assert client.post(url, data).status_code == 302
    release.refresh_from_db()
    assert (release.status, release.published_at, release.approved_revision) == (
        Status.DRAFT,
        None,
        None,
    )


def test_the_submit_button_saves_what_was_typed_with_the_step(client, press_officer):
    release = written_by(press_officer)
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_change", args=[release.pk])
    page = client.get(url).content.decode()
    assert 'form="release_form" name="_step" value="submit"' in page
    data = form_data(client.get(url))

    # A refused form submits nothing and keeps what was typed.
    refused = {**data, "title_en": "", "title_da": "", "lead_en": "A fix typed last"}
    response = client.post(url, {**refused, "_step": "submit"})
    assert response.status_code == 200
    assert "A fix typed last" in response.content.decode()
    release.refresh_from_db()
    assert release.status == Status.DRAFT

    response = client.post(url, {**data, "lead_en": "A fix typed last", "_step": "submit"})
    assert response.status_code == 302
    release.refresh_from_db()
    assert (release.status, release.lead_en) == (Status.SUBMITTED, "A fix typed last")
    assert release.pending_revision.content["fields"]["lead_en"] == "A fix typed last"
    shown = [str(m) for m in response.wsgi_request._messages]
    assert "Submitted for review. Another editor must approve it." in shown


def test_a_title_alone_cannot_be_submitted_or_approved(client, press_officer, editor):
    release = written_by(press_officer)
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_change", args=[release.pk])
    data = form_data(client.get(url))
    headline = {**data, "lead_en": "", "body_en": "", "title_da": "Kun en overskrift"}
    response = client.post(url, {**headline, "_step": "submit"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert "Your changes are saved." in shown
    assert "Write a lead or a body before it goes out: a title alone says too little." in shown
    release.refresh_from_db()
    assert (release.status, release.title_da, release.lead_en) == (
        Status.DRAFT,
        "Kun en overskrift",
        "",
    )

    # An empty paragraph from the editor is no body either; a lead in either language is
    # enough (a language without text of its own shows the other's, marked as such).
    Release.objects.filter(pk=release.pk).update(body_en="<p></p>")
    release.refresh_from_db()
    assert release.refusal("submit", press_officer) is not None
    Release.objects.filter(pk=release.pk).update(lead_da="Indledningen siger det.")
    release.refresh_from_db()
    release.submit(by=press_officer)
    # Emptied by a bare update after it was sent: the reviewer cannot approve it either.
    Release.objects.filter(pk=release.pk).update(lead_da="")
    release.refresh_from_db()
    assert "a title alone says too little" in release.refusal("approve", editor)


def test_a_headline_waiting_for_review_stays_in_the_reviewers_queue_saying_why(
    client, press_officer, second_editor
):
    release = written_by(press_officer, "Arctic patrol vessels")
    release.submit(by=press_officer)
    # Emptied by a bare update after it was sent (or sent before the rule).
    Release.objects.filter(pk=release.pk).update(lead_en="", body_en="")
    sign_in(client, second_editor)
    page = client.get(reverse("admin:index")).content.decode()
    waiting = text_of(section(page, "desk-waiting"))
    assert waiting.startswith("Waiting for review (1)") and "Arctic patrol vessels" in waiting
    assert "another editor approves it" not in waiting
    review = client.get(reverse("admin:releases_release_review", args=[release.pk]))
    assert "a title alone says too little" in review.content.decode()


def test_a_change_to_a_public_release_that_leaves_a_title_alone_is_not_approved(
    press_officer, editor
):
    release = make_release("Embassy reopens", created_by=press_officer)
    edit(release, press_officer, lead_en="", body_en="")
    release.refresh_from_db()
    # Readers still see the approved text; the change waiting for review is a headline.
    assert release.lead_en and release.pending_revision is not None
    assert "a title alone says too little" in release.refusal("approve", editor)


def test_no_bulk_action_deletes_or_publishes(client, editor, press_officer):
    release = written_by(press_officer)
    sign_in(client, editor)
    url = reverse("admin:releases_release_changelist")
    page = client.get(url).content.decode()
    assert 'value="delete_selected"' not in page
    client.post(url, {"action": "delete_selected", "_selected_action": [release.pk]})
    assert Release.objects.filter(pk=release.pk).exists()


def test_a_press_officer_deletes_their_own_draft_and_is_told_why_not_for_others(
    client, press_officer, editor
):
    own = written_by(press_officer, "Own draft")
    others = written_by(editor, "Someone else's draft")
    sign_in(client, press_officer)
    refused = client.get(
        reverse("admin:releases_release_delete", args=[others.pk]), HTTP_ACCEPT_LANGUAGE="da"
    )
    assert refused.status_code == 403
    assert "Pressemedarbejdere må kun slette deres egne kladder." in refused.content.decode()
    response = client.post(reverse("admin:releases_release_delete", args=[own.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert list(Release.objects.values_list("title_en", flat=True)) == ["Someone else's draft"]


def test_a_press_officer_whose_release_was_published_while_editing_keeps_their_text(
    client, press_officer, second_editor
):
    release = written_by(press_officer)
    release.submit(by=press_officer)
    sign_in(client, press_officer)
    url = reverse("admin:releases_release_change", args=[release.pk])
    data = form_data(client.get(url))
    release.publish(by=second_editor)  # meanwhile
    data["lead_en"] = "The officer's better lead."
    refused = client.post(url, data)
    page = refused.content.decode()
    # The form came back with the officer's text, saying why (core/locking.py) ...
    assert refused.status_code == 200
    assert "after you opened it, so nothing was saved" in page
    assert "The officer&#x27;s better lead.</textarea>" in page
    # ... and saving it again makes it a revision waiting for review; readers see none of it.
    response = client.post(url, form_data(refused), follow=True)
    assert "Your change is kept as revision 2 and waits for another editor" in (
        response.content.decode()
    )
    release.refresh_from_db()
    assert release.lead_en == "Lead of Patrol vessels for the Arctic"
    assert release.pending_revision.content["fields"]["lead_en"] == "The officer's better lead."
    change = client.get(url).content.decode()
    assert "The officer&#x27;s better lead.</textarea>" in change


def test_unpublish_asks_for_confirmation_and_a_reason(client, editor):
    release = make_release("Public")
    sign_in(client, editor)
    # Beside the two buttons, what each one does.
    change = client.get(reverse("admin:releases_release_change", args=[release.pk]))
    assert "Withdraw: the page stays, marked as withdrawn, with your reason." in text_of(
        change.content.decode()
    )
    assert "Unpublish: the page is taken down" in change.content.decode()
    url = reverse("admin:releases_release_unpublish", args=[release.pk])
    page = client.get(url).content.decode()
    assert "answers that the release has been removed" in page
    assert Release.objects.get(pk=release.pk).status == Status.PUBLISHED
    empty = client.post(url, {"reason": ""})
    assert "This field is required." in empty.content.decode()
    assert Release.objects.get(pk=release.pk).status == Status.PUBLISHED
    assert client.post(url, {"reason": "Published by mistake."}).status_code == 302
    release.refresh_from_db()
    assert release.status == Status.UNPUBLISHED
    assert release.events.get().note == "Published by mistake."
    # Its page says what happened, not that it is still to go live.
    change = client.get(reverse("admin:releases_release_change", args=[release.pk]))
    status = text_of(change.content.decode())
    assert "Status: Unpublished – was published " in status
    assert "goes live" not in status


def test_publishing_alone_through_the_review_page_needs_the_permission(
    client, editor, second_editor
):
    release = written_by(editor)
    release.submit(by=editor)
    sign_in(client, editor)
    url = reverse("admin:releases_release_review", args=[release.pk])
    post = {"action": "publish-alone", "revision": "1", "publish-alone-reason": "Crisis."}
    assert "Publish alone in an emergency" not in client.get(url).content.decode()
    refused = client.post(url, post)
    assert refused.status_code == 403
    assert "publish alone in an emergency”, which you do not hold" in refused.content.decode()
    assert Release.objects.get(pk=release.pk).status == Status.SUBMITTED

    editor.user_permissions.add(Permission.objects.get(codename="publish_alone_release"))
    editor = type(editor).objects.get(pk=editor.pk)
    sign_in(client, editor)
    assert client.post(url, post).status_code == 302
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert release.events.last().action == ReleaseEvent.Action.PUBLISHED_ALONE
    sign_in(client, second_editor)
    front = client.get(reverse("admin:index")).content.decode()
    assert "Published alone by erika at" in text_of(section(front, "desk-unreviewed"))
    change = client.get(reverse("admin:releases_release_change", args=[release.pk]))
    assert "Published without review." in change.content.decode()


def test_every_role_that_opens_a_release_sees_its_history(client, press_officer, editor):
    release = make_release("Public")
    release.keep_baseline(editor)
    edit(release, editor, lead_en="A better lead.")
    sign_in(client, press_officer)
    page = client.get(reverse("admin:releases_release_history", args=[release.pk]))
    assert page.status_code == 200
    assert "Revision 2 saved" in page.content.decode()
    assert "Change submitted for review" in page.content.decode()


def test_a_scheduled_release_can_be_rescheduled_by_an_editor(client, press_officer, editor):
    release = written_by(press_officer)
    release.submit(by=press_officer)
    release.publish(by=editor, at=timezone.now() + datetime.timedelta(days=1))
    other = make_user("edith", roles.EDITOR)
    sign_in(client, other)
    url = reverse("admin:releases_release_reschedule", args=[release.pk])
    response = client.post(
        url, {"when": "at", "at_0": "2031-01-02", "at_1": "09:00:00", "notify": "on"}
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.published_at == datetime.datetime(2031, 1, 2, 8, 0, tzinfo=datetime.UTC)


def test_a_refused_send_back_keeps_the_comment_typed(client, press_officer, editor):
    release = written_by(press_officer)
    release.submit(by=press_officer)
    edit(release, press_officer, lead_en="A lead changed while the editor read.")
    sign_in(client, editor)
    response = client.post(
        reverse("admin:releases_release_review", args=[release.pk]),
        {"action": "send-back", "revision": "1", "send-back-comment": "Name the vessels."},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "The text changed while you were reviewing it: revision 2 now waits." in page
    assert ">\nName the vessels.</textarea>" in page
    assert Release.objects.get(pk=release.pk).status == Status.SUBMITTED


def test_a_second_change_to_a_waiting_public_release_builds_on_the_first(client, editor):
    release = make_release("Public", title_da="Offentlig")
    sign_in(client, editor)
    url = reverse("admin:releases_release_change", args=[release.pk])
    data = form_data(client.get(url))
    data["title_en"] = "Public, retitled"
    assert client.post(url, data).status_code == 302
    # The form now opens on the waiting revision, and saving it is no stale save.
    data = form_data(client.get(url))
    assert data["title_en"] == "Public, retitled"
    data["lead_en"] = "A lead written on top."
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    release.refresh_from_db()
    assert (release.title_en, release.lead_en) == ("Public", "Lead of Public")
    waiting = release.pending_revision.content["fields"]
    assert (waiting["title_en"], waiting["lead_en"]) == (
        "Public, retitled",
        "A lead written on top.",
    )
    assert release.pending_revision.number == 3
