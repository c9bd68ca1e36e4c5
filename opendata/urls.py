"""The API's addresses: the same in every language, versioned in the path."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from core.caching import public_page
from opendata import views

app_name = "opendata"

urlpatterns = [
    path("v1/releases/", public_page(views.ReleaseList.as_view()), name="releases"),
    path("v1/releases.csv", public_page(views.ReleaseCSV.as_view()), name="releases-csv"),
    path("v1/releases/<int:pk>/", public_page(views.ReleaseDetail.as_view()), name="release"),
    path("v1/openapi.json", public_page(SpectacularJSONAPIView.as_view()), name="schema"),
]
