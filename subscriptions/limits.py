"""Rate limits on sign-ups, counted in the shared cache so every web process sees them."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from pressroom.security import client_address


def _hit(key):
    """Count one more request under ``key``; the count within the window."""
    if cache.add(key, 1, settings.SUBSCRIBE_LIMIT_WINDOW):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, settings.SUBSCRIBE_LIMIT_WINDOW)
        return 1


def client_allowed(request):
    count = _hit(f"subscribe:client:{client_address(request)}")
    return count <= settings.SUBSCRIBE_LIMIT_PER_CLIENT


def address_allowed(email):
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return _hit(f"subscribe:address:{digest}") <= settings.SUBSCRIBE_LIMIT_PER_ADDRESS
