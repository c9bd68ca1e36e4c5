"""A web process's memory under distinct junk queries: ``/sitemap.xml?j=N`` and ``/en/?j=N``.

Starts gunicorn with one sync worker on the database ``DATABASE_URL`` names (the
demo content is loaded if missing), warms the pages, then sends ``--requests``
requests with a new junk parameter each and prints the worker's resident memory
before and after, and every 2,000 requests. Prints only; the figure is quoted in
the README's reliability section.
"""

import argparse
import os
import time

from bench import ROOT
from bench.server import get, start_gunicorn, stop

PATHS = ("/sitemap.xml", "/en/")


def resident_mb(pid):
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def worker_pid(master):
    with open(f"/proc/{master.pid}/task/{master.pid}/children") as children:
        return int(children.read().split()[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    os.chdir(ROOT)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)

    server = start_gunicorn(args.port, workers=1)
    try:
        pid = worker_pid(server)
        for path in PATHS:
            for _n in range(3):
                assert get(args.port, path)[0] == 200
        before = resident_mb(pid)
        print(f"worker {pid}: {before:.1f} MB after warming")
        began = time.monotonic()
        for number in range(args.requests):
            status, _body = get(args.port, f"{PATHS[number % 2]}?j={number}")
            assert status == 200, status
            if (number + 1) % 2000 == 0:
                print(f"{number + 1:>6} junk requests: {resident_mb(pid):.1f} MB")
        after = resident_mb(pid)
        seconds = time.monotonic() - began
        print(
            f"{args.requests} junk requests in {seconds:.0f} s: {before:.1f} MB -> {after:.1f} MB "
            f"({after - before:+.1f} MB)"
        )
    finally:
        stop(server)


if __name__ == "__main__":
    main()
