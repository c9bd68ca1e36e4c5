"""What every template may use: the pressroom profile and the public address."""

import time

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.models import PressroomProfile

# The profile as readers' pages show it, kept in this process: (time.monotonic() read, profile).
_kept = None


def site(request):
    shown = _kept_profile if settings.SESSION_COOKIE_NAME not in request.COOKIES else None
    return {
        "profile": SimpleLazyObject(shown or PressroomProfile.load),
        "SITE_URL": settings.SITE_URL,
    }


def _kept_profile():
    """The profile for a page without a session, read at most once per PAGE_CACHE_SECONDS in
    this process (and at once after this process saves it): the pages that show it are kept
    that long anyway. Staff, who have a session, always get it read afresh."""
    global _kept
    if _kept is None or time.monotonic() - _kept[0] >= settings.PAGE_CACHE_SECONDS:
        _kept = (time.monotonic(), PressroomProfile.load())
    return _kept[1]


def forget_profile(**_kwargs):
    global _kept
    _kept = None
