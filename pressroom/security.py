"""The client address that request limits count by."""

from django.conf import settings


def client_address(request):
    # Behind the proxy described in the README, REMOTE_ADDR is the proxy; the
    # proxy's X-Forwarded-For is trusted only when PROXY_SSL_HEADER says a proxy is there.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
