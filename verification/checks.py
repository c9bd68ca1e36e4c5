"""A malformed signing key stops a start; a production one kept on local disk is reported."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security)
def check_signing_key(app_configs, **kwargs):
    from verification import keys

    try:
        if settings.RELEASE_SIGNING_KEY:
            keys._load(settings.RELEASE_SIGNING_KEY)
        keys.retired_keys()
    except ValueError:
        return [
            Error(
                "RELEASE_SIGNING_KEY or a key in RELEASE_SIGNING_RETIRED_KEYS is not a "
                "base64-encoded 32-byte Ed25519 key.",
                hint="Make one with: python3 manage.py signing_key --new",
                id="pressroom.E010",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_signing_key_set(app_configs, **kwargs):
    if settings.RELEASE_SIGNING_KEY:
        return []
    return [
        Warning(
            "RELEASE_SIGNING_KEY is not set: releases are signed with a key kept under VAR_DIR.",
            hint="Set RELEASE_SIGNING_KEY (python3 manage.py signing_key --new) and keep it "
            "secret and backed up: it is the pressroom's signature.",
            id="pressroom.W010",
        )
    ]
