"""Whole-page caching for anonymous readers, shared by all web processes, never stale on releases.

Views wrapped in ``cached_page(view, version)`` mark their anonymous GET
responses as cacheable; ``PageCacheMiddleware``, near the top of the middleware
stack, keeps the finished response in the ``pages`` cache (Django's cache
framework: the database cache table by default, or whatever ``CACHE_URL``
names, so every web process sees a page another one rendered) keyed by its
address (which carries the language), together with the *version* the view's
``version`` function returned. A stored page is served only while that function
returns the same value. For releases it is the *release version*
(``Release.objects.public_version()``: the newest edit to any release and the
newest publication time the public can see at this moment, one indexed query),
so publishing, a scheduled second passing, withdrawing, unpublishing or editing
a release shows on the very next request, in every web process, without
invalidation messages. Edits to other content (the profile, topics, missions)
show within PAGE_CACHE_SECONDS. Requests that carry a session cookie (editors,
previews) are never served from nor stored in the cache, and addresses that have
never been stored cost nothing: the version is read only for addresses the cache
holds.

A page names the query parameters it reads (``cached_page(..., params=...)``);
the cache key is the path with those parameters only, in that order, and the
view sees only them: ``/sitemap.xml?j=1`` and ``/sitemap.xml?j=2`` are one page,
rendered as ``/sitemap.xml``, so junk parameters neither grow the cache nor end
up in a page (a language switch link, say) that others are then served.

Each stored page has an ``ETag`` (a digest of its body, so a page rendered again
unchanged keeps it) and a ``Last-Modified``; the page's small *entry* (version,
validators, headers) is kept apart from its body (stored compressed with zlib), so a
conditional GET whose validator still holds is answered 304 from the entry alone. Each process also
keeps recent entries and bodies in memory, up to PAGE_CACHE_MEMORY_BYTES (the
least recently used go first): while the version holds, a cached page costs the
version query and nothing else. A page larger than PAGE_CACHE_MAX_PAGE_BYTES is
not kept at all, so the shared store holds at most its own entry bound times
that.

A page may be kept by what it shows rather than by a stamp of everything: a version
function that takes ``dependencies`` returns ``(stamp, states)``, where ``states`` are the
current states of those dependencies, sorted, leaving out any that may no longer be shown.
The view names what it showed, with the state each had as it rendered it, in
``request.page_dependencies``; the page is stored under the stamp read before rendering and
those states, and served while both stay the same. So the release page of one release is
not rendered again when another release is corrected (see ``releases/caching.py``). Asked
about many pages' dependencies at once, such a function answers for each page (see
``_version_of``): its states must be per dependency, as ``(dependency, state)`` pairs.

When a page's version has moved on, one process renders it (it holds a short
lock taken with the cache's atomic ``add``) while the others keep serving the
previous copy, marked ``no-cache``, for at most PAGE_RENDER_LOCK_SECONDS.

Pages that may wait their turn (only a publication elsewhere moved them on; see
``_may_wait``) are rendered again at a pace: each process spends at most
PAGE_RENDER_SHARE of its time on them, serving previous copies in between, so a
publication that touches every release page costs readers that share of the
rate for a few seconds, not half of it or all of it.

Every response that says nothing about caching is marked ``private, no-store``:
only pages that are meant for everyone (``cached_page`` and ``public_page``) are
ever public-cacheable.
"""

import hashlib
import threading
import time
import zlib
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

# Until this moment (``time.monotonic``) the process serves waiting pages' previous copies
# rather than render them, without asking the shared store for newer ones (see ``_pace``).
_paced_until = 0.0

# The headers a 304 repeats from the page it stands for.
_VALIDATOR_HEADERS = (
    "Cache-Control",
    "Content-Language",
    "ETag",
    "Expires",
    "Last-Modified",
    "Vary",
)

# Version functions by name: a stored entry names its function, since functions
# cannot be kept in a shared cache.
_versions = {}

# The version each kind of page was last found at in this process, by (version name,
# dependencies): (time.monotonic() when read, version). See ``_version_of``.
# The most recently served last, and when each was served (time.monotonic()) in
# ``_served``. See ``_version_of``.
_found_versions = OrderedDict()
_served = {}
# Pages kept by what they show whose versions one read checks together, at most, of those
# served within the last VERSION_BATCH_PERIODS times PAGE_VERSION_SECONDS.
VERSION_BATCH = 500
VERSION_BATCH_PERIODS = 3

