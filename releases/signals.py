"""What happens to a release, announced for the apps above to act on (subscriptions listen).

Every signal is sent with ``sender=Release`` and the arguments ``release`` and
``by`` (the user who did it, or None when the worker did); ``corrected`` also
carries ``correction``. They are sent inside the transaction that records the
change (``went_live`` and ``corrected`` always), so that what receivers write in
the database commits or rolls back with it: the emails a release or correction
needs are queued with it or not at all. A receiver that starts work outside the
database (a task, an email) defers it with ``transaction.on_commit``.
``went_live`` is sent once per going live: the transaction that sends it also
records it (``Release.announced_at``), and the job and the sweep that may race
to send it take turns on the release's row.

The editorial desk's signals also carry ``event`` (the ReleaseEvent recorded for
the step) and ``revision`` (the ReleaseRevision it concerns): ``submitted`` (a
revision waits for review: a draft submitted, or a change to an approved release),
``sent_back`` (the reviewer's comment is ``event.note``), ``approved``,
``published_alone`` (an emergency publication without review) and
``approved_afterwards`` (its review after the fact).
"""

from django.dispatch import Signal

submitted = Signal()
went_live = Signal()
corrected = Signal()
withdrawn = Signal()
unpublished = Signal()

sent_back = Signal()
approved = Signal()
published_alone = Signal()
approved_afterwards = Signal()
