"""Logging filters: one line per database outage, not a traceback per failed connection."""

import logging

import psycopg
import psycopg_pool

# A refused or lost connection, and a connection used after the server closed it.
OUTAGE_ERRORS = (psycopg.OperationalError, psycopg.InterfaceError, psycopg_pool.PoolTimeout)


def caused_by_outage(error):
    """True if ``error``, or any error it was raised from, is a lost or refused connection."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OUTAGE_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


class DatabaseOutageFilter(logging.Filter):
    """Drops the task queue's and the connection pool's reports of a lost database.

    During an outage they repeat on every attempt to reconnect; ``manage.py
    worker`` logs the outage once when it starts and once when it ends instead.
    """

    def filter(self, record):
        if record.name.startswith("psycopg.pool") and record.levelno < logging.ERROR:
            return False
        if record.name.startswith("procrastinate") and record.exc_info:
            return not caused_by_outage(record.exc_info[1])
        return True


class WorkerOutageFilter(logging.Filter):
    """In the worker, any report of a task that failed because the database went away.

    A job or a sweep running when the database restarts fails with it (its work is
    done again once the database answers: stalled jobs are retried, sweeps run each
    minute); the worker command reports the outage itself, once.
    """

    def filter(self, record):
        return not (record.exc_info and caused_by_outage(record.exc_info[1]))
