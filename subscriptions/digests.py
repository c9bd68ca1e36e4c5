"""Daily and weekly digests: per subscriber, one email of the releases queued for it."""

import datetime
import logging

from django.conf import settings
from django.db import connection
from django.db.models import F, prefetch_related_objects
from django.utils import timezone

from core.models import PressroomProfile
from releases.models import Release
from subscriptions import emails
from subscriptions.delivery import MAX_ATTEMPTS, MailServerUnavailable, Sender, send_one
from subscriptions.models import Delivery, DeliveryStatus, Frequency, Subscriber

logger = logging.getLogger(__name__)


def digest_boundary(frequency, now=None):
    """The latest digest time at or before ``now``, in the pressroom's time zone."""
    now = timezone.localtime(now or timezone.now())
    hour, minute = (int(part) for part in settings.DIGEST_TIME.split(":"))
    boundary = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if boundary > now:
        boundary -= datetime.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        boundary -= datetime.timedelta(days=(boundary.weekday() - settings.DIGEST_WEEKDAY) % 7)
    # Rebuild from the wall-clock time so that a daylight-saving change between
    # the two dates keeps the digest at the same local hour.
    naive = boundary.replace(tzinfo=None)
    return timezone.make_aware(naive)


def send_digests(frequency, now=None):
    """Send each subscriber one digest of the releases queued before the last digest time."""
    boundary = digest_boundary(frequency, now)
    subscriber_ids = (
        Delivery.objects.filter(
            status=DeliveryStatus.QUEUED, frequency=frequency, created_at__lt=boundary
        )
        .order_by("subscriber_id")
        .values_list("subscriber_id", flat=True)
        .distinct()
    )
    profile = PressroomProfile.load()
    sender = Sender()
    sent = 0
    cache = {}
    try:
        for subscriber_id in subscriber_ids.iterator(chunk_size=1000):
            sent += _send_digest(subscriber_id, frequency, boundary, sender, profile, cache)
    except MailServerUnavailable as error:
        logger.warning("Mail server unavailable (%s); the next digest run tries again", error)
    finally:
        sender.close()
    return sent


def _claim_digest(subscriber_id, frequency, boundary):
    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET status = %s, claimed_at = %s
            WHERE id IN (
                SELECT id FROM {table}
                WHERE subscriber_id = %s AND status = %s AND frequency = %s
                  AND created_at < %s
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id
            """,
            [
                DeliveryStatus.SENDING,
                timezone.now(),
                subscriber_id,
                DeliveryStatus.QUEUED,
                frequency,
                boundary,
            ],
        )
        return [row[0] for row in cursor.fetchall()]


def _send_digest(subscriber_id, frequency, boundary, sender, profile, cache):
    ids = _claim_digest(subscriber_id, frequency, boundary)
    if not ids:
        return 0
    deliveries = Delivery.objects.filter(pk__in=ids)
    subscriber = Subscriber.objects.get(pk=subscriber_id)
    releases = list(
        Release.objects.published()
        .filter(pk__in=deliveries.values("release_id"))
        .order_by("published_at", "pk")
    )
    if not releases or subscriber.status != "confirmed":
        # Never an empty digest: everything in it was unpublished since.
        deliveries.update(status=DeliveryStatus.CANCELLED)
        return 0
    items = []
    for release in releases:
        # Each release is rendered once per language for the whole run.
        key = ("item", release.pk, subscriber.language)
        if key not in cache:
            prefetch_related_objects([release], *emails.RELEASE_PREFETCH)
            cache[key] = emails.digest_item(release, subscriber.language)
        items.append(cache[key])
    message = emails.digest_message(subscriber, frequency, items, profile)
    try:
        failure = send_one(sender, message)
    except MailServerUnavailable as error:
        _digest_failed(deliveries, subscriber, error, permanent=False)
        raise
    if failure is not None:
        error, permanent = failure
        return _digest_failed(deliveries, subscriber, error, permanent=permanent)
    deliveries.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")
    return 1


def _digest_failed(deliveries, subscriber, error, permanent):
    if permanent:
        deliveries.update(status=DeliveryStatus.FAILED, error=str(error))
        subscriber.record_hard_bounce()
    else:
        # Back in the queue for the next digest run, as often as a single email is tried.
        attempted = {"attempts": F("attempts") + 1, "error": str(error)}
        deliveries.filter(attempts__gte=MAX_ATTEMPTS - 1).update(
            status=DeliveryStatus.FAILED, **attempted
        )
        deliveries.filter(status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.QUEUED, claimed_at=None, **attempted
        )
    return 0
