"""Delivery of releases and corrections to subscribers, each email exactly once.

Every email a subscriber gets about a release starts as a ``Delivery`` row,
unique per subscriber and release (or correction), so that no crash, restart,
second worker or double click sends it twice. Queueing is one INSERT … SELECT
in the transaction that records the release going live (or the correction), so
the rows exist exactly when the change does; the sending jobs are queued after
the commit, and the per-minute sweep queues them again if that was lost.
Sending claims rows in batches with ``FOR UPDATE SKIP LOCKED``, so any number
of workers share the work without overlap, and marks each row sent as soon as
the mail server has accepted the message.
"""

import datetime
import logging
import smtplib
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Value
from django.utils import timezone

from core.models import PressroomProfile
from releases.models import Release
from subscriptions import emails
from subscriptions.models import Delivery, DeliveryStatus, Frequency, Subscriber

logger = logging.getLogger(__name__)

# A row claimed longer ago than this belongs to a worker that died; it is
# queued again (at worst the one message in flight at the crash goes twice).
STALE_CLAIM = datetime.timedelta(minutes=15)
MAX_ATTEMPTS = 6
# Pauses (seconds) between tries to record a sent message while the database is away.
MARK_PAUSES = (0.5, 1, 2, 4, 8, 15, 30, 30, 30, 30, 30, 30, 30, 30, 30)


def release_went_live(release):
    """Queue the release for every confirmed subscriber whose choices match. Idempotent."""
    now = timezone.now()
    subscribers = _columns(
        Subscriber.objects.matching(release),
        subscriber_id=F("pk"),
        release_id=Value(release.pk),
        frequency=F("frequency"),
        status=Value(DeliveryStatus.QUEUED.value),
        attempts=Value(0),
        next_attempt_at=Value(now),
        created_at=Value(now),
        error=Value(""),
    )
    queued = _insert_deliveries(subscribers)
    logger.info("Release %s queued for %s subscribers", release.pk, queued)
    if queued:
        transaction.on_commit(lambda: defer_sending(queued))
    return queued


def correction_added(correction):
    """Queue a correction notice for those who received the release. Idempotent."""
    now = timezone.now()
    recipients = _columns(
        Delivery.objects.filter(
            release_id=correction.release_id,
            correction__isnull=True,
            status=DeliveryStatus.SENT,
            subscriber__status="confirmed",
        ),
        subscriber_id=F("subscriber_id"),
        release_id=F("release_id"),
        frequency=Value(Frequency.IMMEDIATELY.value),
        status=Value(DeliveryStatus.QUEUED.value),
        attempts=Value(0),
        next_attempt_at=Value(now),
        created_at=Value(now),
        error=Value(""),
        correction_id=Value(correction.pk),
    )
    queued = _insert_deliveries(recipients)
    if queued:
        transaction.on_commit(lambda: defer_sending(queued))
    return queued


def _columns(queryset, **columns):
    """A SELECT of exactly ``columns``, in order, to feed an INSERT."""
    names = {name: f"d_{name}" for name in columns}
    queryset = queryset.order_by().annotate(
        **{names[name]: value for name, value in columns.items()}
    )
    return queryset.values_list(*names.values()), list(columns)


def _insert_deliveries(select_and_columns):
    select, columns = select_and_columns
    sql, params = select.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Delivery._meta.db_table} ({', '.join(columns)}) {sql} "
            "ON CONFLICT DO NOTHING",
            params,
        )
        return cursor.rowcount


