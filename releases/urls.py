from django.urls import path
from django.utils.translation import gettext_lazy as _

from releases import views

app_name = "releases"

urlpatterns = [
    path("", views.ReleaseListView.as_view(), name="list"),
    path(_("contacts/"), views.ContactListView.as_view(), name="contacts"),
    path("<slug:slug>/", views.ReleaseDetailView.as_view(), name="detail"),
]
