"""Whole-page caching for anonymous readers that is never stale about what a page shows.

Views wrapped in ``cached_page(view, version)`` mark their anonymous GET
responses as cacheable; ``PageCacheMiddleware``, near the top of the middleware
stack, keeps the finished response in this process, keyed by its address (which
carries the language), together with the *version* the view's ``version``
function returned, and the function itself. A stored page is served only while
that function returns the same value. For releases it is the *release version*
(``Release.objects.public_version()``: the newest edit to any release and the
newest publication time the public can see at this moment, one indexed query),
so publishing, a scheduled second passing, withdrawing, unpublishing or editing
a release shows on the very next request, in every web process, without
invalidation messages. Edits to other content (the profile, topics, missions)
show within PAGE_CACHE_SECONDS. Requests that carry a session cookie (editors,
previews) are never served from nor stored in the cache, and addresses that have
never been stored cost nothing: the version is read only for addresses the cache
holds.
"""

import threading
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

MAX_PAGES = 5000

# full path -> (version function, version, stored at, status, headers, content)
_pages = OrderedDict()
_lock = threading.Lock()


def clear():
    with _lock:
        _pages.clear()


def cached_page(view, version):
    """Let the page cache keep this view's responses while ``version()`` stays the same."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _anonymous_get(request) and getattr(request, "page_version", None) is None:
            # Read before rendering: a page is stored under the version it was rendered
            # at or an older one, never a newer one.
            request.page_version = (version, version())
        return view(request, *args, **kwargs)

    return wrapper


def _anonymous_get(request):
    return request.method == "GET" and settings.SESSION_COOKIE_NAME not in request.COOKIES


class PageCacheMiddleware:
    """Serve and store the pages ``cached_page`` marked; see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _anonymous_get(request):
            return self.get_response(request)
        path = request.get_full_path()
        with _lock:
            entry = _pages.get(path)
        if entry is not None:
            version, cached_version, stored_at, status, headers, content = entry
            request.page_version = (version, version())
            if request.page_version[1] == cached_version and time.monotonic() - stored_at < (
                settings.PAGE_CACHE_SECONDS
            ):
                with _lock:
                    _pages.move_to_end(path)
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response.headers[name] = value
                return response
        response = self.get_response(request)
        page_version = getattr(request, "page_version", None)
        if (
            page_version is not None
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        ):
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            self._store(path, page_version, response)
        return response

    def _store(self, path, page_version, response):
        entry = (
            *page_version,
            time.monotonic(),
            response.status_code,
            list(response.items()),
            response.content,
        )
        with _lock:
            _pages[path] = entry
            _pages.move_to_end(path)
            while len(_pages) > MAX_PAGES:
                _pages.popitem(last=False)