_lock = threading.Lock()


class Memory:
    """This process's first level: least recently used first out, within a byte bound."""

    def __init__(self):
        self.table = OrderedDict()
        self.nbytes = 0

    def get(self, key):
        with _lock:
            item = self.table.get(key)
            if item is None:
                return None
            self.table.move_to_end(key)
        return item[0]

    def put(self, key, value, size):
        size += len(key) + 100  # the key and the bookkeeping around the value
        limit = settings.PAGE_CACHE_MEMORY_BYTES
        with _lock:
            if key in self.table:
                self.nbytes -= self.table.pop(key)[1]
            if size > limit:
                return
            self.table[key] = (value, size)
            self.nbytes += size
            while self.nbytes > limit:
                self.nbytes -= self.table.popitem(last=False)[1][1]

    def pop(self, key):
        with _lock:
            item = self.table.pop(key, None)
            if item is not None:
                self.nbytes -= item[1]

    def clear(self):
        with _lock:
            self.table.clear()
            self.nbytes = 0

    def __len__(self):
        return len(self.table)


# Entries by address ("entry:…") and bodies by ETag ("body:…"), within one bound.
_memory = Memory()


def store():
    return caches[settings.PAGE_CACHE_ALIAS]


def clear():
    """Forget this process's copies; the shared store is emptied with ``store().clear()``."""
    global _paced_until
    _memory.clear()
    _forget_found()
    _paced_until = 0.0


def forget_versions(**_kwargs):
    """Read every version afresh on the next request: this process has saved something."""
    _forget_found()


def _forget_found():
    _found_versions.clear()
    _served.clear()


def memory():
    """(pages, bytes) this process keeps: for tests and monitoring."""
    return len(_memory), _memory.nbytes


def cached_page(view, version, params=(), read_by_view=False):
    """Let the page cache keep this view's responses while ``version()`` stays the same.

    ``params`` are the query parameters the view reads; it sees no others. A ``version``
    that takes ``dependencies`` keeps a page by what it shows (see above).

    ``read_by_view``: the view reads the version itself, in a query it makes anyway, before
    it renders, and sets ``request.page_version`` to ``(request.page_version_name, version)``;
    a page whose view does not is not stored.
    """
    name = version_name(version)
    _versions[name] = version

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _anonymous_get(request) and getattr(request, "page_version", None) is None:
            found = None if read_by_view else _found_lately((name, None))
            if read_by_view:
                # Read from now on (see ``_store_or_forget``).
                request.page_version_read_at = time.time()
                request.page_version_name = name
            elif found is not None:
                # As found for another page of its kind this last moment (see
                # ``_version_of``): older than what the page shows, which is allowed.
                request.page_version = (name, found[1])
                request.page_version_read_at = found[2]
            else:
                # Read before rendering: a page is stored under the version it was rendered
                # at or an older one, never a newer one.
                request.page_version_read_at = time.time()
                request.page_version = (name, version())
                _found(name, None, request.page_version[1], request.page_version_read_at)
        return view(request, *args, **kwargs)

    wrapper.page_version_name = name
    wrapper.page_params = tuple(params)
    return wrapper


def version_name(version):
    """The name a page's version function is known by in stored entries and on requests."""
    return f"{version.__module__}.{version.__qualname__}"


