"""The editorial desk's rules at the model level: approval of a revision, and every sidestep."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from pressroom import roles
from releases.models import Release, ReleaseEvent, Status, Step
from releases.notifications import recipients_of
from tests.conftest import make_release, make_user


@pytest.fixture(autouse=True)
def english():
    # A request in Danish earlier in the session leaves Danish active in this thread.
    with translation.override("en"):
        yield


def edit(release, by, **fields):
    """Change fields of a release as the admin's form does (``Release.edit``)."""

    def change(release):
        for name, value in fields.items():
            setattr(release, name, value)
        release.save()

    revision = release.edit(by, change)
    release.refresh_from_db()
    return revision


def public_titles(at=None):
    return list(Release.objects.published(at=at).values_list("title_en", flat=True))


def written_by(author, title="Patrol vessels for the Arctic"):
    release = make_release(title, status=Status.DRAFT, created_by=author)
    release.keep_baseline(author)
    return release


@pytest.fixture
def third_editor(db):
    return make_user("elin", roles.EDITOR)


def test_approval_is_of_the_revision_the_reviewer_saw(press_officer, editor):
    release = written_by(press_officer)
    release.submit(by=press_officer)
    reviewed = release.pending_revision
    edit(release, press_officer, title_en="Patrol vessels for the Arctic, with a typo fixd")
    with pytest.raises(ValidationError, match="The text changed while you were reviewing it"):
        release.publish(by=editor, revision=reviewed)
    release.refresh_from_db()
    assert release.status == Status.SUBMITTED
    assert public_titles() == []

    release.publish(by=editor, revision=release.pending_revision)
    release.refresh_from_db()
    assert public_titles() == ["Patrol vessels for the Arctic, with a typo fixd"]
    assert release.approved_revision.number == 2
    assert release.approved_revision.approved_by == editor


def test_return_to_draft_and_resubmit_by_another_person_does_not_let_the_author_publish(
    editor, press_officer, second_editor
):
    release = written_by(editor)
    release.submit(by=editor)
    release.return_to_draft(by=press_officer)
    release.submit(by=press_officer)
    with pytest.raises(PermissionDenied, match="another editor must approve it"):
        release.publish(by=editor)
    assert Release.objects.get(pk=release.pk).status == Status.SUBMITTED
    release.publish(by=second_editor)
    assert public_titles() == ["Patrol vessels for the Arctic"]


def test_an_editor_who_rewrites_a_submitted_release_cannot_publish_it(
    press_officer, editor, second_editor
):
    release = written_by(press_officer)
    release.submit(by=press_officer)
    edit(release, editor, lead_en="A lead the editor wrote.")
    assert release.status == Status.SUBMITTED
    assert release.authors() == {press_officer.pk, editor.pk}
    with pytest.raises(PermissionDenied, match="another editor must approve it"):
        release.publish(by=editor)
    assert "approve" not in release.allowed_actions(editor)
    release.publish(by=second_editor)
    assert Release.objects.published().get().lead_en == "A lead the editor wrote."


def test_a_change_after_scheduling_does_not_go_live_unreviewed(
    press_officer, editor, second_editor
):
    release = written_by(press_officer)
    release.submit(by=press_officer)
    at = timezone.now() + datetime.timedelta(hours=2)
    release.publish(by=second_editor, at=at)
    edit(release, editor, title_en="A title nobody reviewed")

    assert release.status == Status.SCHEDULED
    assert release.title_en == "Patrol vessels for the Arctic"
    assert release.pending_revision.content["fields"]["title_en"] == "A title nobody reviewed"
    after_go_live = at + datetime.timedelta(seconds=1)
    assert public_titles(at=after_go_live) == ["Patrol vessels for the Arctic"]
    assert not Release.objects.published(at=after_go_live).search("nobody reviewed").exists()
    with pytest.raises(PermissionDenied):
        release.publish(by=editor)

    release.publish(by=second_editor)
    release.refresh_from_db()
    assert release.status == Status.SCHEDULED
    assert release.published_at == at
    assert public_titles(at=after_go_live) == ["A title nobody reviewed"]
    assert release.events.last().action == ReleaseEvent.Action.CHANGE_APPROVED


def test_a_change_to_a_live_release_waits_for_a_second_editor(editor, second_editor):
    release = make_release("Live release")
    edit(release, editor, body_en="<p>New figures.</p>")
    assert Release.objects.published().get().body_en == "Body of Live release"
    assert release.pending_revision is not None
    assert release.refusal(Step.APPROVE, editor) is not None
    release.publish(by=second_editor)
    assert Release.objects.published().get().body_en == "<p>New figures.</p>"
    assert release.pending_revision is None


