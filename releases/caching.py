"""The page cache for pages that show releases: kept until what the public sees of them changes."""

import threading
import time

from django.conf import settings

from core.caching import cached_page, version_name
from missions.models import Mission
from releases.models import Release, ReleaseImage


def cached_until_releases_change(view, params=()):
    """Let the page cache keep ``view``'s pages while the release version stays the same.

    ``params``: the query parameters the page reads; it is rendered without any others.
    """
    return cached_page(view, version=Release.objects.public_version, params=params)


def release_version(request):
    """The release version a page kept by ``cached_until_releases_change`` is rendered at.

    None for requests the page cache leaves alone (editors), and for other pages.
    """
    name, version = getattr(request, "page_version", None) or (None, None)
    return version if name == _RELEASE_VERSION else None


_RELEASE_VERSION = version_name(Release.objects.public_version)

# What the current release version says (a list's count, the years with releases), kept in
# this process while that version holds, and PAGE_CACHE_SECONDS at most, like the pages.
_kept = {}
_kept_version = None
_kept_lock = threading.Lock()


def kept_for_version(version, what, compute):
    """``compute()``, kept under ``what`` while the release version stays ``version``."""
    global _kept_version
    if version is None:
        return compute()
    with _kept_lock:
        kept = _kept.get(what) if version == _kept_version else None
    if kept is not None and time.monotonic() - kept[0] < settings.PAGE_CACHE_SECONDS:
        return kept[1]
    value = compute()
    with _kept_lock:
        if version != _kept_version:
            _kept.clear()
            _kept_version = version
        if len(_kept) < 1000:
            _kept[what] = (time.monotonic(), value)
    return value


def forget_kept_for_version():
    global _kept_version
    with _kept_lock:
        _kept.clear()
        _kept_version = None


def cached_until_media_change(view, params=()):
    """Like ``cached_until_releases_change``, and rendered again when an image's rights expire."""
    return cached_page(view, version=media_version, params=params)


def media_version():
    """The release version and how many images' rights have run out, of releases and of
    missions: two queries. (Other edits to missions show within PAGE_CACHE_SECONDS.)"""
    expired = ReleaseImage.objects.expired().order_by().values("pk")
    expired_missions = Mission.objects.image_expired().order_by().values("pk")
    return (*Release.objects.public_version(), expired.union(expired_missions, all=True).count())


def cached_until_shown_releases_change(view):
    """Keep a page that names the releases it shows while those stay as shown.

    The view puts each release it shows, with its last edit, status and publication time, in
    ``request.page_dependencies``. The page is rendered again when one of them is edited,
    withdrawn or unpublished (even by a bare ``UPDATE``), or when any release is published
    (it may belong among those shown), but not when another release is edited or corrected.

    The view reads the version's stamp (the newest publication) itself, with what it shows
    (``shown_version``), and sets it with ``read_at_stamp``.
    """
    return cached_page(view, version=shown_releases_version, read_by_view=True)


def shown_releases_version(dependencies=()):
    """The newest publication the public can see, and each of ``dependencies`` still public
    as it is now: one query."""
    return Release.objects.shown_version(dependencies)


def read_at_stamp(request, stamp, read_at):
    """The page is rendered at this stamp (``shown_version``'s first half), read at
    ``read_at`` (``time.time()``) before it is rendered; a page the cache found stored keeps
    the version the cache read for it."""
    name = getattr(request, "page_version_name", None)
    if name is not None and getattr(request, "page_version", None) is None:
        request.page_version = (name, (stamp, ()))
        request.page_version_read_at = min(request.page_version_read_at, read_at)


def depend_on(request, releases):
    """Record the releases a page shows, as rendered, for ``cached_until_shown_releases_change``."""
    shown = getattr(request, "page_dependencies", None)
    if shown is None:
        shown = request.page_dependencies = {}
    for release in releases:
        shown[release.pk] = release.shown_state()
