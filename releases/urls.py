"""Addresses of the public release pages, feeds and search."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.caching import public_page
from releases import feeds, views
from releases.caching import cached_until_releases_change as cached
from releases.caching import cached_until_shown_releases_change as cached_by_shown
from releases.filters import KEYS

app_name = "releases"

urlpatterns = [
    path("", cached(views.ReleaseListView.as_view(), params=(*KEYS, "page")), name="list"),
    path(_("search/"), public_page(views.ReleaseListView.as_view(search_page=True)), name="search"),
    path("rss/", cached(feeds.ReleaseFeed(), params=KEYS), name="rss"),
    path("atom/", cached(feeds.ReleaseAtomFeed(), params=KEYS), name="atom"),
    path(_("contacts/"), cached(views.ContactListView.as_view()), name="contacts"),
    path(_("contacts/<int:pk>.vcf"), public_page(views.contact_vcard), name="contact-vcard"),
    path("preview/<str:token>/", views.PreviewView.as_view(), name="preview"),
    path("<slug:slug>/", cached_by_shown(views.ReleaseDetailView.as_view()), name="detail"),
    path("<slug:slug>/invitation.ics", cached_by_shown(views.invitation_ics), name="ics"),
    path("<slug:slug>/contacts.vcf", cached(views.release_vcards), name="contacts-vcard"),
]
