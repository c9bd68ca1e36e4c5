"""Responses to a signed-in person are theirs alone: no browser or proxy may keep them."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class PrivateResponsesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Only a request with a session can be signed in; asking any other would
        # touch the session and add "Vary: Cookie" to every public page.
        declared = response.get("Cache-Control", "")
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
            and "public" not in declared
            and "no-store" not in declared
        ):
            add_never_cache_headers(response)
        return response