def test_a_change_back_to_the_approved_text_leaves_nothing_to_review(editor):
    release = make_release("Live release")
    edit(release, editor, title_en="Something else")
    assert release.pending_revision is not None
    edit(release, editor, title_en="Live release")
    assert release.pending_revision is None
    assert release.revisions.count() == 3


def test_the_submitter_and_every_author_since_the_last_approval_count(
    press_officer, editor, second_editor, third_editor
):
    release = written_by(press_officer)
    release.submit(by=press_officer)
    release.publish(by=editor)
    edit(release, second_editor, lead_en="Second editor's lead.")
    edit(release, third_editor, lead_en="Third editor's lead.")
    assert release.authors() == {second_editor.pk, third_editor.pk}
    for author in (second_editor, third_editor):
        assert release.refusal(Step.APPROVE, author) is not None
    # The editor who approved the first text did not touch this change.
    release.publish(by=editor)
    assert Release.objects.published().get().lead_en == "Third editor's lead."


def test_allowed_actions_answer_per_person(press_officer, editor, second_editor):
    release = written_by(press_officer)
    assert release.allowed_actions(press_officer) == [
        Step.EDIT,
        Step.SUBMIT,
        Step.RESTORE,
        Step.DELETE,
    ]
    release.submit(by=press_officer)
    assert release.allowed_actions(press_officer) == [
        Step.EDIT,
        Step.RETURN_TO_DRAFT,
        Step.RESTORE,
    ]
    assert set(release.allowed_actions(editor)) >= {Step.APPROVE, Step.SEND_BACK}
    assert Step.PUBLISH_ALONE not in release.allowed_actions(editor)


def test_a_press_officer_cannot_publish_or_send_back(press_officer, editor):
    release = written_by(editor)
    release.submit(by=editor)
    for step in (Step.APPROVE, Step.SEND_BACK, Step.UNPUBLISH, Step.PUBLISH_ALONE):
        assert release.refusal(step, press_officer) is not None
    with pytest.raises(PermissionDenied, match="Only an editor"):
        release.publish(by=press_officer)
    with pytest.raises(PermissionDenied):
        release.send_back(by=press_officer, comment="No")
    assert Release.objects.get(pk=release.pk).status == Status.SUBMITTED


def test_sending_back_returns_a_draft_with_the_comment_in_the_history(press_officer, editor):
    release = written_by(press_officer)
    release.submit(by=press_officer)
    with pytest.raises(ValidationError, match="Write what should change"):
        release.send_back(by=editor, comment="  ")
    release.send_back(by=editor, comment="Say which vessels.")
    release.refresh_from_db()
    assert release.status == Status.DRAFT
    assert release.pending_revision is None
    assert release.sent_back_at is not None
    event = release.events.last()
    assert (event.action, event.by, event.note, event.revision.number) == (
        ReleaseEvent.Action.SENT_BACK,
        editor,
        "Say which vessels.",
        1,
    )
    assert [user.username for user in recipients_of(event)] == [press_officer.username]


def test_a_change_to_a_live_release_can_be_sent_back_and_the_public_text_stays(
    editor, second_editor
):
    release = make_release("Live release")
    edit(release, editor, title_en="Live release, rewritten")
    release.send_back(by=second_editor, comment="Keep the old title.")
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert public_titles() == ["Live release"]
    assert release.latest_revision().content["fields"]["title_en"] == "Live release, rewritten"


def test_unpublishing_a_release_that_was_never_public_makes_it_a_draft_answering_404(
    client, press_officer, editor
):
    release = written_by(press_officer)
    release.submit(by=press_officer)
    release.publish(by=editor, at=timezone.now() + datetime.timedelta(days=1))
    url = release.get_absolute_url()
    with pytest.raises(ValidationError, match="Give the reason for unpublishing"):
        release.unpublish(by=editor, reason="")
    release.unpublish(by=editor, reason="The minister's visit was called off.")
    release.refresh_from_db()
    assert (release.status, release.published_at) == (Status.DRAFT, None)
    assert release.events.last().note == "The minister's visit was called off."
    assert client.get(url).status_code == 404


def test_unpublishing_a_public_release_answers_410_and_keeps_the_reason(client, editor):
    release = make_release("Public")
    url = release.get_absolute_url()
    release.unpublish(by=editor, reason="Published by mistake.")
    assert release.status == Status.UNPUBLISHED
    event = release.events.get()
    assert (event.action, event.note) == (ReleaseEvent.Action.UNPUBLISHED, "Published by mistake.")
    assert client.get(url).status_code == 410


