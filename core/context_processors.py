"""What every template may use: the pressroom profile and the public address."""

import time

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from core.models import PressroomProfile

# The profile as readers' pages show it, kept in this process: (time.monotonic() read, profile).
# It carries the parts of pages rendered from it, by language (``page_parts``, see ``{% kept %}``).
_kept = None


def site(request):
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return {"profile": SimpleLazyObject(PressroomProfile.load), "SITE_URL": settings.SITE_URL}
    profile = SimpleLazyObject(_kept_profile)
    return {
        "profile": profile,
        # The footer, rendered from nothing but the profile, once per language.
        "site_parts": SimpleLazyObject(lambda: profile.page_parts.setdefault(get_language(), {})),
        "SITE_URL": settings.SITE_URL,
    }


def _kept_profile():
    """The profile for a page without a session, read at most once per PAGE_CACHE_SECONDS in
    this process (and at once after this process saves it): the pages that show it are kept
    that long anyway. Staff, who have a session, always get it read afresh."""
    global _kept
    if _kept is None or time.monotonic() - _kept[0] >= settings.PAGE_CACHE_SECONDS:
        profile = PressroomProfile.load()
        profile.page_parts = {}
        _kept = (time.monotonic(), profile)
    return _kept[1]


def forget_profile(**_kwargs):
    global _kept
    _kept = None
