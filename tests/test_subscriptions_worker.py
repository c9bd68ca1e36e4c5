"""The real Procrastinate worker on the real database: publish, go live, send once."""

import asyncio
import datetime
import os
import subprocess
import sys
import threading
import time

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings as django_settings
from django.db import connection, connections
from django.utils import timezone, translation
from procrastinate.contrib.django import app

from releases import tasks as release_tasks
from releases.models import Status
from subscriptions import delivery
from subscriptions.models import Delivery, DeliveryStatus
from tests.conftest import make_release, reset_cache
from tests.test_subscriptions import make_subscriber


@pytest.fixture(autouse=True)
def cache_table(transactional_db):
    reset_cache()
    with translation.override("en"):
        yield


def run_worker():
    """Run a real worker in this process until no job is due.

    In a thread of its own: after the browser tests, Playwright keeps an event
    loop running in the main thread.
    """

    def work():
        worker_app = app.with_connector(app.connector.get_worker_connector())
        worker_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
        # The tasks ran in asgiref's shared thread; its connection would block
        # dropping the test database at the end.
        asyncio.run(sync_to_async(connections.close_all)())

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=120)
    # Sync tasks ran in the event loop's executor threads, which are gone now;
    # their connections would outlive the test.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


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
    profile, smtp, editor, press_officer
):
    make_subscriber("reader@example.org")
    release = make_release(status=Status.DRAFT)
    publish_at = timezone.now() + datetime.timedelta(seconds=2)

    publish(release, press_officer, editor, at=publish_at)
    run_worker()
    assert smtp.messages == []
    assert not Delivery.objects.exists()

    time.sleep(max(0, (publish_at - timezone.now()).total_seconds()) + 0.2)
    release_tasks.go_live_sweep(timestamp=int(time.time()))  # the sweep races the job
    run_worker()
    run_worker()

    release.refresh_from_db()
    assert release.status == Status.PUBLISHED
    assert len(smtp.to("reader@example.org")) == 1


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
