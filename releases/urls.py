from django.urls import path
from django.utils.translation import gettext_lazy as _

from pressroom.caching import cached_page
from releases import feeds, views

app_name = "releases"

urlpatterns = [
    path("", cached_page(views.ReleaseListView.as_view()), name="list"),
    path(_("search/"), views.ReleaseListView.as_view(search_page=True), name="search"),
    path("rss/", cached_page(feeds.ReleaseFeed()), name="rss"),
    path("atom/", cached_page(feeds.ReleaseAtomFeed()), name="atom"),
    path(_("contacts/"), views.ContactListView.as_view(), name="contacts"),
    path("preview/<str:token>/", views.PreviewView.as_view(), name="preview"),
    path("<slug:slug>/", cached_page(views.ReleaseDetailView.as_view()), name="detail"),
    path("<slug:slug>/invitation.ics", views.invitation_ics, name="ics"),
]
