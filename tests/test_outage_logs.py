"""The worker reports a database outage once: tasks failing with it leave no traceback."""

import logging
import sys

import psycopg
from django.db import utils

from pressroom.logs import WorkerOutageFilter


def record_of(error):
    try:
        raise error
    except Exception:  # noqa: BLE001 (any error, as a task's logger would see it)
        exc_info = sys.exc_info()
    return logging.LogRecord("verification", logging.ERROR, __file__, 1, "failed", (), exc_info)


def django_error_from(cause):
    try:
        try:
            raise cause
        except psycopg.Error as error:
            raise utils.InterfaceError(str(error)) from error
    except utils.InterfaceError as wrapped:
        return wrapped


def test_a_task_failing_because_the_database_went_leaves_no_traceback():
    outage = WorkerOutageFilter()
    assert not outage.filter(record_of(django_error_from(psycopg.InterfaceError("closed"))))
    assert not outage.filter(record_of(psycopg.OperationalError("server closed the connection")))


def test_any_other_failure_is_reported_with_its_traceback():
    outage = WorkerOutageFilter()
    assert outage.filter(record_of(ValueError("a real bug")))
    assert outage.filter(logging.LogRecord("x", logging.INFO, __file__, 1, "plain", (), None))
