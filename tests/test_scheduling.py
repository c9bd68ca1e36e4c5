"""Scheduled releases go live on time: once through the real Procrastinate worker."""

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone

from releases import tasks
from releases.models import Release, ReleaseEvent, Status
from tests.conftest import make_release, run_worker


def listed_titles(client):
    """The titles on the English release list, which must answer for the test to mean anything."""
    response = client.get("/en/releases/")
    assert response.status_code == 200
    return [release.title for release in response.context["page_obj"]]


@pytest.mark.django_db(transaction=True)
def test_worker_publishes_a_scheduled_release_at_its_second(client, profile, press_officer, editor):
    make_release("Already public")
    release = make_release("Handover at noon", status=Status.DRAFT)
    release.submit(by=press_officer)
    at = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=2)
    release.publish(by=editor, at=at)

    run_worker(queues=["publishing"])  # too early: the job waits for its time
    assert Release.objects.get(pk=release.pk).status == Status.SCHEDULED
    assert listed_titles(client) == ["Already public"]
    listed_at = time.monotonic()

    # The worker's job is held for its second by the database's clock: this test waits for it,
    # and for the list just read to be checked again (PAGE_VERSION_SECONDS after it was read,
    # which on a slow machine can be later than the release's second).
    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + 0.2)
    time.sleep(max(0.0, listed_at + settings.PAGE_VERSION_SECONDS - time.monotonic()) + 0.1)
    # Public from its second on, even before the worker has run.
    assert listed_titles(client) == ["Handover at noon", "Already public"]
    run_worker(queues=["publishing"])
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert release.published_at == at
    assert list(release.events.values_list("action", flat=True)) == [
        ReleaseEvent.Action.SUBMITTED,
        ReleaseEvent.Action.SCHEDULED,
        ReleaseEvent.Action.WENT_LIVE,
    ]


def test_a_rescheduled_release_does_not_go_live_at_its_old_time(
    press_officer, editor, time_machine
):
    release = make_release("Moved", status=Status.DRAFT)
    release.submit(by=press_officer)
    first = timezone.now() + datetime.timedelta(hours=1)
    release.publish(by=editor, at=first)
    later = first + datetime.timedelta(hours=3)
    release.reschedule(by=editor, at=later)

    time_machine.move_to(first + datetime.timedelta(seconds=1))
    # What the job queued for the old time, and the sweep, do when that time comes.
    tasks.go_live(release.pk)
    tasks.go_live_sweep(timestamp=int(time.time()))

    release.refresh_from_db()
    assert release.status == Status.SCHEDULED
    assert release.published_at == later
    assert not Release.objects.published().filter(pk=release.pk).exists()
    time_machine.move_to(later)
    assert Release.objects.published().filter(pk=release.pk).exists()
