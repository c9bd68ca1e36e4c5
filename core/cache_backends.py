"""Django's database cache, writing in one statement: a stored page costs two round trips.

Django's own ``DatabaseCache`` writes each key with a count, a look-up and an insert or an
update in a transaction of its own, so storing a page (its entry and its body) took six
queries and two commits. Here ``set`` and ``set_many`` write every key in one ``INSERT … ON
CONFLICT`` (PostgreSQL's upsert, one statement, atomic without a transaction). They count the
table (to cull past ``MAX_ENTRIES``, as Django does) only after every ``MAX_ENTRIES / 200``
keys a process has written, not before each write: a count over thousands of stored pages was
a tenth of a page's render, and the table may now pass ``MAX_ENTRIES`` by at most half a per
cent per web process before it is culled. ``add`` (a page's render lock) is one statement
too: an insert that replaces only an expired key, in place of Django's count, transaction,
look-up and insert. ``get`` of one key (a page's entry or body, on every page rendered or
served from the shared store) is one prepared statement read as it is; ``get_many``,
``touch`` and deletes are Django's.
"""

import base64
import pickle
from datetime import UTC, datetime

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

from core.prepared import prepared_cursor


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        self._written_since_count = None  # the first write counts

    def get(self, key, default=None, version=None):
        """As Django's ``get``, in one prepared statement of a fixed text: Django's builds its
        statement, the converters of its expiry column and a key map anew for every read. An
        expired key counts as absent and is deleted, as Django does."""
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_read(self.cache_model_class)
        quote_name = connections[db].ops.quote_name
        with prepared_cursor(db) as cursor:
            cursor.execute(
                f"SELECT {quote_name('value')}, {quote_name('expires')} "
                f"FROM {quote_name(self._table)} WHERE {quote_name('cache_key')} = %s",
                [key],
            )
            row = cursor.fetchone()
        if row is None:
            return default
        value, expires = row
        if expires < tz_now():
            self._base_delete_many([key])
            return default
        return pickle.loads(base64.b64decode(value.encode()))  # noqa: S301 (as Django's)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.set_many({key: value}, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        self._upsert(data, timeout, version)
        return []

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Store ``value`` unless ``key`` holds one that has not expired; whether it did."""
        return self._upsert({key: value}, timeout, version, only_expired=True)

    def _upsert(self, data, timeout, version, only_expired=False):
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        expires = datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=UTC)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        rows = {}
        for key, value in data.items():
            key = self.make_and_validate_key(key, version=version)
            pickled = pickle.dumps(value, self.pickle_protocol)
            rows[key] = base64.b64encode(pickled).decode("latin1")
        params = [part for key, value in rows.items() for part in (key, value, expires)]
        condition = ""
        if only_expired:
            # As Django's add: a key that is there but expired counts as absent.
            now = tz_now().replace(microsecond=0)
            condition = f" WHERE {table}.{quote_name('expires')} < %s RETURNING 1"
            params.append(connection.ops.adapt_datetimefield_value(now))
        with prepared_cursor(db) as cursor:
            written = (self._written_since_count or 0) + len(rows)
            if self._written_since_count is None or written >= max(1, self._max_entries // 200):
                written = 0
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(db, cursor, tz_now().replace(microsecond=0), count)
            self._written_since_count = written
            cursor.execute(
                f"INSERT INTO {table} ({quote_name('cache_key')}, {quote_name('value')}, "
                f"{quote_name('expires')}) VALUES "
                + ", ".join(["(%s, %s, %s)"] * len(rows))
                + f" ON CONFLICT ({quote_name('cache_key')}) DO UPDATE SET "
                f"{quote_name('value')} = EXCLUDED.{quote_name('value')}, "
                f"{quote_name('expires')} = EXCLUDED.{quote_name('expires')}" + condition,
                params,
            )
            return cursor.fetchone() is not None if only_expired else True
