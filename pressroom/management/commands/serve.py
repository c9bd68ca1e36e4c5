"""Prepare the database and run the whole pressroom: web server and task worker.

This is what ``python3 run.py`` ends in. It migrates, compiles translations,
collects static files, loads the demo content, then runs gunicorn and the
Procrastinate worker side by side until Ctrl-C, and stops them both.
"""

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
        children = [
            subprocess.Popen(
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
                ]
            ),
            subprocess.Popen(
                [python, "manage.py", "procrastinate", "worker"], cwd=settings.BASE_DIR
            ),
        ]
        self._announce(bind, no_demo)

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    child.kill()
            self.stdout.write("Stopped the web server and the worker.")

    def _announce(self, bind, no_demo):
        url = settings.SITE_URL
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
