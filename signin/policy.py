"""Who must sign in with a second factor, and whether this session has."""

from django.conf import settings
from two_factor.utils import default_device


def second_factor_required(user):
    """Editors (whoever may publish) always; press officers when the setting says so."""
    if not (user.is_active and user.is_staff):
        return False
    return settings.TWO_FACTOR_FOR_PRESS_OFFICERS or user.has_perm("releases.publish_release")


def has_second_factor(user):
    return default_device(user) is not None


def second_factor_done(user):
    """True when the user needs no second factor here, or has given it in this session."""
    if user.is_verified():
        return True
    # Whoever has set one up is asked for it, even where it is optional.
    return not second_factor_required(user) and not has_second_factor(user)
