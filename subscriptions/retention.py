"""Deleting what is no longer needed: stale sign-ups, people who left, old delivery records."""

import datetime

from django.conf import settings
from django.utils import timezone

from subscriptions.models import Delivery, DeliveryStatus, Subscriber

UNCONFIRMED_RETENTION = datetime.timedelta(days=7)
LEFT_RETENTION = datetime.timedelta(days=28)


def prune(now=None):
    """Delete what we no longer need; the numbers deleted."""
    now = now or timezone.now()
    unconfirmed, _ = Subscriber.objects.filter(
        status="pending", consented_at__lt=now - UNCONFIRMED_RETENTION
    ).delete()
    left, _ = Subscriber.objects.filter(
        status="unsubscribed", left_at__lt=now - LEFT_RETENTION
    ).delete()
    old, _ = Delivery.objects.filter(
        status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED],
        created_at__lt=now - datetime.timedelta(days=settings.DELIVERY_RETENTION_DAYS),
    ).delete()
    return {"unconfirmed": unconfirmed, "left": left, "deliveries": old}
