"""Scheduled releases go live on time, through the real Procrastinate worker."""

import datetime
import time

import pytest
from django.db import connection
from django.utils import timezone
from procrastinate.contrib.django import app

from releases.models import Release, ReleaseEvent, Status
from tests.conftest import make_release


def run_worker_once():
    """Run a real worker against the test database until the queue has nothing due."""
    worker_app = app.with_connector(app.connector.get_worker_connector())
    worker_app.run_worker(
        queues=["publishing"], wait=False, install_signal_handlers=False, listen_notify=False
    )
    # The task ran Django queries in the worker's threads; their connections would
    # otherwise outlive the test and block dropping the test database.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.mark.django_db(transaction=True)
def test_worker_publishes_a_scheduled_release_at_its_second(client, profile, press_officer, editor):
    release = make_release("Handover at noon", status=Status.DRAFT)
    release.submit(by=press_officer)
    at = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=2)
    release.publish(by=editor, at=at)

    run_worker_once()  # too early: the job waits for its time
    assert Release.objects.get(pk=release.pk).status == Status.SCHEDULED
    assert "Handover at noon" not in client.get("/en/releases/").content.decode()

    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + 0.2)
    # Public from its second on, even before the worker has run.
    assert "Handover at noon" in client.get("/en/releases/").content.decode()
    run_worker_once()
    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert release.published_at == at
    assert list(release.events.values_list("action", flat=True)) == [
        ReleaseEvent.Action.SUBMITTED,
        ReleaseEvent.Action.SCHEDULED,
        ReleaseEvent.Action.WENT_LIVE,
    ]


@pytest.mark.django_db(transaction=True)
def test_a_rescheduled_release_does_not_go_live_at_its_old_time(press_officer, editor):
    release = make_release("Moved", status=Status.DRAFT)
    release.submit(by=press_officer)
    release.publish(by=editor, at=timezone.now() + datetime.timedelta(seconds=1))
    later = timezone.now() + datetime.timedelta(hours=3)
    release.reschedule(by=editor, at=later)
    time.sleep(1.2)
    run_worker_once()
    release.refresh_from_db()
    assert release.status == Status.SCHEDULED
    assert release.published_at == later
    assert not Release.objects.published().filter(pk=release.pk).exists()