def public_page(view):
    """Mark a page that is the same for everyone but not kept: validators and public caching."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.public_page = True
        return view(request, *args, **kwargs)

    return wrapper


def public_cache_control(response):
    """The caching a page for everyone may have: brief in browsers and shared caches."""
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_MAX_AGE,
        s_maxage=settings.PAGE_SHARED_MAX_AGE,
        stale_while_revalidate=settings.PAGE_STALE_SECONDS,
    )


def _anonymous_get(request):
    return request.method == "GET" and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _keep_only(request, params):
    """Let the request carry only the query parameters its page reads, in their order."""
    if not request.GET:
        return
    kept = QueryDict(mutable=True)
    for name in params:
        if name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    query = kept.urlencode()
    if query != request.META.get("QUERY_STRING", ""):
        kept._mutable = False
        request.GET = kept
        request.META["QUERY_STRING"] = query


def _key(request):
    return request.get_full_path()


def _digest(text):
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class Entry:
    """What is kept of a page besides its body: enough to answer a conditional GET."""

    __slots__ = (
        "version_name",
        "version",
        "dependencies",
        "etag",
        "last_modified",
        "stored_at",
        "status",
        "headers",
    )

    def __init__(
        self, version_name, version, dependencies, etag, last_modified, stored_at, status, headers
    ):
        self.version_name = version_name
        self.version = version
        self.dependencies = dependencies
        self.etag = etag
        self.last_modified = last_modified
        self.stored_at = stored_at
        self.status = status
        self.headers = headers

    def __getstate__(self):
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)

    def is_current(self, version):
        return (
            version == self.version and time.time() - self.stored_at < settings.PAGE_CACHE_SECONDS
        )

    def response(self, request, body):
        answer = get_conditional_response(request, etag=self.etag, last_modified=self.last_modified)
        if answer is not None:
            if answer.status_code == HttpResponseNotModified.status_code:
                for name, value in self.headers:
                    if name in _VALIDATOR_HEADERS:
                        answer.headers[name] = value
            return answer
        if body is None:
            return None
        response = HttpResponse(body, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        return response


class PageCacheMiddleware:
    """Serve and store the pages ``cached_page`` marked; see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _anonymous_get(request):
            return _private_unless_said(request, self.get_response(request))
        params = _page_params(request)
        if params is not None:
            _keep_only(request, params)
        key = _key(request)
        entry = self._entry(key) if params is not None else None
        request.page_entry = entry
        if entry is not None:
            version_function = _versions.get(entry.version_name)
            if version_function is not None:
                version, read_at = _version_of(entry, version_function)
                if not entry.is_current(version) and read_at < entry.stored_at:
                    # Kept from before this copy was stored: ask again before rendering.
                    version, read_at = _version_of(entry, version_function, fresh=True)
                request.page_version = (entry.version_name, version)
                request.page_version_read_at = read_at
                if not entry.is_current(request.page_version[1]) and not (
                    _paced() and _may_wait(entry, request.page_version[1])
                ):
                    shared = self._shared_entry(key)
                    if shared is not None and shared.dependencies != entry.dependencies:
                        # Another process stored the page showing other things.
                        version, request.page_version_read_at = _version_of(
                            shared, version_function, fresh=True
                        )
                        request.page_version = (shared.version_name, version)
                    entry = shared
                if entry is not None and entry.is_current(request.page_version[1]):
                    response = self._serve(request, entry)
                    if response is not None:
                        return response
                elif entry is not None and not _may_render(request, key, entry):
                    # Another process is rendering the new version, or only a publication
                    # elsewhere moved it on while another page renders: the previous copy
                    # stands in for a moment, and no cache downstream keeps it.
                    response = self._serve(request, entry)
                    if response is not None:
                        response.headers["Cache-Control"] = "no-cache"
                        return response
        try:
            response = self.get_response(request)
            response = self._store_or_forget(request, key, response)
        finally:
            _release_render_locks(request, key)
            _pace(request)
        return _private_unless_said(request, response)

    def _entry(self, key):
        entry = _memory.get(f"entry:{key}")
        return entry if entry is not None else self._shared_entry(key)

    def _shared_entry(self, key):
        entry = store().get(_entry_key(key))
        if entry is not None:
            _remember_entry(key, entry)
        return entry

    def _serve(self, request, entry):
        response = entry.response(request, body=None)
        if response is not None:
            return response
        body = _memory.get(f"body:{entry.etag}")
        if body is None:
            body = store().get(_body_key(entry.etag))
            if body is None:
                return None
            body = zlib.decompress(body)
            _memory.put(f"body:{entry.etag}", body, len(body))
        return entry.response(request, body)

    def _store_or_forget(self, request, key, response):
        page_version = getattr(request, "page_version", None)
        if getattr(request, "public_page", False) and response.status_code == 200:
            _mark_public(request, response)
            return response
        if page_version is None:
            return response
        if response.status_code != 200 or response.cookies or response.streaming:
            # The address no longer shows the stored page (a release unpublished, say).
            if getattr(request, "page_entry", None) is not None:
                store().delete(_entry_key(key))
                _memory.pop(f"entry:{key}")
            return response
        body = response.content
        if len(body) > settings.PAGE_CACHE_MAX_PAGE_BYTES:
            return response
        etag = f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
        previous = getattr(request, "page_entry", None)
        last_modified = (
            previous.last_modified
            if previous is not None and previous.etag == etag
            else int(time.time())
        )
        public_cache_control(response)
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        version_name, version = page_version
        dependencies = None
        shown = getattr(request, "page_dependencies", None)
        if shown is not None:
            # The stamp read before rendering, and each shown thing as it was rendered.
            version = (version[0], tuple(sorted(shown.items())))
            dependencies = tuple(sorted(shown))
        entry = Entry(
            version_name,
            version,
            dependencies,
            etag,
            last_modified,
            # A page rendered from data read earlier (kept by the view) is as old as that.
            min(time.time(), getattr(request, "page_data_since", None) or time.time()),
            response.status_code,
            list(response.items()),
        )
        store().set_many(
            # Compressed here, at zlib's fastest level: PostgreSQL's own compression of a
            # 40 kB page in the store's table cost a millisecond of every page rendered,
            # about four times as much, and other stores move fewer bytes.
            {_body_key(etag): zlib.compress(body, 1), _entry_key(key): entry},
            timeout=settings.PAGE_CACHE_SECONDS * 10,
        )
        _remember_entry(key, entry)
        _memory.put(f"body:{etag}", body, len(body))
        read_at = getattr(request, "page_version_read_at", None)
        if read_at is not None:
            # Its version as read for this request: its next request here asks nothing before
            # PAGE_VERSION_SECONDS from that read, as for any page served (after a publication
            # re-rendered every release page, the first request of each one read the state of
            # five hundred pages' releases to check it).
            _found(version_name, dependencies, version, read_at)
        return entry.response(request, body)


