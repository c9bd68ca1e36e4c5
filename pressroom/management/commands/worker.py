"""Run the task worker and keep it running: through a database outage it waits, then starts again.

Procrastinate's worker stops when it loses the database (its listener or
heartbeat fails). This command runs it, and when it stops for any reason but a
signal, logs the outage once, waits for the database with a growing pause
(1, 2, 4 … 30 seconds), logs its return once and starts a fresh worker. The
jobs it was running when the database went are run again by the stalled-job
task (``pressroom/tasks.py``), and every job may safely run twice.
"""

import asyncio
import itertools
import logging
import signal
import time

import psycopg
from django.core.management.base import BaseCommand
from django.db import connections
from procrastinate.contrib.django import app
from procrastinate.contrib.django.utils import connector_params

from pressroom.logs import WorkerOutageFilter

logger = logging.getLogger("pressroom.worker")

PAUSES = (1, 2, 4, 8, 16, 30)
# A worker that ran this long before it stopped was healthy; the pauses start again.
HEALTHY_RUN = 60


class Command(BaseCommand):
    help = "Run the task worker; wait out database outages instead of exiting."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queues", default="", help="Comma-separated queues to work on (default: all)."
        )
        parser.add_argument("--concurrency", type=int, default=1, help="Jobs run at the same time.")

    def handle(self, *args, queues, concurrency, **options):
        # Every task checks its connection before using it, so the first task
        # after an outage reconnects instead of failing on a dead socket.
        connections.settings["default"]["CONN_HEALTH_CHECKS"] = True
        for handler in logging.getLogger().handlers:
            handler.addFilter(WorkerOutageFilter())
        self.stopping, self.loop, self.task = False, None, None
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)
        worker_options = {
            "queues": [name for name in queues.split(",") if name] or None,
            "concurrency": concurrency,
            "install_signal_handlers": False,
        }
        quick_stops = 0
        with app.replace_connector(app.connector.get_worker_connector()):
            while not self.stopping:
                started = time.monotonic()
                error = asyncio.run(self.run_worker(worker_options))
                if self.stopping:
                    break
                # A worker that keeps stopping soon after its start waits longer each time.
                quick_stops = 0 if time.monotonic() - started > HEALTHY_RUN else quick_stops + 1
                self.wait_for_database(error, first=min(max(quick_stops - 1, 0), len(PAUSES) - 1))
        logger.info("Worker stopped")

    def stop(self, signum, frame):
        self.stopping = True
        if self.task is not None:
            # Procrastinate lets the running jobs finish, then stops.
            self.loop.call_soon_threadsafe(self.task.cancel)

    async def run_worker(self, worker_options):
        """Run one Procrastinate worker until it stops; the error it stopped with, if any."""
        self.loop = asyncio.get_running_loop()
        try:
            async with app.open_async():
                self.task = asyncio.create_task(app.run_worker_async(**worker_options))
                if self.stopping:
                    self.task.cancel()
                await self.task
        except asyncio.CancelledError:
            return None
        except Exception as error:  # noqa: BLE001 (any failure: the outage is logged once)
            return error
        finally:
            self.task = None
        return None

    def wait_for_database(self, error, first):
        lost_at = time.monotonic()
        reason = str(error).strip().splitlines()[0] if error and str(error).strip() else error
        logger.warning(
            "The worker stopped (%s); it starts again when the database answers",
            reason or "its database connection failed",
        )
        for pause in itertools.chain(PAUSES[first:], itertools.repeat(PAUSES[-1])):
            self.sleep(pause)
            if self.stopping or self.database_answers():
                break
        if not self.stopping:
            logger.warning(
                "The database answers again after %.0f s; the worker starts again",
                time.monotonic() - lost_at,
            )

    def sleep(self, seconds):
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, deadline - time.monotonic()))

    @staticmethod
    def database_answers():
        try:
            with psycopg.connect(**connector_params(), connect_timeout=5) as connection:
                connection.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True
