"""One rate limiter: events counted per key in the shared cache, which every web process sees."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The address of the client, as far as the proxy in front (if any) can be trusted."""
    # Behind the proxy described in the README, REMOTE_ADDR is the proxy; the
    # proxy's X-Forwarded-For is trusted only when PROXY_SSL_HEADER says a proxy is there.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(scope, value):
    # Hashed, so that no address or account name is stored in the cache as typed.
    digest = hashlib.sha256(str(value or "").strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def count(scope, value):
    """How many events ``value`` has had in ``scope`` within the current window."""
    return cache.get(_key(scope, value), 0)


def record(scope, value, window):
    """Count one more event for ``value``; the count within ``window`` seconds, this one included.

    The window starts at the first event and is not extended by later ones.
    """
    key = _key(scope, value)
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1
