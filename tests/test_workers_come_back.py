"""Workers that come back: a database restart under a running worker and under ``manage.py serve``.

These tests restart a PostgreSQL server of their own (started with pgserver in
a temporary directory), never the one the other tests share, and send through a
real SMTP server.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pgserver
import psutil
import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection

from subscriptions import delivery
from subscriptions.models import Delivery, DeliveryStatus
from tests.conftest import free_port, make_release, make_subscriber, wait_for


class PrivatePostgres:
    """A PostgreSQL server only these tests use, so that they may stop and start it."""

    def __init__(self, pgdata):
        self.server = pgserver.get_server(pgdata, cleanup_mode="delete")
        info = self.server.get_postmaster_info()
        self.socket_dir, self.port = str(info.socket_dir), info.port
        with self.connect("postgres") as conn:
            conn.execute("CREATE DATABASE pressroom")

    def connect(self, dbname="pressroom"):
        return psycopg.connect(
            host=self.socket_dir, port=self.port, user="postgres", dbname=dbname, autocommit=True
        )

    def query(self, sql):
        with self.connect() as conn:
            return conn.execute(sql).fetchall()

    def restart(self, down_for):
        """Stop the server (fast: every connection is cut), wait, and start it again."""
        pgdata, user = self.server.pgdata, self.server.system_user
        pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
        time.sleep(down_for)
        options = ["-o", '-h ""', "-o", f"-k {self.socket_dir}", "-o", f"-p {self.port}"]
        start = ["-w", *options, "-l", str(self.server.log), "start"]
        pgserver.pg_ctl(start, pgdata=pgdata, user=user, timeout=30)


@pytest.fixture(scope="module")
def postgres():
    # Not under pytest's own temporary directory: the server's system user must reach it.
    server = PrivatePostgres(Path(tempfile.mkdtemp(prefix="pressroom-pg-")))
    yield server
    server.server.cleanup()  # stops it and deletes its files


@pytest.fixture
def environment(postgres, smtp, settings, tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": django_settings.SECRET_KEY,
        "DATABASE_URL": "postgres:///pressroom",
        "PGHOST": postgres.socket_dir,
        "PGPORT": str(postgres.port),
        "PGUSER": "postgres",
        "EMAIL_URL": f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
        "SITE_URL": "http://127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
    }
    manage(env, "migrate", "--verbosity=0")
    manage(env, "createcachetable")
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=django_settings.BASE_DIR, env=env, check=True
    )


def publish_a_release_for_one_reader(env, email):
    """Through Django on the private database: a reader, a release, its go-live job.

    The private database lives for the module, so each test brings its own reader.
    """
    slug = email.split("@")[0].replace(".", "-")
    manage(
        env,
        "shell",
        "-c",
        "from releases import tasks\n"
        "from tests.conftest import make_release, make_subscriber\n"
        f"make_subscriber({email!r})\n"
        f"release = make_release('After the restart', slug_en={slug!r},"
        " announced_at=None)\n"
        "tasks.go_live.defer(release_id=release.pk)\n",
    )


def started(command, env, log):
    return subprocess.Popen(
        command, cwd=django_settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def test_a_worker_waits_out_a_database_restart_and_then_sends(
    postgres, environment, smtp, tmp_path
):
    log = (tmp_path / "worker.log").open("w+")
    worker = started([sys.executable, "manage.py", "worker"], environment, log)
    try:
        assert wait_for(
            lambda: postgres.query("SELECT count(*) FROM procrastinate_workers")[0][0] == 1, 60
        )

        postgres.restart(down_for=2)
        publish_a_release_for_one_reader(environment, "reader@example.org")

        assert wait_for(lambda: len(smtp.messages) == 1, 90)
        assert worker.poll() is None  # still the same process
        assert [m["Subject"] for m in smtp.to("reader@example.org")] == ["After the restart"]
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=30)
    log.seek(0)
    output = log.read()
    print(output)  # shown when the test fails
    lines = output.splitlines()
    assert code == 0
    # One line when the database went, one when it came back; no tracebacks.
    assert sum("The worker stopped" in line for line in lines) == 1
    assert sum("answers again" in line for line in lines) == 1
    assert not [line for line in lines if "Traceback" in line]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def worker_children(serve):
    workers = []
    for child in psutil.Process(serve.pid).children():
        try:
            if "worker" in child.cmdline():
                workers.append(child)
        except psutil.Error:  # exited, not yet collected by serve
            pass
    return workers


def test_serve_starts_a_killed_worker_again_and_the_site_answers_after_a_database_restart(
    postgres, environment, smtp, tmp_path
):
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w+")
    command = [sys.executable, "manage.py", "serve", "--no-demo", "--bind", f"127.0.0.1:{port}"]
    serve = started(command, {**environment, "SITE_URL": site}, log)
    try:
        assert wait_for(lambda: get(f"{site}/healthz/workers") == 200, 180)
        [first_worker] = worker_children(serve)

        first_worker.send_signal(signal.SIGKILL)
        assert wait_for(lambda: worker_children(serve) not in ([], [first_worker]), 30)

        postgres.restart(down_for=2)
        # Every web process checks its connection before using it: no reader sees an error.
        assert [get(f"{site}/en/") for _ in range(6)] == [200] * 6
        publish_a_release_for_one_reader(environment, "second.reader@example.org")
        assert wait_for(lambda: len(smtp.to("second.reader@example.org")) == 1, 90)
        assert get(f"{site}/healthz/workers") == 200
        assert serve.poll() is None
    finally:
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(timeout=60)
        log.seek(0)
        output = log.read()
        print(output)  # shown when the test fails
    assert code == 0
    assert "The worker exited (code -9); starting it again in 1 s" in output


def test_a_message_sent_while_the_database_connection_drops_is_recorded_once(
    transactional_db, profile, smtp, monkeypatch
):
    make_subscriber("reader@example.org")
    delivery.release_went_live(make_release("Handover"))
    sender_send = delivery.Sender.send

    def send_then_lose_the_database(self, message):
        sender_send(self, message)
        # Another session cuts this one's connection before the row is marked sent.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with psycopg.connect(**connection.get_connection_params()) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])

    monkeypatch.setattr(delivery.Sender, "send", send_then_lose_the_database)
    assert delivery.send_due() == 1

    assert len(smtp.messages) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_the_worker_health_check_fails_without_a_recent_heartbeat(client, db):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_workers")
    response = client.get("/healthz/workers")
    assert response.status_code == 503
    assert response.content.decode() == "no live worker\nlive workers: 0\nnewest heartbeat: never\n"

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) VALUES "
            "(now() - interval '5 minutes'), (now() - interval '3 seconds')"
        )
    response = client.get("/healthz/workers")
    assert response.status_code == 200
    status, alive, newest = response.content.decode().splitlines()
    assert (status, alive) == ("ok", "live workers: 1")
    assert newest in ("newest heartbeat: 3 s ago", "newest heartbeat: 4 s ago")
    assert "no-store" in response["Cache-Control"]


def test_serve_gives_links_the_port_it_binds_on_loopback_unless_site_url_is_set(settings):
    from pressroom.management.commands.serve import site_url

    settings.SITE_URL = "http://127.0.0.1:8000"
    assert site_url("127.0.0.1:8011", {}) == "http://127.0.0.1:8011"
    assert site_url("localhost:9000", {}) == "http://localhost:9000"
    assert site_url("127.0.0.1:8000", {}) == "http://127.0.0.1:8000"
    # Set by the operator, or an address readers could not use as it is: SITE_URL stands.
    settings.SITE_URL = "https://press.example.org"
    assert site_url("127.0.0.1:8011", {"SITE_URL": "https://press.example.org"}) == (
        "https://press.example.org"
    )
    assert site_url("0.0.0.0:8011", {}) == "https://press.example.org"
    assert site_url("unix:/run/pressroom.sock", {}) == "https://press.example.org"
