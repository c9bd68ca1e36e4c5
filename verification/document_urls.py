"""The public key and the signed documents: the same address in every language."""

from django.urls import path

from core.caching import public_page
from verification import views

app_name = "signed"

urlpatterns = [
    path(
        "releases/<int:pk>/<slug:language>.json",
        public_page(views.signed_document),
        name="document",
    ),
    path(
        "releases/<int:pk>/<slug:language>/v<int:number>.json",
        public_page(views.signed_document),
        name="version",
    ),
]
