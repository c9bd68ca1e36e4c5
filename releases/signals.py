"""What happens to a release, announced for the apps above to act on (subscriptions listen).

Signals are sent with ``sender=Release`` and the arguments ``release`` and ``by``
(the user who did it, or None when the worker did); ``corrected`` also carries
``correction``. Both are sent inside the transaction that records the change, so
that what receivers write in the database commits or rolls back with it: a
receiver that starts work outside the database (a task, an email) defers it
with ``transaction.on_commit``.
"""

from django.dispatch import Signal

went_live = Signal()
corrected = Signal()
