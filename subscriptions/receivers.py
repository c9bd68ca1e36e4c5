"""What subscriptions do when releases announce a change: queue the emails, after the commit."""

from django.db import transaction
from django.dispatch import receiver

from releases import signals
from subscriptions import delivery


@receiver(signals.went_live, dispatch_uid="subscriptions-release-went-live")
def queue_release(sender, release, **kwargs):
    """Email a release that went live to its subscribers, unless it was published quietly."""
    if release.notify_subscribers:
        transaction.on_commit(lambda: delivery.release_went_live(release))


@receiver(signals.corrected, dispatch_uid="subscriptions-release-corrected")
def queue_correction(sender, correction, **kwargs):
    """Email a correction, if asked to, to those who received the release."""
    if correction.notify_subscribers:
        transaction.on_commit(lambda: delivery.correction_added(correction))
