"""Where a page's time goes, measured in the benchmark process with Django's test client."""

import time

from bench.server import HOST


def query_times(paths):
    """One uncached request per page: its whole time and each query's time and SQL."""
    from django.db import connection
    from django.test import Client

    from core import caching

    client = Client(HTTP_HOST=HOST)
    queries = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - began) * 1000, sql % _quoted(params)))

    profile = []
    for name, path in paths:
        client.get(path)  # the first request in a process pays for imports and templates
        caching.clear()
        queries.clear()
        with connection.execute_wrapper(timed):
            began = time.perf_counter()
            client.get(path)
            total = (time.perf_counter() - began) * 1000
        profile.append((name, path, total, list(queries)))
    caching.clear()
    return profile


def _quoted(params):
    if not params:
        return ()
    return tuple(value if isinstance(value, int | float) else f"'{value}'" for value in params)


def cached_hit_costs(path, repeat=200):
    """What a cached page costs: the release version query alone, and the whole request."""
    from django.test import Client

    from releases.models import Release

    client = Client(HTTP_HOST=HOST)
    client.get(path)
    costs = {}
    for label, action in (
        ("trivial view (test client)", lambda: client.get("/healthz")),
        ("release version query alone", Release.objects.public_version),
        ("cached list page (test client)", lambda: client.get(path)),
    ):
        began = time.perf_counter()
        for _n in range(repeat):
            action()
        costs[label] = (time.perf_counter() - began) * 1000 / repeat
    return costs


def version_plan():
    """How PostgreSQL runs the release version query that every cached page hit makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from releases.models import Release

    with CaptureQueriesContext(connection) as queries:
        Release.objects.public_version()
    sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        return sql, [row[0] for row in cursor.fetchall()]


def shorten(sql, limit=160):
    sql = " ".join(sql.split())
    return sql if len(sql) <= limit else sql[: limit - 1] + "…"
