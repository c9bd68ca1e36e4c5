"""Delivery of releases to subscribers. Called by the releases worker tasks."""


def release_went_live(release):
    """Queue the release for every confirmed subscriber whose choices match. Idempotent."""


def correction_added(correction):
    """Queue a correction notice for those who received the release. Idempotent."""
