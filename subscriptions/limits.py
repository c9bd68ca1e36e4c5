"""Rate limits on sign-ups and link requests, per client and per email address."""

from django.conf import settings

from core import throttle


def client_allowed(request):
    count = throttle.record(
        "subscribe-client", throttle.client_address(request), settings.SUBSCRIBE_LIMIT_WINDOW
    )
    return count <= settings.SUBSCRIBE_LIMIT_PER_CLIENT


def address_allowed(email):
    count = throttle.record("subscribe-address", email, settings.SUBSCRIBE_LIMIT_WINDOW)
    return count <= settings.SUBSCRIBE_LIMIT_PER_ADDRESS
