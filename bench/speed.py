"""Every row of the speed table in one run: cached pages, 304s, renders, the spike, the proxy.

Measured the way the table was first measured: gunicorn with 2 sync workers on 127.0.0.1 and
Debian's `wrk -t2 -c16` from the same machine, each rate a ratio to the trivial view
(`/healthz`) in the same run; renders in process (`bench.render_times`); the publication spike
with this package's own client, which counts each second apart (`bench.spike`); and nginx with
`deploy/nginx.conf` in front (started by `bench.proxy`). The section it writes lists, for each
row, the figure the table gave when the work began, this run's figure and the goal.
"""

import http.client
import os
import re
import shutil
import statistics
import subprocess
import time

from bench import argument_parser, is_full_run, var_dir
from bench.proxy import Load, seconds_until, start_nginx
from bench.render_times import render_times
from bench.report import destination, finished_at, machine_table, write_section
from bench.seed import empty_page_store, seed_for_spike, use_database
from bench.server import HOST, get, start_gunicorn, stop
from bench.spike import spike

SIZING = ["releases", "seconds", "pages", "clients", "spike_seconds"]
HEADING = "## The speed table in one run"


def _list_pages(releases):
    """Addresses of list pages other than the first: the whole list, each type and each
    topic, in English and Danish, shuffled."""
    import random

    from django.urls import reverse
    from django.utils import translation

    from releases.models import Release, ReleaseKind, Topic

    listed = Release.objects.published()
    filters = [("", listed.count())]
    for kind in ReleaseKind.values:
        filters.append((f"kind={kind}&", listed.filter(kind=kind).count()))
    topics = list(Topic.objects.all())
    pages = []
    for language in ("en", "da"):
        with translation.override(language):
            base = reverse("releases:list")
            for topic in topics:
                count = listed.filter(topics=topic).count()
                filters.append((f"topic={getattr(topic, f'slug_{language}')}&", count))
            for query, count in filters:
                last = (count + 19) // 20
                pages += [f"{base}?{query}page={n}" for n in range(2, last + 1)]
            del filters[len(filters) - len(topics) :]
    random.Random(releases).shuffle(pages)
    return pages


def _read_release_tables():
    """Read the releases' rows once, as a database that has been serving holds them in memory.

    This machine hands file pages untouched for a while back to its host, and the pages
    rendered under load read old releases at random (a list's deep page, twenty of them): read
    from disk, list pages ran at a fifth of their rate in some runs and not in others.
    """
    from django.db import connection

    from releases.models import Release

    table = connection.ops.quote_name(Release._meta.db_table)
    with connection.cursor() as cursor:
        # A column no index holds: every page of the table is read.
        cursor.execute(f"SELECT count(title_en) FROM {table}")


def wrk(port, paths, seconds, clients, headers=()):
    """Requests per second that ``wrk -t2 -c<clients>`` reached over ``paths``, and failures
    (socket errors and answers other than 2xx and 3xx)."""
    script = var_dir() / "bench" / "wrk-paths.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    listed = ",\n".join(f'  "{path}"' for path in paths)
    script.write_text(
        f"local paths = {{\n{listed}\n}}\n"
        "local i = math.random(#paths)\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
    )
    command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds:g}s", "-s", str(script)]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run(
        [*command, f"http://{HOST}:{port}/"], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    failed = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    if non_2xx := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        failed += int(non_2xx.group(1))
    return rate, failed


