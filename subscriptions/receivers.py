"""What subscriptions do when releases announce a change: queue emails in the same transaction."""

from django.dispatch import receiver

from releases import signals
from subscriptions import delivery


@receiver(signals.went_live, dispatch_uid="subscriptions-release-went-live")
def queue_release(sender, release, **kwargs):
    """Queue a release that went live for its subscribers, unless it was published quietly."""
    if release.notify_subscribers:
        delivery.release_went_live(release)


@receiver(signals.corrected, dispatch_uid="subscriptions-release-corrected")
def queue_correction(sender, correction, **kwargs):
    """Queue a correction, if asked to, for those who received the release."""
    if correction.notify_subscribers:
        delivery.correction_added(correction)
