"""Keeping the task queue itself healthy: jobs of dead workers run again, old jobs go."""

import datetime
import logging

from django.db.models import Count, Max, Q
from django.utils import timezone
from procrastinate import exceptions
from procrastinate.contrib.django import app
from procrastinate.jobs import Status

logger = logging.getLogger(__name__)

# Seconds without a heartbeat after which a worker counts as dead. Workers send
# one every 10 seconds (Procrastinate's default), so a live worker, even one deep
# in a long job, is never mistaken for a dead one.
STALLED_AFTER = 60
# A job that stalled this many times (it may be what kills its worker) fails for good.
MAX_ATTEMPTS = 5


def worker_health():
    """(live workers, seconds since the newest heartbeat or None): for monitoring and the admin."""
    from procrastinate.contrib.django.models import ProcrastinateWorker

    now = timezone.now()
    workers = ProcrastinateWorker.objects.aggregate(
        newest=Max("last_heartbeat"),
        alive=Count(
            "pk",
            filter=Q(last_heartbeat__gte=now - datetime.timedelta(seconds=STALLED_AFTER)),
        ),
    )
    age = (now - workers["newest"]).total_seconds() if workers["newest"] else None
    return workers["alive"], age


@app.periodic(cron="* * * * *", periodic_id="retry-stalled-jobs")
@app.task(name="pressroom.retry_stalled_jobs", queue="publishing", queueing_lock="retry-stalled")
async def retry_stalled_jobs(timestamp):
    """Queue again the jobs a dead worker was running; every job may safely run twice."""
    manager = app.job_manager
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER):
        if job.attempts + 1 >= MAX_ATTEMPTS:
            logger.error("Job %s stalled %s times; giving up", job.call_string, job.attempts + 1)
            await manager.finish_job(job, status=Status.FAILED, delete_job=False)
            continue
        try:
            await manager.retry_job(job)
        except exceptions.UniqueViolation:
            # A newer job with the same queueing lock is waiting and does the same work.
            await manager.finish_job(job, status=Status.FAILED, delete_job=False)
        else:
            logger.warning("Job %s of a dead worker queued again", job.call_string)


# Finished jobs are kept a day for inspection, then deleted: the arguments of
# sign-up and link jobs hold the email addresses people typed in.
FINISHED_JOBS_KEPT_HOURS = 24


@app.periodic(cron="43 3 * * *", periodic_id="remove-finished-jobs")
@app.task(name="pressroom.remove_finished_jobs", queue="email", queueing_lock="remove-jobs")
async def remove_finished_jobs(timestamp):
    """Delete jobs that ended (succeeded, failed, cancelled or aborted) over a day ago."""
    await app.job_manager.delete_old_jobs(
        nb_hours=FINISHED_JOBS_KEPT_HOURS,
        include_failed=True,
        include_cancelled=True,
        include_aborted=True,
    )
