"""Work the Procrastinate worker does for subscriptions: sign-ups, sending, digests, retention."""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from subscriptions import delivery, emails
from subscriptions.digests import send_digests
from subscriptions.models import Frequency, Subscriber
from subscriptions.retention import prune

logger = logging.getLogger(__name__)


# Sign-ups and link requests are queued by every request alike, so that a
# request's answer and timing never tell whether an address subscribes. Tried
# again after 4, 16, 64 and 256 seconds if the mail server is away.
LINK_RETRY = RetryStrategy(max_attempts=5, exponential_wait=4)


@app.task(name="subscriptions.sign_up", queue="email", retry=LINK_RETRY)
def sign_up(email, choices, at):
    """Record a sign-up and send the email its address needs: confirm, or manage."""
    at = datetime.datetime.fromisoformat(at)
    try:
        subscriber = Subscriber.sign_up(email, at=at, **choices)
    except IntegrityError:  # the same address signed up at the same moment
        subscriber = Subscriber.sign_up(email, at=at, **choices)
    emails.send(emails.link_message(subscriber))


@app.task(name="subscriptions.send_link", queue="email", retry=LINK_RETRY)
def send_link(email):
    """Send the owner of ``email`` their link, if the address is known; nothing otherwise."""
    subscriber = Subscriber.objects.by_address(email).first()
    if subscriber is not None:
        emails.send(emails.link_message(subscriber))


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