def test_unpublishing_a_live_release_with_a_waiting_change_gives_writers_the_newest_text(
    editor, second_editor
):
    release = make_release("Public")
    edit(release, editor, title_en="Public, changed")
    release.unpublish(by=second_editor, reason="Wrong day.")
    release.refresh_from_db()
    assert release.title_en == "Public, changed"
    assert release.pending_revision is None
    assert public_titles() == []


def test_press_officers_may_delete_only_their_own_drafts_never_anything_public(
    press_officer, editor
):
    own = written_by(press_officer, "Own draft")
    others = written_by(editor, "Someone else's draft")
    assert others.refusal(Step.DELETE, press_officer) == (
        "Press officers may delete only their own drafts."
    )
    with pytest.raises(PermissionDenied):
        others.delete_by(press_officer)
    own.delete_by(press_officer)
    assert list(Release.objects.values_list("title_en", flat=True)) == ["Someone else's draft"]

    once_public = make_release("Once public", created_by=press_officer)
    once_public.unpublish(by=editor, reason="Mistake")
    once_public.return_to_draft(by=press_officer)
    assert once_public.status == Status.DRAFT
    assert "has been public" in once_public.refusal(Step.DELETE, press_officer)
    assert "has been public" in once_public.refusal(Step.DELETE, editor)


def test_restoring_an_earlier_revision_makes_a_new_one_that_needs_review(editor, second_editor):
    release = make_release("First title")
    edit(release, editor, title_en="Second title")
    release.publish(by=second_editor)
    first = release.revisions.get(number=1)
    restored = release.restore(first, by=editor)
    release.refresh_from_db()
    assert restored.number == 3
    assert restored.restored_from == 1
    assert release.pending_revision == restored
    assert public_titles() == ["Second title"]
    with pytest.raises(PermissionDenied):
        release.publish(by=editor)
    release.publish(by=second_editor)
    assert public_titles() == ["First title"]


@pytest.fixture
def on_duty(db):
    """An editor holding the emergency permission, which no role gives."""
    user = make_user("nina", roles.EDITOR)
    user.user_permissions.add(Permission.objects.get(codename="publish_alone_release"))
    return type(user).objects.get(pk=user.pk)  # afresh: permissions are cached per object


def test_nobody_without_the_emergency_permission_can_publish_alone(
    press_officer, editor, second_editor
):
    release = written_by(editor)
    release.submit(by=editor)
    for user in (press_officer, editor, second_editor):
        assert Step.PUBLISH_ALONE not in release.allowed_actions(user)
        with pytest.raises(PermissionDenied, match="publish alone in an emergency"):
            release.publish_alone(by=user, reason="Crisis at 3 a.m.")
    assert Release.objects.get(pk=release.pk).status == Status.SUBMITTED
    assert not Permission.objects.get(codename="publish_alone_release").group_set.exists()


def test_emergency_publishing_needs_a_reason_is_flagged_and_reviewed_afterwards(
    on_duty, editor, second_editor
):
    release = written_by(on_duty)
    release.submit(by=on_duty)
    with pytest.raises(ValidationError, match="Write why"):
        release.publish_alone(by=on_duty, reason=" ")
    release.publish_alone(by=on_duty, reason="Evacuation starts now.")
    release.refresh_from_db()
    assert public_titles() == ["Patrol vessels for the Arctic"]
    assert release.is_published_without_review()
    event = release.events.last()
    assert (event.action, event.note) == (
        ReleaseEvent.Action.PUBLISHED_ALONE,
        "Evacuation starts now.",
    )
    assert {user.username for user in recipients_of(event)} == {
        editor.username,
        second_editor.username,
    }
    with pytest.raises(PermissionDenied, match="another editor must approve it"):
        release.approve_afterwards(by=on_duty)
    release.approve_afterwards(by=editor)
    release.refresh_from_db()
    assert not release.is_published_without_review()
    assert release.approved_revision.approved_by == editor


def test_a_release_submitted_before_revisions_were_kept_is_reviewed_like_any(editor, second_editor):
    release = make_release("Old submission", status=Status.SUBMITTED, submitted_by=editor)
    assert release.waits_for_review()
    with pytest.raises(PermissionDenied, match="another editor must approve it"):
        release.publish(by=editor)
    release.publish(by=second_editor)
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert release.approved_revision.created_by == editor
