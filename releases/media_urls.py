"""The address under MEDIA_URL at which uploaded files are served."""

from django.urls import path

from releases import media_views

app_name = "media"

urlpatterns = [
    path("<path:path>", media_views.serve_media, name="file"),
]
