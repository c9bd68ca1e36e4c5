from django.urls import path

from releases import media

app_name = "media"

urlpatterns = [
    path("<path:path>", media.serve_media, name="file"),
]
