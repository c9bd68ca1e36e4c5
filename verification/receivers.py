"""A release is signed as soon as it, or a change to it, reaches the public.

Signing runs after the transaction that made the release public commits, so a
failure here never undoes a publication; the per-minute sweep in ``tasks.py``
signs whatever was missed, and the signed document's address signs on demand.
"""

import logging

from django.db import transaction
from django.dispatch import receiver

from releases import signals
from releases.models import Release
from verification import versions

logger = logging.getLogger(__name__)


@receiver(signals.went_live, sender=Release)
@receiver(signals.corrected, sender=Release)
@receiver(signals.approved, sender=Release)
@receiver(signals.published_alone, sender=Release)
def sign_when_public(sender, release, **kwargs):
    transaction.on_commit(lambda: _sign(release.pk))


def _sign(release_id):
    release = Release.objects.filter(pk=release_id).first()
    if release is None:
        return
    try:
        versions.sign_release(release)
    except Exception:
        logger.exception("Signing release %s failed; the sweep tries again", release_id)
