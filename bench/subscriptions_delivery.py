#!/usr/bin/env python3
"""Benchmark: one release to many confirmed subscribers through a local SMTP sink.

    .venv/bin/python bench/subscriptions_delivery.py [--subscribers 100000] [--small 10000]

Uses its own database (``pressroom_bench``) on the embedded PostgreSQL, or on
the server of ``DATABASE_URL`` through the libpq variables PGHOST/PGPORT/PGUSER.
For each run it starts an aiosmtpd sink in its own process, queues the release
with ``release_went_live`` (one INSERT … SELECT), then runs real
``manage.py procrastinate worker --one-shot`` processes and reports messages per
second, the time to the last delivery, and each worker's peak memory (RSS).
First it measures the sink's own rate with a trivial sender: one connection,
one tiny message sent over and over.
"""

import argparse
import contextlib
import multiprocessing
import os
import secrets
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "pressroom_bench"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sink_process(port, count, ready):
    """An SMTP server that accepts everything and counts the messages."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)

    class Counter:
        async def handle_DATA(self, server, session, envelope):
            with count.get_lock():
                count.value += 1
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


class Sink:
    def __init__(self):
        self.port = free_port()
        self.count = multiprocessing.Value("q", 0)
        ready = multiprocessing.Event()
        self.process = multiprocessing.Process(
            target=sink_process, args=(self.port, self.count, ready), daemon=True
        )
        self.process.start()
        ready.wait(30)

    def stop(self):
        self.process.terminate()
        self.process.join()


def trivial_sender_rate(sink, messages, lines=1):
    """The sink's own rate: one connection, one fixed message, as fast as it goes."""
    text = "x" * 60 + "\r\n"
    body = "Subject: x\r\nFrom: a@example.org\r\nTo: b@example.org\r\n\r\n" + text * lines
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
        for _ in range(messages):
            smtp.sendmail("a@example.org", ["b@example.org"], body)
    return messages / (time.perf_counter() - start)


def database_environment():
    """Environment that points Django and libpq at the benchmark database."""
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(50))
    env["ALLOWED_HOSTS"] = "localhost"
    env["LOG_LEVEL"] = "WARNING"
    env["SITE_URL"] = "http://localhost"
    if not env.get("PGHOST"):
        sys.path.insert(0, str(ROOT))
        from pressroom import embedded

        info = embedded.server(ROOT / "var", DATABASE)
        env.update(PGHOST=str(info.socket_dir), PGPORT=str(info.port), PGUSER="postgres")
    env["DATABASE_URL"] = f"postgres:///{DATABASE}"
    return env


def setup_django(env):
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pressroom.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prepare(subscribers):
    """``subscribers`` confirmed subscribers and one fresh release; returns the release."""
    from django.db import connection
    from django.utils import timezone

    from core.models import PressroomProfile
    from releases.models import Release, Status
    from subscriptions.models import CONSENT_VERSION, Delivery, Subscriber

    Delivery.objects.all().delete()
    Subscriber.objects.all().delete()
    # Releases another benchmark left in this database (one may be due to go live)
    # must not be mailed along with this run's release.
    Release.objects.update(notify_subscribers=False)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")
        cursor.execute(
            f"""
            INSERT INTO {Subscriber._meta.db_table}
                (email, language, all_releases, kinds, frequency, status, key,
                 consent_version, consented_at, created_at, confirmed_at, hard_bounces)
            SELECT 'reader' || n || '@example.org', CASE WHEN n %% 3 = 0 THEN 'da' ELSE 'en' END,
                   true, '{{}}', 'immediately', 'confirmed', md5(n::text), %s, now(), now(),
                   now(), 0
            FROM generate_series(1, %s) AS n
            """,
            [CONSENT_VERSION, subscribers],
        )
    PressroomProfile.objects.get_or_create(
        pk=1, defaults={"title_en": "Pressroom", "organisation_en": "Pressroom"}
    )
    n = Release.objects.count() + 1
    return Release.objects.create(
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        title_en=f"Benchmark release {n}",
        title_da=f"Benchmark-nyhed {n}",
        slug_en=f"benchmark-{n}",
        slug_da=f"benchmark-da-{n}",
        lead_en="One or two sentences that sum up the release.",
        lead_da="En eller to sætninger, der opsummerer nyheden.",
    )


def deliver(env, sink, subscribers, workers, concurrency=1):
    """Queue one release and run ``workers`` worker processes until all is sent."""
    import psutil
    from django.db import connections

    from subscriptions import delivery

    release = prepare(subscribers)
    before = sink.count.value
    start = time.perf_counter()
    queued = delivery.release_went_live(release)
    queued_in = time.perf_counter() - start
    connections.close_all()
    worker_env = {**env, "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}"}
    command = [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot"]
    command += ["--concurrency", str(concurrency)]
    processes = [
        psutil.Popen(command, cwd=ROOT, env=worker_env, stdout=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    peaks = [0] * workers
    while any(p.poll() is None for p in processes):
        for i, process in enumerate(processes):
            with contextlib.suppress(psutil.Error):
                peaks[i] = max(peaks[i], process.memory_info().rss)
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    sent = sink.count.value - before
    return {
        "subscribers": subscribers,
        "workers": workers,
        "concurrency": concurrency,
        "queued": queued,
        "queued_in": queued_in,
        "sent": sent,
        "seconds": elapsed,
        "rate": sent / elapsed,
        "peak_mib": [round(p / 2**20) for p in peaks],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000, help="the run that shows memory")
    args = parser.parse_args()

    env = database_environment()
    setup_django(env)
    sink = Sink()
    try:
        sink_rate = trivial_sender_rate(sink, 20_000)
        print(f"sink, trivial sender, one-line message: {sink_rate:.0f} messages/s", flush=True)
        # A release email is about 3 KB in some 70 lines; the sink reads DATA line by line.
        sized_rate = trivial_sender_rate(sink, 20_000, lines=70)
        print(f"sink, trivial sender, 70-line message: {sized_rate:.0f} messages/s", flush=True)
        results = []
        for subscribers, workers, concurrency in [
            (args.small, 1, 1),
            (args.subscribers, 1, 1),
            (args.subscribers, 2, 1),
            (args.subscribers, 1, 4),
        ]:
            result = deliver(env, sink, subscribers, workers, concurrency)
            results.append(result)
            print(
                f"{result['subscribers']} subscribers, {workers} worker(s) "
                f"running {concurrency} job(s) each: "
                f"queued in {result['queued_in']:.1f} s; {result['sent']} sent in "
                f"{result['seconds']:.1f} s = {result['rate']:.0f} messages/s "
                f"({result['rate'] / sink_rate:.0%} of the sink's one-line rate, "
                f"{result['rate'] / sized_rate:.0%} of its 70-line rate); "
                f"peak RSS per worker {result['peak_mib']} MiB",
                flush=True,
            )
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