def main():
    parser = argument_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="per wrk run")
    parser.add_argument("--pages", type=int, default=200, help="different release pages")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--spike-seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8135)
    parser.add_argument("--keep-data", action="store_true", help="reuse an earlier seeding")
    args = parser.parse_args()
    full = is_full_run(parser, args, SIZING)
    if shutil.which("wrk") is None:
        raise SystemExit("This benchmark needs wrk (Debian: apt-get install wrk).")
    load_before = os.getloadavg()[0]
    use_database(args.database_url)
    from django.db import connection
    from django.urls import reverse
    from django.utils import translation

    from missions import demo as missions_demo
    from missions.models import Mission
    from releases.models import Release, ReleaseKind, Status

    editor, officer, releases = seed_for_spike(args, "speed")
    missions_demo.load()
    mission = Mission.objects.first()
    with translation.override("en"):
        cached = [release.get_absolute_url() for release in releases]
        # Release pages nobody has asked for: each is rendered when wrk first asks for it.
        fresh = [
            release.get_absolute_url()
            for release in Release.objects.published().order_by("-published_at")[
                args.pages : args.pages + 6000
            ]
        ]
    # List pages nobody has asked for, more than wrk asks for in a run (so that each request
    # renders a page, none is served stored): the whole list, by type and by topic, from its
    # second page, in both languages, in a shuffled order.
    lists = _list_pages(args.releases)
    with translation.override("en"):
        renders = [
            ("trivial view", "/healthz"),
            ("home", reverse("home")),
            ("release page", cached[5]),
            ("list", reverse("releases:list")),
            ("mission", mission.get_absolute_url()),
        ]
    # Three rounds; each page's least disturbed median (this machine is shared).
    rendered, rendered_cold = {}, {}
    for _round in range(3):
        for kept, cold in ((rendered, False), (rendered_cold, True)):
            for name, _path, ms, _queries in render_times(renders, 9, cold=cold):
                kept[name] = min(ms, kept.get(name, ms))
    trivial_ms = rendered.pop("trivial view")
    rendered_cold.pop("trivial view")
    connection.close()

    def fresh_release(label):
        stamp = f"{time.strftime('%H%M%S')}-{time.monotonic_ns()}"
        return Release.objects.create(
            kind=ReleaseKind.NEWS,
            status=Status.SUBMITTED,
            submitted_by=officer,
            title_en=f"Speed {label} {stamp}",
            slug_en=f"speed-{label}-{stamp}",
            lead_en="A release published while every page is cached.",
            notify_subscribers=False,
        )

    _read_release_tables()
    empty_page_store()
    app_port, proxy_port = args.port, args.port + 1
    app = start_gunicorn(app_port, 2)
    proxy = start_nginx(proxy_port, app_port)
    rates, trivial_runs = {}, []
    load = Load(args.clients)
    try:
        for _n in range(4):
            for path in [*cached, "/en/"]:
                get(app_port, path)

        def measure(name, *arguments, **options):
            rate, failed = wrk(app_port, *arguments, args.seconds, args.clients, **options)
            rates[name] = (rate, failed)
            print(f"  {name}: {rate:,.0f} req/s, {failed} failed", flush=True)

        def trivial():
            rate, _failed = wrk(app_port, ["/healthz"], args.seconds, args.clients)
            trivial_runs.append(rate)
            print(f"  trivial view: {rate:,.0f} req/s", flush=True)

        trivial()
        measure("cached home", ["/en/"])
        measure("cached release pages", cached)
        etag = _etag(app_port, cached[0])
        measure("304", [cached[0]], headers=[f"If-None-Match: {etag}"])
        trivial()
        measure("release pages rendered afresh", fresh)
        measure("list pages rendered afresh", lists)
        trivial()
        for path in cached:
            get(proxy_port, path)
        rate, failed = wrk(proxy_port, cached, args.seconds, args.clients)
        rates["through nginx"] = (rate, failed)
        print(f"  through nginx: {rate:,.0f} req/s, {failed} failed", flush=True)

        for _n in range(3):
            get(proxy_port, "/en/")
        release = fresh_release("publish")
        release.publish(by=editor, notify=False)
        shown_after = seconds_until(proxy_port, "/en/", True, release.title_en)
        with translation.override("en"):
            detail = release.get_absolute_url()
        for _n in range(3):
            get(proxy_port, detail)
        release.unpublish(by=editor, reason="Benchmark: published by mistake.")
        gone_after = max(
            seconds_until(proxy_port, "/en/", False, release.title_en),
            seconds_until(proxy_port, detail, False, release.title_en),
        )
        print(f"  proxy: publish after {shown_after:.1f} s, unpublish after {gone_after:.1f} s")

        for path in cached:
            get(app_port, path)
        # The same load with nothing published: how far single seconds fall on their own
        # on this machine, beside which the spike's lowest second is read.
        quiet_steady, quiet = spike(load, app_port, cached, args.spike_seconds, lambda: None)
        steady, after = spike(
            load,
            app_port,
            cached,
            args.spike_seconds,
            lambda: fresh_release("spike").publish(by=editor, notify=False),
        )
        connection.close()
        print(f"  spike: steady {steady:,.0f}; after: {[good for good, _e in after]}")
    finally:
        load.close()
        stop(proxy)
        stop(app)

    base = statistics.median(trivial_runs)
    ratio = {name: rate / base for name, (rate, _failed) in rates.items()}
    lowest = min(good for good, _errors in after) / steady if steady else 0
    quiet_lowest = min(good for good, _errors in quiet) / quiet_steady if quiet_steady else 0
    spike_errors = sum(errors for _good, errors in [*after, *quiet])
    failures = sum(failed for _rate, failed in rates.values()) + spike_errors
    bound = _settings_bound()

    def met(ok):
        return "met" if ok else "**not met**"

    ms = rendered
    rows = [
        (
            "cached home / release page",
            "0.53 / 0.58 × trivial",
            f"{ratio['cached home']:.2f} / {ratio['cached release pages']:.2f} × trivial",
            "≥ 0.8 ×",
            met(min(ratio["cached home"], ratio["cached release pages"]) >= 0.8),
        ),
        (
            "conditional GET of a cached page (`If-None-Match`)",
            "never 304",
            f"304, {ratio['304']:.2f} × trivial",
            "304, ≥ 0.9 ×",
            met(ratio["304"] >= 0.9),
        ),
        (
            "page rendered afresh: home / release / list / mission (in process, median)",
            "24 / 31 / 15 / 33 ms",
            " / ".join(f"{ms[name]:.1f}" for name in ("home", "release page", "list", "mission"))
            + " ms (every part rendered too: "
            + " / ".join(
                f"{rendered_cold[name]:.1f}" for name in ("home", "release page", "list", "mission")
            )
            + f" ms; the trivial view {trivial_ms:.2f} ms)",
            "≤ 8 ms each",
            met(max(ms.values()) <= 8),
        ),
        (
            "page rendered afresh under load: release / list",
            "0.02–0.03 × trivial",
            f"{ratio['release pages rendered afresh']:.2f} / "
            f"{ratio['list pages rendered afresh']:.2f} × trivial",
            "≥ 0.1 ×",
            met(
                min(ratio["release pages rendered afresh"], ratio["list pages rendered afresh"])
                >= 0.1
            ),
        ),
        (
            f"right after a publish ({args.pages} cached release pages, {args.clients} clients)",
            "0.05 × steady in the first 2 s, 0.15 × in 2–4 s, 0.44 × in 4–6 s",
            f"lowest second {lowest:.2f} × steady ("
            + ", ".join(f"{good / steady:.2f}" for good, _e in after)
            + f"); {spike_errors} errors; with nothing published, lowest second "
            f"{quiet_lowest:.2f} × steady ("
            + ", ".join(f"{good / quiet_steady:.2f}" for good, _e in quiet)
            + ")",
            "≥ 0.5 × steady in every second",
            met(lowest >= 0.5 and spike_errors == 0),
        ),
        (
            "through a caching reverse proxy",
            "not tried",
            f"{rates['through nginx'][0] / rates['cached release pages'][0]:.1f} × the "
            f"application's cached rate; a publish shown after {shown_after:.1f} s, an "
            f"unpublish gone after {gone_after:.1f} s",
            f"≥ 5 ×; both within {bound} s",
            met(
                rates["through nginx"][0] / rates["cached release pages"][0] >= 5
                and max(shown_after, gone_after) <= bound
            ),
        ),
    ]
    lines = [
        HEADING,
        "",
        f"`.venv/bin/python -m bench.speed` with {Release.objects.count():,} releases: gunicorn "
        f"(2 sync workers) and `wrk -t2 -c{args.clients}`, {args.seconds:g} s per run, on the "
        f"same machine; {args.pages} cached release pages; renders in process, the lowest of "
        "three medians of 9 (the parts pages keep in process kept, as after a publication; in "
        "brackets, those forgotten too); the release table read once before the rows under "
        "load (this machine gives back file pages left idle); the spike with this package's "
        "client, which counts each second apart.",
        "",
        f"Last run: {finished_at()}.",
        "",
        *machine_table(load_before),
        "",
        "Trivial view (`/healthz`): "
        + ", ".join(f"{rate:,.0f}" for rate in trivial_runs)
        + f" req/s (first, middle, last; ratios use the median, {base:,.0f}). "
        f"Failed requests in all runs: {failures}.",
        "",
        "| row | when the work began | this run | goal | |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    lines += [
        "",
        "Rates, req/s: "
        + "; ".join(f"{name} {rate:,.0f}" for name, (rate, _failed) in rates.items())
        + ".",
        "",
        "Pages rendered afresh under load: wrk walked "
        + " and ".join(
            f"{len(paths):,} different {what} pages (about "
            f"{rates[name][0] * args.seconds:,.0f} asked for)"
            for what, name, paths in (
                ("release", "release pages rendered afresh", fresh),
                ("list", "list pages rendered afresh", lists),
            )
        )
        + ", each thread from its own place in the list, so that a page asked for was one "
        "nobody had asked for before.",
    ]
    path = destination(full, args.output)
    write_section(path, HEADING, "\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"Written to {path}")


def _etag(port, path):
    """The page's ETag, once a conditional GET with it has been answered 304."""

    def ask(headers):
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    etag = ask({}).getheader("ETag")
    assert ask({"If-None-Match": etag}).status == 304, path
    return etag


def _settings_bound():
    from django.conf import settings

    return (
        settings.PAGE_VERSION_SECONDS + settings.PAGE_SHARED_MAX_AGE + settings.PAGE_STALE_SECONDS
    )


if __name__ == "__main__":
    main()
