"""Rate limits for the API's clients, counted per client address in the shared cache."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from core.throttle import client_address


class ClientThrottle(AnonRateThrottle):
    """REST framework's limit for anonymous clients, with the project's idea of an address.

    The API has no accounts: every client is anonymous. The rate is read at each
    request (``API_RATE_LIMIT``, such as ``120/min``), not once at import.
    """

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_ident(self, request):
        return client_address(request)
