"""What releases announce, and what subscriptions do on hearing it: queue email with the change."""

import pytest
from django.dispatch import receiver
from procrastinate.contrib.django.models import ProcrastinateJob

from releases import signals, tasks
from releases.models import Release, ReleaseEvent, Status
from subscriptions.models import Delivery
from tests.conftest import make_release, make_subscriber


@pytest.fixture
def heard():
    """Every release signal sent during the test, as (signal name, release, by, correction)."""
    heard = []
    receivers = []
    for name in ("submitted", "went_live", "corrected", "withdrawn", "unpublished"):

        @receiver(getattr(signals, name), weak=False)
        def listen(sender, release, by, name=name, correction=None, **kwargs):
            heard.append((name, release.pk, by, correction))

        receivers.append((getattr(signals, name), listen))
    yield heard
    for signal, listen in receivers:
        signal.disconnect(listen)


def test_each_workflow_step_is_announced_with_the_release_and_who_did_it(
    heard, press_officer, editor, second_editor
):
    release = make_release(status=Status.DRAFT)
    release.submit(by=press_officer)
    release.publish(by=editor)
    tasks.go_live(release.pk)
    release.withdraw(by=editor, reasons={"en": "Superseded."})
    release.unpublish(by=second_editor, reason="Superseded by a statement.")

    assert heard == [
        ("submitted", release.pk, press_officer, None),
        ("went_live", release.pk, None, None),
        ("withdrawn", release.pk, editor, None),
        ("unpublished", release.pk, second_editor, None),
    ]


def test_a_correction_is_recorded_and_announced_when_a_second_editor_approves_it(
    heard, editor, second_editor
):
    release = make_release("Handover")
    revision = release.add_correction(
        by=editor, notify=True, text_en="The date was wrong.", text_da="Datoen var forkert."
    )
    # Proposed: part of a revision waiting for review, nothing public, nothing announced.
    assert not release.corrections.exists()
    assert revision == release.pending_revision
    assert heard == [("submitted", release.pk, editor, None)]

    release.publish(by=second_editor)
    correction = release.corrections.get()
    assert (correction.release, correction.created_by, correction.notify_subscribers) == (
        release,
        editor,
        True,
    )
    assert (correction.text_en, correction.text_da) == (
        "The date was wrong.",
        "Datoen var forkert.",
    )
    assert (ReleaseEvent.Action.CORRECTED, second_editor.pk, "The date was wrong.") in list(
        release.events.values_list("action", "by", "note")
    )
    assert heard[1:] == [("corrected", release.pk, second_editor, correction)]


def test_subscriptions_queue_a_release_in_its_go_live_transaction_and_send_after_the_commit(
    profile, django_capture_on_commit_callbacks
):
    make_subscriber("reader@example.org")
    release = make_release(announced_at=None)
    with django_capture_on_commit_callbacks() as callbacks:
        tasks.go_live(release.pk)
        # Queued with the going live, in its transaction: a crash cannot part them …
        assert list(Delivery.objects.values_list("release", "subscriber__email")) == [
            (release.pk, "reader@example.org")
        ]
        assert not ProcrastinateJob.objects.filter(task_name="subscriptions.send_deliveries")
    # … and the sending job is queued once it has committed.
    assert len(callbacks) == 1
    callbacks[0]()
    assert ProcrastinateJob.objects.filter(task_name="subscriptions.send_deliveries").count() == 1


def test_a_release_published_without_email_queues_nothing_when_it_goes_live(
    profile, django_capture_on_commit_callbacks
):
    make_subscriber("reader@example.org")
    release = make_release(notify_subscribers=False, announced_at=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.go_live(release.pk)
    assert callbacks == []
    release.refresh_from_db()
    assert release.announced_at is not None  # it went live, quietly
    assert not Delivery.objects.exists()


def test_a_correction_is_queued_for_subscribers_only_when_asked_and_with_its_approval(
    profile, editor, second_editor, django_capture_on_commit_callbacks
):
    from subscriptions import delivery

    reader = make_subscriber("reader@example.org")
    release = make_release()
    delivery.release_went_live(release)
    Delivery.objects.update(status="sent")

    release.add_correction(by=editor, text_en="Quietly fixed a typo.")
    with django_capture_on_commit_callbacks(execute=True):
        release.publish(by=second_editor)
    assert not Delivery.objects.filter(correction__isnull=False).exists()

    release.add_correction(by=editor, notify=True, text_en="Wrong date.")
    with django_capture_on_commit_callbacks() as callbacks:
        release.publish(by=second_editor)
        correction = release.corrections.get(text_en="Wrong date.")
        # In the approval's own transaction: queued with it, or not at all.
        assert list(
            Delivery.objects.filter(correction__isnull=False).values_list(
                "subscriber", "correction"
            )
        ) == [(reader.pk, correction.pk)]
    assert len(callbacks) == 1  # the sending job, after the commit
    assert Release.objects.get(pk=release.pk).corrections.count() == 2
