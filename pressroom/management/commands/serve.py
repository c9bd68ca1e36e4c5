"""Prepare the database and run the whole pressroom: web server and task worker.

This is what ``python3 run.py`` ends in. It migrates, compiles translations,
collects static files, loads the demo content, then runs gunicorn and the
task worker side by side until Ctrl-C, and stops them both. A child that exits
(a crash, a database outage it could not wait out) is started again after a
pause that grows while it keeps failing, so the site never stops for one of them.
"""

import logging
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from pressroom import demo
from pressroom.demo import DEMO_ACCOUNTS

logger = logging.getLogger("pressroom.serve")

PAUSES = (1, 2, 4, 8, 16, 30)
# A child that ran this long before it exited was healthy; its pauses start again.
HEALTHY_RUN = 60


class Child:
    """One process of the pressroom, started again whenever it exits."""

    def __init__(self, name, command, env=None):
        self.name, self.command, self.env = name, command, env
        self.process, self.started_at, self.restart_at, self.quick_exits = None, 0, None, 0

    def start(self):
        self.process = subprocess.Popen(self.command, cwd=settings.BASE_DIR, env=self.env)
        self.started_at, self.restart_at = time.monotonic(), None

    def keep_running(self):
        if self.restart_at is not None:
            if time.monotonic() >= self.restart_at:
                self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        ran = time.monotonic() - self.started_at
        self.quick_exits = 0 if ran > HEALTHY_RUN else self.quick_exits + 1
        pause = PAUSES[min(max(self.quick_exits - 1, 0), len(PAUSES) - 1)]
        logger.error("The %s exited (code %s); starting it again in %s s", self.name, code, pause)
        self.restart_at = time.monotonic() + pause

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def site_url(bind, environ=os.environ):
    """The address readers use: ``SITE_URL`` when it is set; else, for a web server bound to
    this machine's loopback on another port than the default, that address, so that links in
    pages and emails lead somewhere (``--bind 127.0.0.1:8011`` gave links to port 8000)."""
    host, _sep, port = bind.rpartition(":")
    if environ.get("SITE_URL") or host not in ("127.0.0.1", "localhost") or not port.isdigit():
        return settings.SITE_URL
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Migrate, load the demo content and run the web server and the worker together."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("BIND", "127.0.0.1:8000"),
            help="Address for the web server (default 127.0.0.1:8000).",
        )
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo content.")

    def handle(self, *args, bind, web_workers, no_demo, **options):
        self.stdout.write("Preparing the database …")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("compiletranslations", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo:
            call_command("load_demo", verbosity=0)

        python = sys.executable
        url = site_url(bind)
        children = [
            Child(
                "web server",
                [
                    python,
                    "-m",
                    "gunicorn",
                    "pressroom.wsgi",
                    "--bind",
                    bind,
                    "--workers",
                    str(web_workers),
                    "--access-logfile",
                    "-",
                    "--forwarded-allow-ips",
                    "127.0.0.1",
                ],
                # Each request checks its reused connection first, so that no reader
                # sees an error after the database restarted (unless set otherwise).
                env={"CONN_HEALTH_CHECKS": "true", **os.environ, "SITE_URL": url},
            ),
            Child("worker", [python, "manage.py", "worker"], {**os.environ, "SITE_URL": url}),
        ]
        for child in children:
            child.start()
        self._announce(url, no_demo)

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for child in children:
                    child.keep_running()
                time.sleep(0.5)
        finally:
            for child in children:
                child.stop()
            self.stdout.write("Stopped the web server and the worker.")

    def _announce(self, url, no_demo):
        lines = [
            "",
            f"  The pressroom is running at {url}/",
            f"    English: {url}/en/    Danish: {url}/da/",
            f"    Admin:   {url}/admin/",
        ]
        if not no_demo:
            lines.append("  Demo logins (user / password):")
            lines += [
                f"    {role:<14} {user} / {password}" for role, user, password in DEMO_ACCOUNTS
            ]
            lines += [
                "  Editors also give a second factor: the key in an authenticator app, or a",
                "  recovery code (each works once; new ones are made at every start):",
            ]
            lines += [
                f"    {user:<8} key {demo.demo_key(user)}"
                f"   recovery codes {' '.join(demo.demo_recovery_codes(user))}"
                for user in demo.DEMO_TOTP_KEYS
            ]
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            lines.append(f"  Emails are written as files to {settings.EMAIL_FILE_PATH}")
        lines += ["  Press Ctrl-C to stop.", ""]
        self.stdout.write("\n".join(lines))
