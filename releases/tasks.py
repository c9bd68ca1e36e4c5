"""Work the Procrastinate worker does for releases: going live on time."""

import logging

from procrastinate.contrib.django import app

from releases import search, signals
from releases.models import Release, Status

logger = logging.getLogger(__name__)


@app.task(name="releases.go_live", queue="publishing", retry=5)
def go_live(release_id):
    """Mark a release live once its time has come, and announce that it went live."""
    release = Release.objects.filter(pk=release_id).first()
    if release is None or not release.is_public():
        return  # rescheduled, returned to draft or unpublished since the job was queued
    if release.status == Status.SCHEDULED:
        release.mark_live()
    logger.info("Release %s is live", release.pk)
    signals.went_live.send(sender=Release, release=release, by=None)


@app.periodic(cron="* * * * *", periodic_id="releases-go-live-sweep")
@app.task(name="releases.go_live_sweep", queue="publishing", queueing_lock="go-live-sweep")
def go_live_sweep(timestamp):
    """A safety net: any scheduled release whose time has passed is marked live."""
    for release_id in Release.objects.due().values_list("pk", flat=True):
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
