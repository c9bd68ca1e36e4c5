"""The page cache's memory is bounded: junk in an address does not grow it; bytes are capped."""

import contextlib
import io
import resource

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection

from core import caching
from tests.conftest import make_release, settings_pages_table

JUNK_QUERIES = 10_000


def _shared_rows():
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{settings_pages_table()}"')
        return cursor.fetchone()[0]


def _wsgi_get(application, path, query):
    answer = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    response = application(environ, lambda status, headers: answer.append(status))
    try:
        return answer[0], b"".join(response)
    finally:
        response.close()


@contextlib.contextmanager
def _database_connection_kept():
    """The test's database connection stays open between requests, as the test client keeps it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _resident_bytes():
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize()


def test_ten_thousand_junk_queries_leave_the_page_cache_and_memory_flat(client, profile):
    make_release("Kept once")
    plain = {path: client.get(path).content for path in ("/sitemap.xml", "/en/")}
    # As a WSGI server calls the application: Django's test client itself grows by about
    # a kilobyte a request (each request connects signal receivers with a finalizer).
    application = WSGIHandler()
    with _database_connection_kept():
        for path in plain:
            for number in range(300):  # the allocator's pools settle before the baseline
                _wsgi_get(application, path, f"j=warm{number}")
        kept, rows, resident = caching.memory(), _shared_rows(), _resident_bytes()

        for number in range(JUNK_QUERIES // 2):
            for path, body in plain.items():
                status, content = _wsgi_get(application, path, f"j={number}")
                assert status == "200 OK"
                if number % 1000 == 0:
                    # Rendered as the plain address: the junk reaches no page others are served.
                    assert content == body

    assert caching.memory() == kept
    assert _shared_rows() == rows
    assert _resident_bytes() - resident < 8 * 1024 * 1024


def test_the_parameters_a_page_reads_still_choose_the_page_in_any_order(client, profile):
    release = make_release("On the list")
    year = release.published_at.year
    everything = client.get("/en/releases/")
    that_year = client.get(f"/en/releases/?year={year}&j=1")
    assert that_year.status_code == 200
    assert f'<option value="{year}" selected>' in that_year.content.decode()
    assert f'<option value="{year}" selected>' not in everything.content.decode()
    assert client.get(f"/en/releases/?year={year + 5}").status_code == 404

    pages = caching.memory()[0]
    assert client.get(f"/en/releases/?j=2&kind=news&year={year}").status_code in (200, 404)
    grown = caching.memory()[0]
    assert client.get(f"/en/releases/?year={year}&kind=news").status_code in (200, 404)
    assert caching.memory()[0] == grown >= pages


def test_pages_kept_in_a_process_stay_within_its_byte_bound(client, profile, settings):
    settings.PAGE_CACHE_MEMORY_BYTES = 60_000
    make_release("Searched for")
    sizes = []
    for number in range(60):
        # Every search is a page of its own: the bound, not the address, limits memory.
        response = client.get(f"/en/releases/?q=word{number}")
        assert response.status_code == 200
        sizes.append(len(response.content))
        assert caching.memory()[1] <= settings.PAGE_CACHE_MEMORY_BYTES
    assert sum(sizes) > 2 * settings.PAGE_CACHE_MEMORY_BYTES
    assert caching.memory()[0] > 0


def test_a_page_larger_than_the_page_bound_is_not_kept(client, profile, settings):
    settings.PAGE_CACHE_MAX_PAGE_BYTES = 1000
    make_release("Too large to keep")
    rows = _shared_rows()
    assert client.get("/en/").status_code == 200
    assert caching.memory() == (0, 0)
    assert _shared_rows() == rows


@pytest.mark.parametrize("limit", [0, 1])
def test_a_bound_smaller_than_any_page_keeps_nothing_in_memory(client, profile, settings, limit):
    settings.PAGE_CACHE_MEMORY_BYTES = limit
    make_release("Not kept in memory")
    first = client.get("/en/")
    again = client.get("/en/")
    assert again.content == first.content
    assert caching.memory() == (0, 0)
