"""What the benchmarks start and drive: gunicorn, task workers, and the HTTP load client."""

import contextlib
import http.client
import itertools
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from bench import ROOT

HOST = "127.0.0.1"


# ---------------------------------------------------------------------------
# gunicorn and task workers, started as they are in production
# ---------------------------------------------------------------------------


def start_gunicorn(port, workers, cwd=ROOT):
    """gunicorn with ``workers`` sync workers on 127.0.0.1, once it answers ``/healthz``.

    ``cwd`` is the checkout whose code it runs (another one to compare versions).
    """
    env = dict(os.environ, SITE_URL=f"http://{HOST}:{port}")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "pressroom.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=cwd,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn stopped while starting; see its messages above.")
        with contextlib.suppress(OSError):
            status, _body = get(port, "/healthz")
            if status == 200:
                return process
        time.sleep(0.3)
    stop(process)
    sys.exit(f"gunicorn did not answer on {HOST}:{port} within a minute.")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_workers(count, *, concurrency=1, env=None):
    """Run ``count`` one-shot Procrastinate workers until the queue is empty.

    Returns the seconds until the last one exited and each one's peak resident
    memory in bytes, sampled every 0.1 s.
    """
    import psutil

    command = [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot"]
    command += ["--concurrency", str(concurrency)]
    began = time.perf_counter()
    processes = [
        psutil.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL) for _ in range(count)
    ]
    peaks = [0] * count
    while any(p.poll() is None for p in processes):
        for i, process in enumerate(processes):
            with contextlib.suppress(psutil.Error):
                peaks[i] = max(peaks[i], process.memory_info().rss)
        time.sleep(0.1)
    return time.perf_counter() - began, peaks


# ---------------------------------------------------------------------------
# The load client: processes of threads, each thread one HTTP connection
# ---------------------------------------------------------------------------


def get(port, path):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


class LoadGenerator:
    def __init__(self, port, processes, threads):
        self.port, self.processes, self.threads = port, processes, threads
        self.pool = ProcessPoolExecutor(max_workers=processes)

    def run(self, paths, seconds, max_requests, concurrency=None):
        """Send GETs to ``paths`` for ``seconds`` or ``max_requests``; return the results."""
        processes = self.processes if concurrency is None else 1
        threads = self.threads if concurrency is None else concurrency
        began = time.monotonic()
        deadline = began + seconds
        per_process = -(-max_requests // processes)
        futures = [
            self.pool.submit(
                _load,
                self.port,
                paths,
                n * threads,
                threads,
                processes * threads,
                deadline,
                per_process,
            )
            for n in range(processes)
        ]
        latencies, failures, size = [], [], 0
        for future in futures:
            own, failed, received = future.result()
            latencies += own
            failures += failed
            size += received
        wall = time.monotonic() - began
        return Result(latencies, failures, wall, size)

    def close(self):
        self.pool.shutdown()


def _load(port, paths, first, threads, connections, deadline, max_requests):
    """One client process: ``threads`` connections, each walking ``paths`` from its own start."""
    latencies, failures, lock = [], [], threading.Lock()
    sent = itertools.count()
    received = [0]

    def run(thread_no):
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        own, size = [], 0
        position = (first + thread_no) * len(paths) // connections
        try:
            while time.monotonic() < deadline and next(sent) < max_requests:
                path = paths[position % len(paths)]
                position += 1
                began = time.perf_counter()
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    size += len(response.read())
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    with lock:
                        failures.append(f"{path}: {error!r}")
                    continue
                elapsed = time.perf_counter() - began
                if response.status != 200:
                    with lock:
                        failures.append(f"{path}: HTTP {response.status}")
                    continue
                own.append(elapsed)
        finally:
            connection.close()
        with lock:
            latencies.extend(own)
            received[0] += size

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, failures, received[0]


class Result:
    """Requests per second, latency percentiles in milliseconds, and size of one load run."""

    def __init__(self, latencies, failures, wall, size=0):
        self.count = len(latencies)
        self.failures = failures
        self.kilobytes = size / 1024 / len(latencies) if latencies else 0.0
        self.rps = self.count / wall if wall else 0.0
        ordered = sorted(latencies)
        self.p50, self.p95, self.p99 = (self._pick(ordered, q) for q in (0.50, 0.95, 0.99))
        self.mean = statistics.fmean(ordered) * 1000 if ordered else float("nan")

    @staticmethod
    def _pick(ordered, quantile):
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] * 1000
