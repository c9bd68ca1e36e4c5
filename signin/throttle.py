"""Failed sign-ins counted per account and client address, with django-axes."""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings


def client_address(request):
    # Behind the proxy described in the README, REMOTE_ADDR is the proxy; the
    # proxy's X-Forwarded-For is trusted only when PROXY_SSL_HEADER says a proxy is there.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


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
