"""The log of failed sign-ins: every failure Django or the second-factor step reports."""

import ipaddress

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from core.throttle import client_address
from signin.models import SignInFailure


@receiver(user_login_failed, dispatch_uid="signin-audit")
def record_failure(sender, credentials, request=None, step=None, **kwargs):
    """Record a failed attempt; ``step`` is sent by the second-factor step of the sign-in."""
    if request is None:
        return
    username = str(credentials.get("username") or "")[:150]
    if getattr(request, "sign_in_refused", False):
        step = SignInFailure.Step.REFUSED
    User = get_user_model()
    SignInFailure.objects.create(
        username=username,
        user=User._default_manager.filter(**{User.USERNAME_FIELD: username}).first(),
        step=step or SignInFailure.Step.PASSWORD,
        address=_valid_address(client_address(request)),
        user_agent=request.headers.get("User-Agent", "")[:300],
    )


def _valid_address(text):
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
