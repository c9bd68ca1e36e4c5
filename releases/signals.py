"""What happens to a release, announced for the apps above to act on (subscriptions listen).

Every signal is sent with ``sender=Release`` and the arguments ``release`` and
``by`` (the user who did it, or None when the worker did); ``corrected`` also
carries ``correction``. They are sent after the change is saved, possibly
inside a transaction: a receiver that starts work outside the database (a
task, an email) defers it with ``transaction.on_commit``. ``went_live`` is sent
by the go-live job each time it finds the release live, which may be more than
once (the per-minute sweep races the job): its receivers must be idempotent.
"""

from django.dispatch import Signal

submitted = Signal()
went_live = Signal()
corrected = Signal()
withdrawn = Signal()
unpublished = Signal()
