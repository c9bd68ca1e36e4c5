"""The publication spike: 200 cached release pages, 16 clients, then a publish or a correction.

Starts gunicorn (2 sync workers) on 127.0.0.1, requests every page until each worker holds it,
measures the trivial view, then loads the 200 release pages from 16 clients and, 2 s in,
publishes a release (or corrects one of the 200): requests per second and errors in each of
the following seconds, as a ratio to the trivial view and to the steady rate before. With
``--baseline DIR`` (another checkout of the pressroom, such as the previous version) the same
scenarios run against it too, in the same run, on the same database.
"""

import os
import time
from pathlib import Path

from bench import ROOT, argument_parser, is_full_run
from bench.proxy import Load
from bench.report import destination, finished_at, machine_table, write_section
from bench.seed import empty_page_store, seed_for_spike, use_database
from bench.server import get, start_gunicorn, stop

SIZING = ["releases", "pages", "clients", "spike_seconds"]
BEFORE = 2  # seconds of steady load measured before the publish


def spike(load, port, paths, seconds, event):
    """Load ``paths``; after BEFORE s call ``event``; the steady rate and each second after."""
    futures = load.start(port, paths, BEFORE + 0.5 + seconds)
    time.sleep(BEFORE + 0.5)
    at = time.time()
    event()
    done = load.results(futures)
    steady = sum(1 for when, _status in done if at - BEFORE <= when < at) / BEFORE
    seconds_after = []
    for second in range(seconds):
        inside = [status for when, status in done if at + second <= when < at + second + 1]
        errors = sum(1 for status in inside if status != 200)
        seconds_after.append((len(inside) - errors, errors))
    return steady, seconds_after


def main():
    parser = argument_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=20_000)
    parser.add_argument("--pages", type=int, default=200, help="different release pages")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--spike-seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8125)
    parser.add_argument("--keep-data", action="store_true", help="reuse an earlier seeding")
    parser.add_argument(
        "--baseline", default="", help="another checkout to run the same scenarios against"
    )
    args = parser.parse_args()
    full = is_full_run(parser, args, SIZING)
    load_before = os.getloadavg()[0]
    use_database(args.database_url)
    from django.db import connection
    from django.utils import translation

    from releases.models import Release, ReleaseKind, Status

    editor, officer, pages = seed_for_spike(args, "spike")
    with translation.override("en"):
        paths = [release.get_absolute_url() for release in pages]
    empty_page_store()
    connection.close()

    def publish():
        stamp = time.strftime("%H%M%S")
        release = Release.objects.create(
            kind=ReleaseKind.NEWS,
            status=Status.SUBMITTED,
            submitted_by=officer,
            title_en=f"Spike {stamp}",
            slug_en=f"spike-{stamp}-{time.monotonic_ns()}",
            lead_en="A release published while every page is cached.",
            notify_subscribers=False,
        )
        release.publish(by=editor, notify=False)

    def correct():
        release = Release.objects.get(pk=pages[len(pages) // 2].pk)
        release.lead_en = f"{release.lead_en} (corrected {time.strftime('%H:%M:%S')})"
        release.save()

    runs = [("this version", ROOT)]
    if args.baseline:
        runs.insert(0, ("baseline", Path(args.baseline).resolve()))
    load = Load(args.clients)
    trivial, results = None, []
    try:
        for label, code in runs:
            app = start_gunicorn(args.port, 2, cwd=code)
            try:
                for _n in range(2):
                    for path in paths:
                        get(args.port, path)
                if trivial is None:
                    trivial, _failed = load.rate(args.port, ["/healthz"], 3)
                    print(f"  trivial view: {trivial:,.0f} req/s", flush=True)
                for event_name, event in (("publish", publish), ("correction", correct)):
                    steady, after = spike(load, args.port, paths, args.spike_seconds, event)
                    results.append((label, event_name, steady, after))
                    print(
                        f"  {label}, {event_name}: steady {steady:,.0f} req/s; after: "
                        + ", ".join(f"{good}" for good, _errors in after),
                        flush=True,
                    )
                    connection.close()
            finally:
                stop(app)
    finally:
        load.close()

    lines = [
        "## Publication spike",
        "",
        f"`.venv/bin/python -m bench.spike` with {Release.objects.count():,} releases: gunicorn "
        f"(2 sync workers); {args.pages} cached release pages loaded by {args.clients} client "
        "connections from this script in two processes on the same machine; 2 s of steady load, "
        "then a release published (`Release.publish`) or one of the pages' releases corrected "
        "(saved with a changed lead), and the requests answered in each following second. "
        + (
            "The baseline is the previous version of the code, run in the same run against "
            "the same database."
            if args.baseline
            else ""
        ),
        "",
        f"Last run: {finished_at()}.",
        "",
        *machine_table(load_before),
        "",
        f"Trivial view (`/healthz`): {trivial:,.0f} req/s.",
        "",
    ]
    header = " | ".join(f"{s}–{s + 1} s" for s in range(args.spike_seconds))
    lines += [
        f"| code | event | steady req/s (× trivial) | {header} | errors |",
        "|---|---|---:|" + "---:|" * args.spike_seconds + "---:|",
    ]
    for label, event_name, steady, after in results:
        ratios = " | ".join(f"{good / trivial:.2f}" for good, _errors in after)
        errors = sum(errors for _good, errors in after)
        lines.append(
            f"| {label} | {event_name} | {steady:,.0f} ({steady / trivial:.2f}) | {ratios} "
            f"| {errors} |"
        )
    lines += [
        "",
        "Each second's figure is the requests answered 200 in that second after the event, as a "
        "ratio to the trivial view. The lowest of those seconds as a ratio to the steady rate "
        "just before the event (the issue's goal: ≥ 0.5 in every second):",
        "",
    ]
    lines += [
        f"- {label}, {event_name}: lowest second {min(good for good, _e in after) / steady:.2f} "
        "× steady"
        for label, event_name, steady, after in results
        if steady
    ]
    path = destination(full, args.output)
    write_section(path, "## Publication spike", "\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"Written to {path}")


if __name__ == "__main__":
    main()
