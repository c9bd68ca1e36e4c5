from django.urls import path

from core.caching import public_page
from missions import views

app_name = "missions"

urlpatterns = [
    path("", public_page(views.MissionListView.as_view()), name="list"),
    path("data/<slug:dataset>.<str:fmt>", public_page(views.export), name="export"),
    path("<slug:slug>/", public_page(views.MissionDetailView.as_view()), name="detail"),
]
