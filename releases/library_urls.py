"""Addresses of the media library and its downloads."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from releases import library_views
from releases.caching import cached_until_media_change as cached
from releases.library import KEYS

app_name = "library"

urlpatterns = [
    path("", cached(library_views.MediaLibraryView.as_view(), params=(*KEYS, "page")), name="list"),
    path(_("images/<int:pk>/original/"), library_views.original, name="original"),
    path(
        _("missions/<slug:slug>/original/"),
        library_views.mission_original,
        name="mission-original",
    ),
    path(_("<slug:slug>/images.zip"), library_views.release_images, name="release-images"),
]
