"""Staff emails of the desk, sent by the real worker through a real local SMTP server."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from releases.models import Status
from tests.conftest import make_release, run_worker
from tests.test_desk import edit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("cache_table")]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff(press_officer, editor, second_editor):
    for user in (press_officer, editor, second_editor):
        user.email = f"{user.username}@ministry.example"
        user.first_name = user.username.capitalize()
        user.save()
    return press_officer, editor, second_editor


def subject(message):
    """The subject as read (a long encoded one is folded onto the next header line)."""
    return str(message["Subject"]).strip()


def arctic(author):
    release = make_release(
        "Patrol vessels for the Arctic",
        title_da="Patruljeskibe til Arktis",
        status=Status.DRAFT,
        created_by=author,
    )
    release.keep_baseline(author)
    return release


def test_submitting_emails_the_editors_with_a_link_to_the_review_page(smtp, staff):
    officer, editor, second_editor = staff
    release = arctic(officer)
    release.submit(by=officer)
    run_worker()
    assert sorted(r for m in smtp.messages for r in m.recipients) == [
        "edvard@ministry.example",
        "erika@ministry.example",
    ]
    message = smtp.to("erika@ministry.example")[0]
    assert subject(message) == (
        "Waiting for your review: Patrol vessels for the Arctic / "
        "Venter på din godkendelse: Patruljeskibe til Arktis"
    )
    review_url = f"http://testserver/admin/releases/release/{release.pk}/review/"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert (
        f"Olga asks for a review of “Patrol vessels for the Arctic”, revision 1.\n\n"
        f"See what changed, and approve or send it back:\n{review_url}\n"
    ) in text
    assert (
        "Olga beder om godkendelse af “Patruljeskibe til Arktis”, version 1.\n\n"
        f"Se hvad der er ændret, og godkend eller send tilbage:\n{review_url}\n"
    ) in text
    html = message.get_body(("html",)).get_content()
    assert f'<a href="{review_url}"' in html
    assert '<div lang="da"' in html


def test_a_change_to_a_public_release_emails_only_editors_who_may_approve_it(smtp, staff):
    officer, editor, second_editor = staff
    release = make_release("Live release", created_by=officer)
    edit(release, editor, lead_en="A changed lead.")
    run_worker()
    assert [r for m in smtp.messages for r in m.recipients] == ["edvard@ministry.example"]
    text = smtp.messages[0].get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "It is a change to a public or scheduled release." in text


def test_sending_back_emails_the_author_the_comment(smtp, staff):
    officer, editor, second_editor = staff
    release = arctic(officer)
    release.submit(by=officer)
    release.send_back(by=editor, comment="Name the two vessels.\nAnd the harbour.")
    run_worker()
    # The review request was settled before the worker ran: only the author hears.
    assert [r for m in smtp.messages for r in m.recipients] == ["olga@ministry.example"]
    message = smtp.messages[0]
    assert subject(message) == (
        "Sent back to you: Patrol vessels for the Arctic / "
        "Sendt tilbage til dig: Patruljeskibe til Arktis"
    )
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert (
        "Erika sent “Patrol vessels for the Arctic” (revision 1) back to you with this "
        "comment:\n\nName the two vessels.\nAnd the harbour.\n"
    ) in text
    assert f"http://testserver/admin/releases/release/{release.pk}/change/" in text


def test_publishing_alone_tells_every_other_editor_at_once(smtp, staff):
    officer, editor, second_editor = staff
    editor.user_permissions.add(Permission.objects.get(codename="publish_alone_release"))
    editor = type(editor).objects.get(pk=editor.pk)
    release = arctic(editor)
    release.submit(by=editor)
    release.publish_alone(by=editor, reason="The evacuation starts now.")
    run_worker()
    alone = [m for m in smtp.messages if subject(m).startswith("Published without review")]
    assert [r for m in alone for r in m.recipients] == ["edvard@ministry.example"]
    text = alone[0].get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Erika published “Patrol vessels for the Arctic” alone, without a second editor" in text
    assert "The evacuation starts now." in text
