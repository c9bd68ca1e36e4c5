"""Pages through nginx in front of gunicorn, how fast a publication reaches it, and the spike.

Starts gunicorn and Debian's nginx with deploy/nginx.conf on 127.0.0.1 and measures, with
16 clients: the trivial view, cached pages from the application, conditional GETs, cached
pages through the proxy; then the seconds from a publish and from an unpublish to what the
proxy serves; then the publication spike: 200 cached release pages loaded straight from the
application, a release published, and the requests per second of each following second.
"""

import http.client
import os
import shutil
import subprocess
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from bench import ROOT, argument_parser, is_full_run, var_dir
from bench.report import destination, finished_at, machine_table, write_section
from bench.seed import seed_for_spike, use_database
from bench.server import HOST, get, start_gunicorn, stop

SIZING = ["releases", "seconds", "pages", "clients", "spike_seconds"]


def start_nginx(port, upstream_port):
    """nginx with the shipped configuration, its placeholders filled for this run."""
    folder = var_dir() / "bench" / "nginx"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "cache").mkdir(parents=True)
    values = {
        "@LISTEN@": f"{HOST}:{port}",
        "@SERVER_NAME@": HOST,
        "@UPSTREAM@": f"{HOST}:{upstream_port}",
        "@CACHE_DIR@": str(folder / "cache"),
        "@STATIC_ROOT@": os.environ["STATIC_ROOT"],
        "@MEDIA_ROOT@": str(var_dir() / "media"),
        "@PID_FILE@": str(folder / "nginx.pid"),
    }
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    conf = folder / "nginx.conf"
    conf.write_text(text)
    process = subprocess.Popen(
        ["nginx", "-p", str(folder), "-c", str(conf), "-g", "daemon off;"], cwd=folder
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz")[0] == 200:
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit("nginx did not answer within 20 s.")


def _client(port, paths, first, threads, until, headers):
    """One load process: ``threads`` connections; returns (finished at, status) of each."""
    done, lock = [], threading.Lock()

    def run(thread_no):
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        own = []
        position = first + thread_no * 7
        while time.time() < until:
            path = paths[position % len(paths)]
            position += 1
            try:
                connection.request("GET", path, headers=headers.get(path, {}))
                response = connection.getresponse()
                response.read()
                own.append((time.time(), response.status))
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                own.append((time.time(), 0))
        connection.close()
        with lock:
            done.extend(own)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return done


class Load:
    """``clients`` connections in two processes, each walking the paths from its own start."""

    def __init__(self, clients):
        self.clients = clients
        self.pool = ProcessPoolExecutor(max_workers=2)

    def start(self, port, paths, seconds, headers=None):
        until = time.time() + seconds
        threads = self.clients // 2
        return [
            self.pool.submit(_client, port, paths, n * 97, threads, until, headers or {})
            for n in range(2)
        ]

    @staticmethod
    def results(futures):
        return sorted(item for future in futures for item in future.result())

    def rate(self, port, paths, seconds, headers=None, expect=200):
        began = time.time()
        done = self.results(self.start(port, paths, seconds, headers))
        good = sum(1 for _at, status in done if status == expect)
        return good / (time.time() - began), len(done) - good

    def close(self):
        self.pool.shutdown()


def etags(port, paths):
    headers = {}
    for path in paths:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        headers[path] = {"If-None-Match": response.getheader("ETag", "")}
        connection.close()
    return headers


def seconds_until(port, path, shown, text, limit=30):
    """Seconds until ``text`` is (or is no longer) on ``path`` as ``port`` serves it."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        status, body = get(port, path)
        if (status == 200 and text in body) == shown:
            return time.monotonic() - began
        time.sleep(0.05)
    return float("inf")


def main():
    parser = argument_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=4.0, help="per load run")
    parser.add_argument("--pages", type=int, default=200, help="different release pages")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--spike-seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--keep-data", action="store_true", help="reuse an earlier seeding")
    args = parser.parse_args()
    full = is_full_run(parser, args, SIZING)
    load_before = os.getloadavg()[0]
    use_database(args.database_url)
    from django.db import connection
    from django.utils import translation

    from releases.models import Release, ReleaseKind, Status

    editor, officer, releases = seed_for_spike(args, "proxy")
    with translation.override("en"):
        paths = [release.get_absolute_url() for release in releases] + ["/en/", "/en/releases/"]
    connection.close()

    app_port, proxy_port = args.port, args.port + 1
    app = start_gunicorn(app_port, 2)
    proxy = start_nginx(proxy_port, app_port)
    load = Load(args.clients)
    rows, spike = [], []
    try:
        # Until each worker's own memory holds every page, as on a site that has run a while.
        for _n in range(4):
            for path in paths:
                get(app_port, path)
        trivial, _failed = load.rate(app_port, ["/healthz"], args.seconds)
        rows.append(("trivial view (`/healthz`), application", trivial, 0))
        rate, failed = load.rate(app_port, paths, args.seconds)
        app_cached = rate
        rows.append(("cached release pages, application", rate, failed))
        rate, failed = load.rate(
            app_port, paths, args.seconds, headers=etags(app_port, paths), expect=304
        )
        rows.append(("conditional GET (`If-None-Match`), application: 304", rate, failed))
        for path in paths:
            get(proxy_port, path)
        rate, failed = load.rate(proxy_port, paths, args.seconds)
        rows.append(("cached release pages, through nginx", rate, failed))
        proxied = rate
        for row in rows:
            print("  {}: {:,.0f} req/s, {} failed".format(*row), flush=True)

        def fresh(label):
            stamp = time.strftime("%H%M%S")
            return Release.objects.create(
                kind=ReleaseKind.NEWS,
                status=Status.SUBMITTED,
                submitted_by=officer,
                title_en=f"Proxy {label} {stamp}",
                slug_en=f"proxy-{label}-{stamp}",
                lead_en="A release published while the proxy's cache is warm.",
                notify_subscribers=False,
            )

        for _n in range(3):
            get(proxy_port, "/en/")
        release = fresh("publish")
        release.publish(by=editor)
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

        print(f"  publish shown after {shown_after:.1f} s, unpublish after {gone_after:.1f} s")
        # The spike: the application alone, every page cached, then a publication.
        release_pages = paths[: args.pages]
        for path in release_pages:
            get(app_port, path)
        futures = load.start(app_port, release_pages, 3 + args.spike_seconds)
        time.sleep(3)
        published_at = time.time()
        fresh("spike").publish(by=editor)
        done = load.results(futures)
        before = [status for at, status in done if published_at - 2 <= at < published_at]
        steady = len(before) / 2
        for second in range(args.spike_seconds):
            inside = [
                status
                for at, status in done
                if published_at + second <= at < published_at + second + 1
            ]
            errors = sum(1 for status in inside if status != 200)
            spike.append((second, len(inside), len(inside) / steady if steady else 0, errors))
    finally:
        load.close()
        stop(proxy)
        stop(app)

    lines = [
        "## Proxy and publication spike",
        "",
        f"`.venv/bin/python -m bench.proxy` with {Release.objects.count():,} releases: gunicorn "
        f"(2 sync workers) alone and behind Debian's nginx with `deploy/nginx.conf`; "
        f"{args.clients} client connections from this script in two processes on the same "
        f"machine; {args.seconds:g} s per run; {args.pages} release pages, the home page and "
        "the list.",
        "",
        f"Last run: {finished_at()}.",
        "",
        *machine_table(load_before),
        "",
        "| scenario | req/s | × trivial | failed |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {name} | {rate:,.0f} | {rate / trivial:.2f} | {failed} |" for name, rate, failed in rows
    ]
    lines += [
        "",
        f"Through nginx: {proxied / app_cached:.1f} × the application's own cached rate "
        "(the client, a Python script on the same two cores, is the limit here, not nginx).",
        f"A publication was served by the proxy after {shown_after:.1f} s, and an unpublished "
        f"release was gone from the home page and its own address after {gone_after:.1f} s "
        "(bound: `PAGE_VERSION_SECONDS` + `PAGE_SHARED_MAX_AGE` + `PAGE_STALE_SECONDS` = 10 s).",
        "",
        f"Publication spike: the application alone, {args.pages} cached release pages, "
        f"{args.clients} clients; steady rate {steady:,.0f} req/s in the 2 s before the publish.",
        "",
        "| second after the publish | requests | × steady | errors |",
        "|---:|---:|---:|---:|",
    ]
    lines += [f"| {s}–{s + 1} | {n:,} | {ratio:.2f} | {errors} |" for s, n, ratio, errors in spike]
    path = destination(full, args.output)
    write_section(path, "## Proxy and publication spike", "\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"Written to {path}")


if __name__ == "__main__":
    main()
