from django.conf import settings
from django.utils.functional import SimpleLazyObject

from pressroom.models import PressroomProfile


def site(request):
    return {
        "profile": SimpleLazyObject(PressroomProfile.load),
        "SITE_URL": settings.SITE_URL,
    }
