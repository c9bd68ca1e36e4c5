"""Slowing down guessing of admin passwords.

Failed logins are counted in the shared cache (the database by default, so
every web process sees the same count), per account and per client address.
Past ``LOGIN_FAILURE_LIMIT`` failures within ``LOGIN_FAILURE_WINDOW`` seconds
the login form refuses further attempts until the window has passed.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver


def client_address(request):
    # Behind the proxy described in the README, REMOTE_ADDR is the proxy; the
    # proxy's X-Forwarded-For is trusted only when PROXY_SSL_HEADER says a proxy is there.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _keys(request, username):
    account = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:user:{account}", f"login-fail:addr:{client_address(request)}"]


def login_blocked(request, username):
    """True while the account or the client has used up its failed attempts."""
    counts = cache.get_many(_keys(request, username))
    return any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values())


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    for key in _keys(request, credentials.get("username")):
        if not cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW)
