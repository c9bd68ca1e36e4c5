"""Sending survives the mail server going away: rows wait 1, 2, 4, 8, 16 minutes; the job goes on.

A port where nothing listens refuses connections, as a mail server does while
it restarts; later a real SMTP server starts on that port.
"""

import datetime

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from subscriptions import delivery, digests, tasks
from subscriptions.models import Delivery, DeliveryStatus, Frequency
from tests.conftest import Sink, free_port, make_release, make_subscriber

READERS = [f"reader{n}@example.org" for n in range(25)]


@pytest.fixture
def refusing_port(settings):
    """Email goes by SMTP to a port where no server listens (yet)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DELIVERY_BATCH_SIZE = 10
    return settings.EMAIL_PORT


@pytest.fixture
def release(profile):
    for address in READERS:
        make_subscriber(address)
    release = make_release("Handover")
    delivery.release_went_live(release)
    return release


def minutes_until_next_attempt(since, rows=None):
    rows = rows if rows is not None else Delivery.objects.filter(status=DeliveryStatus.QUEUED)
    return sorted({round((row.next_attempt_at - since).total_seconds() / 60) for row in rows})


def test_a_refused_connection_is_a_temporary_failure_of_the_rows_not_a_crash_of_the_job(
    release, refusing_port
):
    before = timezone.now()
    tasks.send_deliveries()  # the sending job itself returns normally

    batch = Delivery.objects.filter(status=DeliveryStatus.QUEUED, attempts=1)
    assert batch.count() == 10  # the claimed batch waits a minute …
    assert minutes_until_next_attempt(before, batch) == [1]
    assert "Connection refused" in batch.first().error
    # … the rest stays due, for the next sending job; nothing is left claimed.
    assert Delivery.objects.filter(status=DeliveryStatus.QUEUED, attempts=0).count() == 15
    assert not Delivery.objects.filter(status=DeliveryStatus.SENDING).exists()


def test_rows_wait_1_2_4_8_16_minutes_while_the_server_refuses_then_fail(
    release, refusing_port, settings
):
    settings.DELIVERY_BATCH_SIZE = 100
    waits = []
    for _ in range(5):
        Delivery.objects.update(next_attempt_at=timezone.now())  # their time has come
        before = timezone.now()
        delivery.send_due()
        waits += minutes_until_next_attempt(before)
    assert waits == [1, 2, 4, 8, 16]

    Delivery.objects.update(next_attempt_at=timezone.now())
    delivery.send_due()
    assert {row.status for row in Delivery.objects.all()} == {DeliveryStatus.FAILED}


def test_when_the_server_is_back_every_row_is_sent_exactly_once(release, refusing_port, settings):
    settings.DELIVERY_BATCH_SIZE = 100
    delivery.send_due()
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=refusing_port)
    controller.start()
    try:
        assert delivery.send_due() == 0  # not due yet: a minute has not passed
        Delivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
        assert delivery.send_due() == 25
    finally:
        controller.stop()
    assert sorted(r for m in sink.messages for r in m.recipients) == sorted(READERS)


class HangsUpAfterThree(Sink):
    async def handle_DATA(self, server, session, envelope):
        if len(self.messages) == 3:
            return "421 4.3.2 Service shutting down"
        return await super().handle_DATA(server, session, envelope)


def test_a_server_that_hangs_up_mid_batch_leaves_the_rest_for_a_minute_later(
    release, refusing_port
):
    sink = HangsUpAfterThree()
    controller = Controller(sink, hostname="127.0.0.1", port=refusing_port)
    controller.start()
    try:
        before = timezone.now()
        assert delivery.send_due() == 3
    finally:
        controller.stop()

    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 3
    rest_of_batch = Delivery.objects.filter(status=DeliveryStatus.QUEUED, attempts=1)
    assert rest_of_batch.count() == 7
    assert minutes_until_next_attempt(before, rest_of_batch) == [1]
    assert "421" in rest_of_batch.first().error
    assert not Delivery.objects.filter(status=DeliveryStatus.SENDING).exists()


def test_a_digest_the_server_keeps_refusing_is_tried_a_bounded_number_of_times(
    profile, refusing_port
):
    subscriber = make_subscriber("daily@example.org", frequency=Frequency.DAILY)
    delivery.release_went_live(make_release("For the digest"))
    rows = Delivery.objects.filter(subscriber=subscriber)
    rows.update(created_at=timezone.now() - datetime.timedelta(days=2))
    tomorrow = timezone.now() + datetime.timedelta(days=1)

    for attempt in range(1, delivery.MAX_ATTEMPTS):
        assert digests.send_digests(Frequency.DAILY, now=tomorrow) == 0
        assert list(rows.values_list("status", "attempts")) == [(DeliveryStatus.QUEUED, attempt)]
    assert digests.send_digests(Frequency.DAILY, now=tomorrow) == 0
    [row] = rows
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, delivery.MAX_ATTEMPTS)
    assert row.error
    # Nothing is left for later runs.
    assert digests.send_digests(Frequency.DAILY, now=tomorrow) == 0
    assert rows.get().attempts == delivery.MAX_ATTEMPTS
