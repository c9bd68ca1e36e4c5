"""A release is signed as soon as it, or a change to it, reaches the public.

Going live signs inside the transaction that makes the release public, so the
signature commits or rolls back with it; an approval signs right after its own
transaction. Signing runs in a savepoint and never stops a publication: if it
fails, the per-minute sweep in ``tasks.py`` (and the verify page, and the signed
document's address) sign what was missed.
"""

import logging

from django.db import transaction
from django.dispatch import receiver

from releases import signals
from releases.models import Release
from verification import versions

logger = logging.getLogger(__name__)


@receiver(signals.went_live, sender=Release)
@receiver(signals.approved, sender=Release)
@receiver(signals.published_alone, sender=Release)
def sign_when_public(sender, release, **kwargs):
    try:
        with transaction.atomic():
            versions.sign_release(release)
    except Exception:
        logger.exception("Signing release %s failed; the sweep signs it", release.pk)
