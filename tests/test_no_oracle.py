"""No oracle: what a subscriber-facing request answers, and how long it takes, tells nothing.

Known and unknown addresses are posted in a shuffled order, with mail going to
a real SMTP server, and timed. The test fails when the times are separable:
when the chance that a known address's request is slower than an unknown one's
(the Mann–Whitney probability, 0.5 for no difference) is further from 0.5 than
chance allows at the 0.1 % level. The shuffling spreads the noise of a busy
machine over both sides alike.
"""

import asyncio
import math
import random
import statistics
import threading
import time

import pytest
from asgiref.sync import sync_to_async
from django.db import connection, connections
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from pressroom import tasks as pressroom_tasks
from subscriptions import tasks
from tests.conftest import make_subscriber, run_queued_jobs
from tests.test_subscriptions import sign_up_data

PER_SIDE = 100


@pytest.fixture(autouse=True)
def no_client_limit(cache_table, settings):
    settings.SUBSCRIBE_LIMIT_PER_CLIENT = 10**6


def probability_slower(first, second):
    """The chance that a time from ``first`` exceeds one from ``second`` (ties count half)."""
    wins = sum((a > b) + (a == b) / 2 for a in first for b in second)
    return wins / (len(first) * len(second))


def separable(first, second):
    """True if the two samples differ beyond chance at the 0.1 % level (two-sided)."""
    n, m = len(first), len(second)
    spread = math.sqrt((n + m + 1) / (12 * n * m))  # of the probability, if no difference
    return abs(probability_slower(first, second) - 0.5) > 3.29 * spread


def timed(client, url, requests):
    """Post each (kind, data) in turn; the times in milliseconds per kind."""
    times = {"known": [], "unknown": []}
    for kind, data in requests:
        start = time.perf_counter()
        response = client.post(url, data)
        times[kind].append((time.perf_counter() - start) * 1000)
        assert (response.status_code, response["Location"]) == (
            302,
            reverse("subscriptions:check-inbox"),
        )
    return times


def report(name, times):
    known, unknown = times["known"], times["unknown"]
    print(
        f"{name}: median known {statistics.median(known):.2f} ms, unknown "
        f"{statistics.median(unknown):.2f} ms, known slower in "
        f"{probability_slower(known, unknown):.0%} of pairs"
    )
    return separable(known, unknown)


def shuffled(known, unknown, data):
    requests = [("known", data(a)) for a in known] + [("unknown", data(a)) for a in unknown]
    random.Random(11).shuffle(requests)
    return requests


def test_send_me_my_link_takes_the_same_time_for_known_and_unknown_addresses(client, profile, smtp):
    known = [make_subscriber(f"known{n}@example.org").email for n in range(PER_SIDE + 10)]
    unknown = [f"unknown{n}@example.org" for n in range(PER_SIDE + 10)]
    url = reverse("subscriptions:send-link")
    timed(client, url, shuffled(known[:10], unknown[:10], lambda a: {"email": a}))  # warm up

    times = timed(client, url, shuffled(known[10:], unknown[10:], lambda a: {"email": a}))

    assert not report("send my link", times)
    assert smtp.messages == []  # nothing was sent while answering
    run_queued_jobs()
    assert len(smtp.messages) == PER_SIDE + 10  # the known addresses got their links


def test_signing_up_takes_the_same_time_for_known_and_new_addresses(client, profile, smtp):
    known = [make_subscriber(f"known{n}@example.org").email for n in range(PER_SIDE + 10)]
    new = [f"new{n}@example.org" for n in range(PER_SIDE + 10)]
    url = reverse("subscriptions:subscribe")
    timed(client, url, shuffled(known[:10], new[:10], sign_up_data))  # warm up

    times = timed(client, url, shuffled(known[10:], new[10:], sign_up_data))

    assert not report("sign-up", times)
    assert smtp.messages == []


def test_finished_jobs_and_the_addresses_in_them_are_deleted_after_a_day(transactional_db):
    tasks.send_link.defer(email="old@example.org")
    tasks.send_link.defer(email="recent@example.org")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET status = 'succeeded'")
        cursor.execute(
            "UPDATE procrastinate_events SET at = now() - interval '25 hours' WHERE job_id IN "
            "(SELECT id FROM procrastinate_jobs WHERE args->>'email' = 'old@example.org')"
        )

    async def nightly():
        await pressroom_tasks.remove_finished_jobs(timestamp=0)
        await sync_to_async(connections.close_all)()  # the connection asgiref's thread opened

    # In a thread of its own: Playwright may keep an event loop in this one.
    thread = threading.Thread(target=lambda: asyncio.run(nightly()))
    thread.start()
    thread.join()

    left = ProcrastinateJob.objects.filter(task_name="subscriptions.send_link")
    assert [job.args["email"] for job in left] == ["recent@example.org"]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE procrastinate_jobs CASCADE")
