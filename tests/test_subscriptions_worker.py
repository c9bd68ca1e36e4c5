"""The real Procrastinate worker on the real database: go live, send once, digests."""

import datetime
import os
import subprocess
import sys
import zoneinfo

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from releases import tasks as release_tasks
from releases.models import Status
from subscriptions import delivery
from subscriptions import tasks as subscription_tasks
from subscriptions.models import Delivery, DeliveryStatus, Frequency
from tests.conftest import make_release, make_subscriber, run_worker, text_part

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("cache_table")]

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


def publish(release, officer, editor, at=None):
    release.submit(by=officer)
    release.publish(by=editor, at=at)  # autocommit: the go-live job is deferred at once


def test_a_published_release_reaches_each_matching_subscriber_once_through_the_worker(
    profile, smtp, editor, press_officer
):
    for n in range(5):
        make_subscriber(f"reader{n}@example.org")
    release = make_release(status=Status.DRAFT)

    publish(release, press_officer, editor)
    run_worker()
    # The sweep and a second go-live (as the per-minute sweep may do) send nothing more.
    release_tasks.go_live(release.pk)
    delivery.send_due()
    run_worker()

    assert sorted(r for m in smtp.messages for r in m.recipients) == [
        f"reader{n}@example.org" for n in range(5)
    ]
    assert Delivery.objects.filter(release=release, status=DeliveryStatus.SENT).count() == 5


def test_a_scheduled_release_is_sent_exactly_once_when_it_goes_live(
    profile, smtp, editor, press_officer, time_machine
):
    make_subscriber("reader@example.org")
    release = make_release(status=Status.DRAFT)
    publish_at = timezone.now() + datetime.timedelta(hours=1)

    publish(release, press_officer, editor, at=publish_at)
    run_worker()  # the go-live job waits for its time
    assert smtp.messages == []
    assert not Delivery.objects.exists()

    time_machine.move_to(publish_at + datetime.timedelta(seconds=1))
    # At its time the per-minute sweep and the go-live job race; each does what the worker
    # would do. The job itself, held for its time by the database's clock, is not waited for.
    release_tasks.go_live_sweep(timestamp=int(publish_at.timestamp()))
    release_tasks.go_live(release.pk)
    run_worker()

    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert len(smtp.to("reader@example.org")) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_the_worker_sends_one_daily_digest_at_the_digest_time(
    profile, smtp, settings, time_machine
):
    settings.DIGEST_TIME = "07:00"
    make_subscriber("daily@example.org", frequency=Frequency.DAILY)
    make_subscriber("now@example.org")
    time_machine.move_to(datetime.datetime(2026, 11, 20, 15, 0, tzinfo=COPENHAGEN))
    delivery.release_went_live(make_release("First"))
    delivery.release_went_live(make_release("Second"))
    run_worker()  # only the immediate subscriber's email
    assert len(smtp.to("now@example.org")) == 2
    assert smtp.to("daily@example.org") == []

    # The digest job, as the worker's own scheduler queues it every five minutes.
    time_machine.move_to(datetime.datetime(2026, 11, 21, 6, 59, tzinfo=COPENHAGEN))
    subscription_tasks.digests.defer(timestamp=0)
    run_worker()
    assert smtp.to("daily@example.org") == []  # not before its time
    time_machine.move_to(datetime.datetime(2026, 11, 21, 7, 1, tzinfo=COPENHAGEN))
    subscription_tasks.digests.defer(timestamp=1)
    run_worker()
    time_machine.move_to(datetime.datetime(2026, 11, 21, 7, 6, tzinfo=COPENHAGEN))
    subscription_tasks.digests.defer(timestamp=2)
    run_worker()

    [digest] = smtp.to("daily@example.org")
    assert digest["Subject"].startswith("Daily digest: 2 new releases")
    assert "First" in text_part(digest) and "Second" in text_part(digest)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def worker_environment(smtp_port):
    params = connection.get_connection_params()
    return {
        **os.environ,
        "SECRET_KEY": django_settings.SECRET_KEY,
        # The test database; the server (a socket directory, maybe) comes as libpq variables.
        "DATABASE_URL": f"postgres:///{connection.settings_dict['NAME']}",
        "PGHOST": str(params.get("host") or "127.0.0.1"),
        "PGPORT": str(params.get("port") or 5432),
        "PGUSER": params.get("user") or "postgres",
        "PGPASSWORD": params.get("password") or "",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SITE_URL": "http://testserver",
        "ALLOWED_HOSTS": "testserver",
        "DELIVERY_BATCH_SIZE": "10",
        "DELIVERY_SENDING_JOBS": "6",
    }


def test_two_worker_processes_racing_on_one_release_send_each_email_once(profile, smtp, settings):
    settings.DELIVERY_BATCH_SIZE, settings.DELIVERY_SENDING_JOBS = 10, 6
    addresses = [f"reader{n}@example.org" for n in range(120)]
    for address in addresses:
        make_subscriber(address)
    release = make_release()
    delivery.release_went_live(release)

    env = worker_environment(settings.EMAIL_PORT)
    command = [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot"]
    workers = [subprocess.Popen(command, cwd=django_settings.BASE_DIR, env=env) for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=120) == 0

    assert sorted(r for m in smtp.messages for r in m.recipients) == sorted(addresses)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 120
