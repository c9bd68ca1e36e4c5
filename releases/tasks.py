"""Work the Procrastinate worker does for releases: going live on time, late but never lost."""

import logging

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from releases import embargo, search
from releases.models import Release

logger = logging.getLogger(__name__)


@app.task(
    name="releases.go_live",
    queue="publishing",
    retry=RetryStrategy(max_attempts=5, exponential_wait=2),
)
def go_live(release_id):
    """Complete a release's going live, if it is due and not yet done."""
    release = Release.objects.filter(pk=release_id).first()
    # Rescheduled, returned to draft or unpublished since the job was queued,
    # or completed already (by the sweep, or an earlier run of this job).
    if release is not None and release.go_live():
        logger.info("Release %s went live", release.pk)


@app.periodic(cron="* * * * *", periodic_id="releases-go-live-sweep")
@app.task(name="releases.go_live_sweep", queue="publishing", queueing_lock="go-live-sweep")
def go_live_sweep(timestamp):
    """A safety net: complete the going live of every public release not yet announced.

    Whatever stopped it (a job lost, a worker killed, the database gone for a
    moment), the release goes live within a minute of the worker coming back.
    """
    for release_id in Release.objects.awaiting_go_live().values_list("pk", flat=True):
        go_live(release_id)


def defer_go_live(release):
    """Queue the go-live job for the release's publication time (now, if it is due)."""
    go_live.configure(schedule_at=release.published_at, lock=f"release-{release.pk}").defer(
        release_id=release.pk
    )


@app.periodic(cron="* * * * *", periodic_id="releases-search-words")
@app.task(name="releases.search_words", queue="publishing", queueing_lock="search-words")
def search_words(timestamp):
    """Typo suggestions follow what the public sees: rebuilt within a minute of a change."""
    search.refresh_words_if_changed()


@app.task(name="releases.send_embargo_links", queue="publishing", retry=3)
def send_embargo_links(link_ids):
    """Email journalists their personal embargo links."""
    return embargo.send_links(link_ids)


@app.periodic(cron="* * * * *", periodic_id="releases-rights-sweep")
@app.task(name="releases.rights_sweep", queue="publishing", queueing_lock="rights-sweep")
def rights_sweep(timestamp):
    """Images whose rights run out: editors hear a week before; at the moment, the pages
    that show them are rendered again (the release counts as changed) within a minute."""
    from releases import rights

    rights.release_lapsed()
    rights.send_expiry_notices()