def _version_of(entry, version_function, fresh=False):
    """The current version of the page ``entry`` was stored at, as this process last found it
    up to PAGE_VERSION_SECONDS ago (or sooner, after any save in this process), unless
    ``fresh``: then read now. A kept page is served only when it matches; one that does not
    is checked again with a fresh read before anything is rendered, unless the version was
    read after it was stored. Returns the version and when it was read (``time.time()``).

    For pages kept by what they show, one read finds the versions of the VERSION_BATCH pages
    of the same kind this process served most recently: the version function is asked about
    all their dependencies at once, and each page's version is its share of the answer (the
    stamp, and the states of its own dependencies). So checking many release pages once a
    second costs one query a second, not one per page. Only pages served lately are read
    with another (within VERSION_BATCH_PERIODS times PAGE_VERSION_SECONDS), and only once
    half PAGE_VERSION_SECONDS has passed since their version was found: a page served once
    is not checked again and again, nor one just checked.
    """
    key = (entry.version_name, entry.dependencies)
    now = time.monotonic()
    if not fresh:
        found = _found_lately(key)
        if found is not None:
            return found[1], found[2]
    if len(_found_versions) >= 10_000:
        _forget_found()
    read_at = time.time()
    if entry.dependencies is None:
        version = version_function()
        _found_versions[key] = (now, version, read_at)
        _serving(key, now)
        return version, read_at
    keys = [key]
    if not fresh:
        lately = now - VERSION_BATCH_PERIODS * settings.PAGE_VERSION_SECONDS
        due = now - settings.PAGE_VERSION_SECONDS / 2
        for other in reversed(_found_versions):
            if len(keys) >= VERSION_BATCH or _served.get(other, 0.0) < lately:
                break  # served in this order, the most recent last
            if (
                other[0] == key[0]
                and other[1] is not None
                and other != key
                and _found_versions[other][0] <= due
            ):
                keys.append(other)
    stamp, states = version_function(
        dependencies=tuple(sorted({pk for _name, shown in keys for pk in shown}))
    )
    states = dict(states)
    for name, shown in keys:
        _found_versions[name, shown] = (
            now,
            (stamp, tuple((pk, states[pk]) for pk in shown if pk in states)),
            read_at,
        )
    _serving(key, now)
    return _found_versions[key][1], read_at


def _found_lately(key):
    """(found at, version, read at) of pages of ``key`` if this process found their version
    within PAGE_VERSION_SECONDS, else None."""
    found = _found_versions.get(key)
    now = time.monotonic()
    if found is None or now - found[0] >= settings.PAGE_VERSION_SECONDS:
        return None
    _serving(key, now)
    return found


def _found(version_name, dependencies, version, read_at):
    """Remember ``version`` as the version of pages showing ``dependencies``, read at
    ``read_at`` (``time.time()``), as ``_version_of`` remembers what it reads."""
    key = (version_name, dependencies)
    found = _found_versions.get(key)
    if found is not None and found[2] >= read_at:
        return  # read later by another request
    if len(_found_versions) >= 10_000:
        _forget_found()
    now = time.monotonic()
    _found_versions[key] = (now - max(0.0, time.time() - read_at), version, read_at)
    _serving(key, now)


