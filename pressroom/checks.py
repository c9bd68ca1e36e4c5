"""System checks that stop a start-up with bad or missing production settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security)
def check_settings(app_configs, **kwargs):
    errors = []
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:
        key = ""
    if not key:
        errors.append(
            Error(
                "SECRET_KEY is not set.",
                hint="Set SECRET_KEY in the environment or in .env to a long random string.",
                id="pressroom.E001",
            )
        )
    elif len(key) < 32 or len(set(key)) < 5:
        errors.append(
            Error(
                "SECRET_KEY is too short or too simple.",
                hint="Use at least 50 random characters, for example from "
                "django.core.management.utils.get_random_secret_key().",
                id="pressroom.E002",
            )
        )
    if not settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "ALLOWED_HOSTS is empty.",
                hint="List the host names the site answers to, separated by commas.",
                id="pressroom.E003",
            )
        )
    site = urlsplit(settings.SITE_URL)
    if site.scheme not in ("http", "https") or not site.hostname:
        errors.append(
            Error(
                f"SITE_URL {settings.SITE_URL!r} is not an absolute http(s) address.",
                hint="Set SITE_URL to the public address of the site, such as "
                "https://pressroom.example.org; email links are built from it.",
                id="pressroom.E004",
            )
        )
    elif not settings.DEBUG and not _host_allowed(site.hostname, settings.ALLOWED_HOSTS):
        errors.append(
            Error(
                f"The host of SITE_URL ({site.hostname}) is not in ALLOWED_HOSTS.",
                hint="Add it to ALLOWED_HOSTS.",
                id="pressroom.E005",
            )
        )
    return errors


def _host_allowed(host, allowed):
    for pattern in allowed:
        if pattern == "*" or pattern == host:
            return True
        if pattern.startswith(".") and (host == pattern[1:] or host.endswith(pattern)):
            return True
        if pattern == f"[{host}]":
            return True
    return False
