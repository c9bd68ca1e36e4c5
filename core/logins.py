"""Slowing down guessing of admin passwords.

Failed logins are counted with the throttle in the shared cache (the database
by default, so every web process sees the same count), per account and per
client address. Past ``LOGIN_FAILURE_LIMIT`` failures within
``LOGIN_FAILURE_WINDOW`` seconds the login form refuses further attempts until
the window has passed.
"""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from core import throttle


def _counted(request, username):
    return [("login-account", username), ("login-client", throttle.client_address(request))]


def login_blocked(request, username):
    """True while the account or the client has used up its failed attempts."""
    return any(
        throttle.count(scope, value) >= settings.LOGIN_FAILURE_LIMIT
        for scope, value in _counted(request, username)
    )


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    for scope, value in _counted(request, credentials.get("username")):
        throttle.record(scope, value, settings.LOGIN_FAILURE_WINDOW)
