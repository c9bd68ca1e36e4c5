"""Late, never lost, never twice: a worker killed at each step of going live, then recovered.

Each test kills a real worker process (SIGKILL, from ``tests/crashing_worker.py``)
at one step, or loses the job a web process was about to queue, then lets a new
worker do what the next minute brings: Procrastinate's stalled-job retry, the
go-live sweep and the delivery sweep. Every subscriber must then have exactly
one email in a real SMTP server.
"""

import contextlib
import datetime
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from procrastinate import exceptions
from procrastinate.contrib.django.models import ProcrastinateJob

from pressroom import tasks as pressroom_tasks
from releases import tasks as release_tasks
from releases.models import Release, Status
from subscriptions import delivery
from subscriptions import tasks as subscription_tasks
from subscriptions.models import Delivery, DeliveryStatus
from tests.conftest import form_data, make_release, make_subscriber, sign_in
from tests.test_subscriptions_worker import worker_environment

READERS = [f"reader{n}@example.org" for n in range(25)]


@pytest.fixture(autouse=True)
def empty_queue(transactional_db, cache_table):
    # The queue's tables are not Django's to flush between tests.
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_jobs, procrastinate_workers, procrastinate_periodic_defers "
            "CASCADE"
        )


@pytest.fixture
def readers(profile):
    return [make_subscriber(address) for address in READERS]


def run_worker(settings, step=None):
    """A real worker process with ``--one-shot``; with a step, one that kills itself there."""
    env = worker_environment(settings.EMAIL_PORT)
    if step:
        command = [sys.executable, "-m", "tests.crashing_worker", step]
    else:
        command = [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot"]
    return subprocess.run(command, cwd=django_settings.BASE_DIR, env=env, timeout=120).returncode


def recover(settings):
    """What the next minute brings: a new worker runs the stalled-job retry and both sweeps."""
    # As if the time had passed: the dead worker's heartbeat is old, its claimed rows stale.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '5 minutes'"
        )
    Delivery.objects.filter(status=DeliveryStatus.SENDING).update(
        claimed_at=F("claimed_at") - delivery.STALE_CLAIM
    )
    now = int(time.time())
    for task in (
        pressroom_tasks.retry_stalled_jobs,
        release_tasks.go_live_sweep,
        subscription_tasks.sweep,
    ):
        # The dead worker's own periodic run may be waiting already.
        with contextlib.suppress(exceptions.AlreadyEnqueued):
            task.defer(timestamp=now)
    assert run_worker(settings) == 0


def assert_each_reader_got_it_once(smtp, release, correction=None):
    recipients = sorted(r for m in smtp.messages for r in m.recipients)
    assert recipients == sorted(READERS)
    rows = Delivery.objects.filter(release=release, correction=correction)
    assert rows.filter(status=DeliveryStatus.SENT).count() == len(READERS)
    assert rows.count() == len(READERS)


def publish(release, press_officer, editor, at=None):
    release.submit(by=press_officer)
    release.publish(by=editor, at=at)  # autocommit: the go-live job is queued at once


def test_a_release_whose_go_live_job_was_never_queued_goes_live_within_a_minute(
    readers, smtp, settings, editor, press_officer, monkeypatch
):
    release = make_release(status=Status.DRAFT)
    # The web process dies between the commit of "Publish now" and queueing the job.
    monkeypatch.setattr(release_tasks, "defer_go_live", lambda release: None)
    publish(release, press_officer, editor)
    assert not ProcrastinateJob.objects.filter(task_name="releases.go_live").exists()

    recover(settings)

    release.refresh_from_db()
    assert release.announced_at is not None
    assert_each_reader_got_it_once(smtp, release)


@pytest.mark.parametrize("scheduled", [False, True], ids=["publish-now", "scheduled"])
def test_a_worker_killed_inside_the_go_live_transaction_leaves_nothing_half_done(
    readers, smtp, settings, editor, press_officer, scheduled
):
    release = make_release(status=Status.DRAFT)
    at = timezone.now() + datetime.timedelta(seconds=1) if scheduled else None
    publish(release, press_officer, editor, at=at)
    time.sleep(1.2 if scheduled else 0)

    assert run_worker(settings, step="in-go-live") == -9

    release.refresh_from_db()
    assert release.announced_at is None  # the transaction rolled back …
    assert release.status == (Status.SCHEDULED if scheduled else Status.PUBLISHED)
    assert not Delivery.objects.exists()  # … with the deliveries it had inserted
    job = ProcrastinateJob.objects.get(task_name="releases.go_live")
    assert job.status == "doing"  # stalled, holding the release's lock
    assert smtp.messages == []

    recover(settings)

    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert release.announced_at is not None
    assert_each_reader_got_it_once(smtp, release)
    job.refresh_from_db()
    assert job.status == "succeeded"  # retried by the stalled-job task; found nothing to do


def test_a_worker_killed_after_go_live_before_queueing_the_sending_still_sends_everything(
    readers, smtp, settings, editor, press_officer
):
    release = make_release(status=Status.DRAFT)
    publish(release, press_officer, editor)

    assert run_worker(settings, step="before-sending-queued") == -9

    assert Delivery.objects.filter(release=release, status=DeliveryStatus.QUEUED).count() == 25
    assert not ProcrastinateJob.objects.filter(task_name="subscriptions.send_deliveries").exists()

    recover(settings)

    assert_each_reader_got_it_once(smtp, release)


def test_a_worker_killed_in_the_middle_of_a_batch_sends_the_rest_and_nothing_twice(
    readers, smtp, settings, editor, press_officer
):
    release = make_release(status=Status.DRAFT)
    publish(release, press_officer, editor)

    assert run_worker(settings, step="mid-batch") == -9

    assert len(smtp.messages) == 3
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 3
    assert Delivery.objects.filter(status=DeliveryStatus.SENDING).count() == 7

    recover(settings)

    assert_each_reader_got_it_once(smtp, release)


def test_a_correction_is_queued_with_its_commit_and_survives_a_killed_worker(
    readers, smtp, settings, editor, second_editor, client, monkeypatch
):
    release = make_release("Handover")
    delivery.release_went_live(release)
    assert run_worker(settings) == 0
    smtp.messages.clear()
    # The web process dies right after the commit: the sending jobs are never queued.
    monkeypatch.setattr(delivery, "defer_sending", lambda count: None)
    sign_in(client, editor)
    url = reverse("admin:releases_release_change", args=[release.pk])
    data = form_data(client.get(url))
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-text_en": "An earlier version gave the wrong date.",
            "corrections-0-created_at_0": "2026-11-20",
            "corrections-0-created_at_1": "10:00:00",
            "corrections-0-notify_subscribers": "on",
        }
    )
    assert client.post(url, data).status_code == 302
    # The correction goes public, and its emails are queued, when a second editor approves it.
    Release.objects.get(pk=release.pk).publish(by=second_editor)
    correction = Release.objects.get(pk=release.pk).corrections.get()
    queued = Delivery.objects.filter(correction=correction, status=DeliveryStatus.QUEUED)
    assert queued.count() == len(READERS)
    monkeypatch.undo()

    subscription_tasks.sweep.defer(timestamp=int(time.time()))
    assert run_worker(settings, step="mid-batch") == -9
    recover(settings)

    assert_each_reader_got_it_once(smtp, release, correction=correction)
    assert all(m["Subject"].startswith("Correction:") for m in smtp.messages)
