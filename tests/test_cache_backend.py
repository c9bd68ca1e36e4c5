"""The database cache's writes: one upsert whatever the number of keys, and a count of the
table only now and then."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.cache_backends import DatabaseCache


@pytest.fixture
def pages(db):
    store = caches["pages"]
    store.clear()
    bound = store._max_entries
    yield store
    store._max_entries = bound
    store.clear()


def test_both_caches_use_the_one_statement_writes(settings):
    assert isinstance(caches["pages"], DatabaseCache)
    assert isinstance(caches["default"], DatabaseCache)


def test_a_page_and_its_entry_are_stored_in_one_query_and_counted_now_and_then(pages):
    pages._max_entries = 1000  # counted after every 5 keys written
    pages._written_since_count = None
    with CaptureQueriesContext(connection) as queries:
        pages.set_many({"entry": {"etag": "1"}, "body": b"<html>"}, timeout=60)
        pages.set_many({"entry-2": {"etag": "2"}, "body-2": b"<html>"}, timeout=60)
        pages.set_many({"entry-3": {"etag": "3"}, "body-3": b"<html>"}, timeout=60)
        pages.set_many({"entry-4": {"etag": "4"}, "body-4": b"<html>"}, timeout=60)
    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    # The first write counts; then the write that brings the keys written since to five.
    assert statements == ["SELECT", "INSERT", "INSERT", "INSERT", "SELECT", "INSERT"]
    assert pages.get_many(["entry", "body"]) == {"entry": {"etag": "1"}, "body": b"<html>"}


def test_a_key_written_again_is_replaced(pages):
    pages.set("entry", "first")
    pages.set_many({"entry": "second", "other": 2})
    assert pages.get("entry") == "second"
    assert pages.get("other") == 2


def test_add_and_delete_keep_djangos_meaning(pages):
    pages.set("lock", 1)
    assert pages.add("lock", 2) is False
    pages.delete("lock")
    assert pages.add("lock", 3) is True
    assert pages.get("lock") == 3


def test_add_is_one_statement_and_takes_the_place_of_an_expired_key(pages):
    pages.set("lock", "old", timeout=-1)  # there, but expired
    pages._written_since_count = 0
    with CaptureQueriesContext(connection) as queries:
        assert pages.add("lock", "new", timeout=60) is True
        assert pages.add("lock", "newer", timeout=60) is False
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["INSERT"] * 2
    assert pages.get("lock") == "new"


def test_an_expired_key_is_gone_and_a_key_without_timeout_stays(pages):
    pages.set("gone", 1, timeout=-1)
    pages.set("kept", 2, timeout=None)
    assert pages.get("gone") is None
    assert pages.get("gone", "default") == "default"
    assert pages.get("kept") == 2
    assert pages.get("never-set", "default") == "default"
    with connection.cursor() as cursor:  # read as expired, it was deleted
        cursor.execute(f"SELECT COUNT(*) FROM {pages._table}")
        assert cursor.fetchone()[0] == 1


def test_reading_one_key_is_one_statement_of_one_text(pages):
    pages.set_many({"entry": {"etag": "1"}, "body": b"<html>"}, timeout=60)
    with CaptureQueriesContext(connection) as queries:
        assert pages.get("entry") == {"etag": "1"}
        assert pages.get("body") == b"<html>"
        assert pages.get("other") is None
    assert len({query["sql"] for query in queries.captured_queries}) == 1
    assert len(queries.captured_queries) == 3


def test_writes_past_the_bound_cull_the_table(pages):
    pages._max_entries = 4
    pages.set_many({f"key-{n}": n for n in range(6)})
    pages.set("one-more", 1)  # counts 6 > 4: a third of them are culled first
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {pages._table}")
        assert cursor.fetchone()[0] < 7
    assert pages.get("one-more") == 1


def test_the_cache_tables_are_unlogged_and_made_so_once(db):
    """A cache holds nothing that cannot be made again: its tables skip the write-ahead log
    (``createcachetable`` makes them unlogged), and running it again changes nothing."""
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    call_command("createcachetable", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relpersistence FROM pg_class "
            "WHERE relname IN ('pressroom_pages', 'pressroom_cache')"
        )
        assert dict(cursor.fetchall()) == {"pressroom_pages": "u", "pressroom_cache": "u"}