def defer_sending(count):
    from subscriptions import tasks

    jobs = min(settings.DELIVERY_SENDING_JOBS, -(-count // settings.DELIVERY_BATCH_SIZE))
    tasks.send_deliveries.batch_defer(*({} for _ in range(jobs)))


def claim(batch_size, now=None):
    """Mark up to ``batch_size`` due immediate deliveries as ours; their ids."""
    now = now or timezone.now()
    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET status = %s, claimed_at = %s
            WHERE id IN (
                SELECT id FROM {table}
                WHERE status = %s AND frequency = %s AND next_attempt_at <= %s
                ORDER BY id LIMIT %s
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id
            """,
            [
                DeliveryStatus.SENDING,
                now,
                DeliveryStatus.QUEUED,
                Frequency.IMMEDIATELY,
                now,
                batch_size,
            ],
        )
        return [row[0] for row in cursor.fetchall()]


class MailServerUnavailable(Exception):
    """The mail server cannot be reached, or it hung up: no message can go out now."""


class Sender:
    """Sends messages over one reused connection, paced to ``EMAIL_SEND_RATE``."""

    def __init__(self):
        self.connection = None
        self.interval = 1 / settings.EMAIL_SEND_RATE if settings.EMAIL_SEND_RATE else 0
        self.next_at = time.monotonic()

    def send(self, message):
        if self.interval:
            delay = self.next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.next_at = max(self.next_at, time.monotonic()) + self.interval
        connection = self._open()
        try:
            if isinstance(message, tuple):  # (from, to, bytes) of a prepared email
                from_address, to, data = message
                connection.connection.sendmail(from_address, [to], data)
            else:
                message.connection = connection
                message.send()
        except Exception as error:
            self.close()  # the next message starts on a fresh connection
            if _server_gone(error):
                raise MailServerUnavailable(error) from error
            raise

    def takes_bytes(self):
        return emails.speaks_smtp(self._open())

    def _open(self):
        if self.connection is None:
            try:
                self.connection = emails.open_connection()
            except (smtplib.SMTPException, OSError) as error:
                raise MailServerUnavailable(error) from error
        return self.connection

    def close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 (closing a broken connection)
                logger.debug("Closing the SMTP connection failed", exc_info=True)
            self.connection = None


def _server_gone(error):
    """True if ``error`` says the connection is lost, not that this one message was refused."""
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError):
        return True
    # 421: the server is closing the connection (shutting down, overloaded).
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code == 421


def send_due(batch_size=None, max_batches=None):
    """Send immediate deliveries until none is due; the number sent."""
    batch_size = batch_size or settings.DELIVERY_BATCH_SIZE
    sender = Sender()
    sent = batches = 0
    cache = {}
    with connection.cursor() as cursor:
        # Each row is marked sent in its own commit, right after the mail server
        # took the message. Not waiting for the disk on each of those commits
        # makes sending several times faster; only a crash of PostgreSQL itself
        # (not of a worker) could lose the last fraction of a second of marks.
        cursor.execute("SET synchronous_commit TO off")
    try:
        while max_batches is None or batches < max_batches:
            ids = claim(batch_size)
            if not ids:
                break
            batches += 1
            batch_sent, server_gone = _send_batch(ids, sender, cache)
            sent += batch_sent
            if server_gone:
                break
    finally:
        sender.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
    return sent


def _send_batch(ids, sender, cache):
    """Send a claimed batch; how many were sent, and whether the mail server went away."""
    deliveries = (
        Delivery.objects.filter(pk__in=ids)
        .select_related("subscriber", "correction")
        .prefetch_related("subscriber__topics", "subscriber__missions")
        .order_by("pk")
    )
    profile = cache.setdefault("profile", PressroomProfile.load())
    sent = 0
    try:
        for delivery in deliveries.iterator(chunk_size=500):
            release = _public_release(delivery.release_id, cache)
            subscriber = delivery.subscriber
            if release is None or subscriber.status != "confirmed":
                _finish(delivery, DeliveryStatus.CANCELLED)
                continue
            if delivery.correction_id:
                message = emails.correction_message(
                    subscriber, release, delivery.correction, profile
                )
            else:
                message = emails.release_message(subscriber, release, profile, cache, sender)
            if _attempt(delivery, sender, message):
                sent += 1
    except MailServerUnavailable as error:
        # Not a crash: the batch's unsent rows wait for their next attempt, and
        # the per-minute sweep starts sending again when they are due.
        retried = retry_later(ids, error)
        logger.warning("Mail server unavailable: %s; %s emails wait for a retry", error, retried)
        return sent, True
    return sent, False


def _public_release(release_id, cache):
    key = ("release", release_id)
    if key not in cache:
        cache[key] = (
            Release.objects.published()
            .filter(pk=release_id)
            .prefetch_related(*emails.RELEASE_PREFETCH)
            .first()
        )
    return cache[key]


def send_one(sender, message):
    """Send ``message``: None if the server took it, else (error, whether it is permanent)."""
    try:
        sender.send(message)
    except smtplib.SMTPRecipientsRefused as error:
        code = min((code for code, _msg in error.recipients.values()), default=550)
        return error, code >= 500
    except smtplib.SMTPResponseException as error:
        return error, error.smtp_code >= 500
    except (smtplib.SMTPException, OSError) as error:
        return error, False
    return None


def _attempt(delivery, sender, message):
    """Send one message and record the outcome; True if the server took it."""
    failure = send_one(sender, message)
    if failure is not None:
        error, permanent = failure
        return _failed(delivery, error, permanent=permanent)
    _mark_sent(delivery.pk)
    return True


def _mark_sent(pk):
    # The hottest statement of a big send: plain SQL, one row, its own commit.
    # The mail server has the message now: a mark lost to a database outage
    # would send it again, so the outage is waited out (for a few minutes).
    sql = (
        f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s, error = '', "
        "attempts = attempts + 1 WHERE id = %s"
    )
    params = [DeliveryStatus.SENT, timezone.now(), pk]
    for pause in (*MARK_PAUSES, None):
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
            return
        except (OperationalError, InterfaceError):
            if pause is None:
                raise
            if pause == MARK_PAUSES[0]:
                logger.warning("Delivery %s sent, database away: waiting to record it", pk)
            connection.close()
            time.sleep(pause)


def retry_later(ids, error):
    """A temporary failure of the rows in ``ids`` not yet sent; how many will be retried.

    Each waits 1, 2, 4, 8 or 16 minutes after its first to fifth failure, the
    schedule of a single refused message; after the sixth it has failed for good.
    """
    now, retried = timezone.now(), 0
    for attempts in range(MAX_ATTEMPTS):
        rows = Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.SENDING, attempts=attempts)
        if attempts + 1 >= MAX_ATTEMPTS:
            rows.update(status=DeliveryStatus.FAILED, attempts=attempts + 1, error=str(error))
        else:
            retried += rows.update(
                status=DeliveryStatus.QUEUED,
                attempts=attempts + 1,
                next_attempt_at=now + datetime.timedelta(minutes=2**attempts),
                error=str(error),
                claimed_at=None,
            )
    return retried


def _failed(delivery, error, permanent):
    attempts = delivery.attempts + 1
    if permanent or attempts >= MAX_ATTEMPTS:
        logger.warning("Delivery %s failed for good: %s", delivery.pk, error)
        _finish(delivery, DeliveryStatus.FAILED, error=str(error), attempts=attempts)
        if permanent:
            delivery.subscriber.record_hard_bounce()
    else:
        retry_at = timezone.now() + datetime.timedelta(minutes=2 ** (attempts - 1))
        logger.info("Delivery %s failed, retry at %s: %s", delivery.pk, retry_at, error)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.QUEUED,
            attempts=attempts,
            next_attempt_at=retry_at,
            error=str(error),
            claimed_at=None,
        )
    return False


def _finish(delivery, status, error="", attempts=None):
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        sent_at=timezone.now() if status == DeliveryStatus.SENT else None,
        error=error,
        attempts=attempts if attempts is not None else F("attempts") + 1,
    )


def requeue_stale(now=None):
    """Queue again the rows a dead worker had claimed; how many."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=DeliveryStatus.QUEUED, claimed_at=None)


def due_count(now=None):
    now = now or timezone.now()
    return Delivery.objects.filter(
        status=DeliveryStatus.QUEUED, frequency=Frequency.IMMEDIATELY, next_attempt_at__lte=now
    ).count()
