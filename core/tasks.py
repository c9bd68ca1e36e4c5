"""Site-wide work the Procrastinate worker does: deleting stale kept uploads and old autosaves."""

import logging

from procrastinate.contrib.django import app

from core import autosave, kept_uploads

logger = logging.getLogger(__name__)


@app.periodic(cron="23 * * * *", periodic_id="core-kept-uploads-sweep")
@app.task(name="core.sweep_kept_uploads", queue="publishing", queueing_lock="kept-sweep")
def sweep_kept_uploads(timestamp):
    """Delete files kept from refused forms once they are too old to be used."""
    deleted = kept_uploads.sweep()
    if deleted:
        logger.info("Deleted %s stale kept uploads", deleted)


@app.periodic(cron="41 3 * * *", periodic_id="core-autosave-retention")
@app.task(name="core.forget_old_autosaves", queue="publishing", queueing_lock="autosave-retention")
def forget_old_autosaves(timestamp):
    """Delete forms kept as people typed once they are too old to be wanted."""
    deleted = autosave.forget_old()
    if deleted:
        logger.info("Deleted %s old autosaved forms", deleted)
