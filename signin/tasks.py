"""Work the Procrastinate worker does for staff sign-in: keeping the log to its period."""

import logging

from procrastinate.contrib.django import app

from signin.models import SignInFailure

logger = logging.getLogger(__name__)


@app.periodic(cron="23 3 * * *", periodic_id="signin-retention")
@app.task(name="signin.retention", queue="email", queueing_lock="signin-retention")
def retention(timestamp):
    deleted, _counts = SignInFailure.objects.expired().delete()
    logger.info("Sign-in log: deleted %s entries", deleted)
