"""The verify page, in each language's address."""

from django.urls import path

from core.caching import public_page
from verification import views

app_name = "verification"

urlpatterns = [
    path("", public_page(views.verify), name="verify"),
]
