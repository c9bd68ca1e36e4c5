"""Work the Procrastinate worker does for subscriptions: sending, digests, retention."""

import logging

from django.conf import settings
from procrastinate.contrib.django import app

from subscriptions import delivery
from subscriptions.digests import send_digests
from subscriptions.models import Frequency
from subscriptions.retention import prune

logger = logging.getLogger(__name__)


@app.task(name="subscriptions.send_deliveries", queue="email")
def send_deliveries():
    """Send due immediate emails in batches until none is left."""
    sent = delivery.send_due()
    if sent:
        logger.info("Sent %s emails", sent)


@app.periodic(cron="* * * * *", periodic_id="subscriptions-sweep")
@app.task(name="subscriptions.sweep", queue="email", queueing_lock="subscriptions-sweep")
def sweep(timestamp):
    """A safety net: requeue rows of dead workers and start sending what is due."""
    delivery.requeue_stale()
    due = delivery.due_count()
    if due:
        delivery.defer_sending(due)


# Cron times are in UTC; the digest time is in the pressroom's zone, so the
# task runs often and sends only what was queued before the last digest time.
@app.periodic(cron="*/5 * * * *", periodic_id="subscriptions-digests")
@app.task(name="subscriptions.digests", queue="email", queueing_lock="subscriptions-digests")
def digests(timestamp):
    for frequency in (Frequency.DAILY, Frequency.WEEKLY):
        sent = send_digests(frequency)
        if sent:
            logger.info("Sent %s %s digests", sent, frequency)


@app.periodic(cron="17 3 * * *", periodic_id="subscriptions-retention")
@app.task(name="subscriptions.retention", queue="email", queueing_lock="subscriptions-retention")
def retention(timestamp):
    deleted = prune()
    logger.info(
        "Retention: deleted %s (keeping deliveries %s days)",
        deleted,
        settings.DELIVERY_RETENTION_DAYS,
    )
