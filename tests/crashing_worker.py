"""A real worker that kills itself with SIGKILL at one named step; the recovery tests run it.

    python -m tests.crashing_worker STEP

Steps: ``in-go-live`` (deliveries inserted, the go-live transaction not yet
committed), ``before-sending-queued`` (go-live committed, the sending jobs not
yet queued), ``mid-batch`` (the third message of a batch sent and recorded, the
rest of the batch claimed). The worker runs with ``--one-shot``: if the step is
never reached it exits normally, which the tests treat as a failure.
"""

import os
import signal
import sys


def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def arm(step):
    from subscriptions import delivery

    if step == "in-go-live":
        insert = delivery._insert_deliveries

        def insert_then_die(*args, **kwargs):
            insert(*args, **kwargs)
            die()

        delivery._insert_deliveries = insert_then_die
    elif step == "before-sending-queued":
        delivery.defer_sending = die
    elif step == "mid-batch":
        mark_sent, marked = delivery._mark_sent, []

        def mark_then_die(pk):
            mark_sent(pk)
            marked.append(pk)
            if len(marked) == 3:
                die()

        delivery._mark_sent = mark_then_die
    else:
        sys.exit(f"unknown step {step}")


def main(step):
    import django
    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    django.setup()
    arm(step)
    execute_from_command_line(["manage.py", "procrastinate", "worker", "--one-shot"])


if __name__ == "__main__":
    main(sys.argv[1])
