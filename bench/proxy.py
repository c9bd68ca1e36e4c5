"""nginx in front of gunicorn, and the load client that counts each second apart.

`bench.speed` measures through these: Debian's nginx started with deploy/nginx.conf on
127.0.0.1, the seconds until a change shows through it, and a client of several processes
whose every request is timed, so that a rate can be told second by second (`bench.spike`).
"""

import http.client
import os
import shutil
import subprocess
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from bench import ROOT, var_dir
from bench.server import HOST, get, stop


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
