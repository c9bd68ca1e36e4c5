"""Failed sign-ins counted per account and client address, with django-axes."""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler


class ThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, marking the request when a locked pair was refused unheard."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            request.sign_in_refused = True
            raise


def allowed(request, username):
    """Whether this account may still try to sign in from this client address."""
    return AxesProxyHandler.is_allowed(request, {"username": username})


def username(request, credentials):
    """The account name an attempt is counted under: as typed, from either sign-in step."""
    if credentials and credentials.get("username") is not None:
        return credentials["username"]
    return request.POST.get("auth-username")