def _serving(key, now):
    """The page of ``key`` is served now (``time.monotonic()``)."""
    _found_versions.move_to_end(key)
    _served[key] = now


# What ``_page_params`` found by path: the same for a path as long as the process runs; at most
# PARAMS_BY_PATH paths (then it starts again), so junk paths cannot grow it.
PARAMS_BY_PATH = 5000
_params_by_path = {}


def _page_params(request):
    """The query parameters of a page the cache may hold; None for others (no look-up)."""
    path = request.path_info
    try:
        return _params_by_path[path]
    except KeyError:
        pass
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            params = getattr(resolve(path).func, "page_params", None)
    except Resolver404:
        params = None
    if len(_params_by_path) >= PARAMS_BY_PATH:
        _params_by_path.clear()
    _params_by_path[path] = params
    return params


def _may_render(request, key, entry):
    """Whether this request renders the page anew, holding the lock that says so."""
    waits = _may_wait(entry, request.page_version[1])
    if waits and _paced():
        return False
    request.page_render_lock = store().add(
        _lock_key(key), 1, timeout=settings.PAGE_RENDER_LOCK_SECONDS
    )
    if request.page_render_lock and waits:
        request.page_paced_from = time.monotonic()
    return request.page_render_lock


def _paced():
    """Whether this process is to serve waiting pages' previous copies for now."""
    return time.monotonic() < _paced_until


def _pace(request):
    """After rendering in d seconds a page that could have waited, serve waiting pages'
    previous copies for d × (1 − share) / share: such renders then take at most
    PAGE_RENDER_SHARE of the process's time, however long each one takes.

    Time passed, not the process's CPU time: a render's queries cost the database too, and
    on a busy machine a render that waits for a core is a sign to go slower, not faster.
    """
    began = getattr(request, "page_paced_from", None)
    if began is None:
        return
    global _paced_until
    share = settings.PAGE_RENDER_SHARE
    now = time.monotonic()
    _paced_until = now + (now - began) * (1 - share) / share


def _may_wait(entry, version):
    """Whether the page may wait its turn: only a publication elsewhere moved it on.

    So for a page kept by what it shows, when each thing it shows is as shown and the stamp
    (a time) moved on less than PAGE_WAIT_SECONDS ago: right after a publication, pages
    that might list it are rendered at a pace (see ``_pace``), while the rest serve their
    previous copy. Anything that changes what a page shows renders it at once.
    """
    stamp = version[0]
    return (
        entry.dependencies is not None
        and entry.version[1] == version[1]
        and hasattr(stamp, "timestamp")
        and time.time() - stamp.timestamp() < settings.PAGE_WAIT_SECONDS
        and time.time() - entry.stored_at < settings.PAGE_CACHE_SECONDS
    )


def _release_render_locks(request, key):
    if getattr(request, "page_render_lock", False):
        store().delete(_lock_key(key))
        request.page_render_lock = False


def _entry_key(key):
    return f"page-entry:{_digest(key)}"


def _body_key(etag):
    return f"page-zbody:{etag.strip(chr(34))}"


def _lock_key(key):
    return f"page-lock:{_digest(key)}"


def _remember_entry(key, entry):
    size = sum(len(name) + len(value) for name, value in entry.headers) + 200
    _memory.put(f"entry:{key}", entry, size)


def _mark_public(request, response):
    """Validators and public caching for a page that is the same for everyone."""
    if response.streaming or response.cookies or "Cache-Control" in response:
        return
    response.headers["ETag"] = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
    public_cache_control(response)


def _private_unless_said(request, response):
    """Whatever does not say it may be kept by others is personal: no one keeps it."""
    if "Cache-Control" not in response or (
        response.cookies and "public" in response["Cache-Control"]
    ):
        response.headers["Cache-Control"] = "private, no-store"
    elif response.status_code == 200 and getattr(request, "public_page", False):
        answer = get_conditional_response(request, etag=response.get("ETag"))
        if answer is not None and answer.status_code == HttpResponseNotModified.status_code:
            for name in _VALIDATOR_HEADERS:
                if name in response:
                    answer.headers[name] = response[name]
            return answer
    return response
