"""Whole-page caching for anonymous readers that is never stale about releases.

Each cached page is keyed by its address, its language and the *release stamp*:
the newest edit to any release and the newest publication time the public can
see at this moment. Publishing, scheduling going live, withdrawing, unpublishing
or editing a release changes the stamp, so readers see the change on their very
next request, in every web process, without any invalidation messages. Edits to
other content (the profile, topics, missions) show within PAGE_CACHE_SECONDS.

Requests that carry a session cookie (editors, previews) are never cached.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language


def release_stamp():
    from releases.models import Release

    return Release.objects.stamp()


def cached_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in (
            request.COOKIES
        ):
            return view(request, *args, **kwargs)
        stamp = release_stamp()
        raw = f"{request.get_full_path()}|{get_language()}|{stamp}"
        key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
        pages = caches["pages"]
        response = pages.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if response.status_code == 200 and not response.cookies:
                pages.set(key, response, settings.PAGE_CACHE_SECONDS)
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapper
