"""What every template may use: the pressroom profile and the public address."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.models import PressroomProfile


def site(request):
    return {
        "profile": SimpleLazyObject(PressroomProfile.load),
        "SITE_URL": settings.SITE_URL,
    }
