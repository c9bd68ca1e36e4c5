"""The site's addresses: admin, sitemap and media, then each language's pages."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from core.caching import public_page
from pressroom import views
from pressroom.sitemaps import sitemaps
from releases.caching import cached_until_releases_change as cached
from verification import views as verification_views

urlpatterns = [
    # The admin's language, for whoever's browser asks for the other one: a cookie that only
    # the admin's addresses receive (LANGUAGE_COOKIE_PATH); the site's addresses name theirs.
    path("admin/language/", set_language, name="admin-language"),
    path("admin/", include("signin.urls")),
    path("admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz/workers", views.workers_healthz, name="healthz-workers"),
    path("sitemap.xml", cached(sitemap, params=("p",)), {"sitemaps": sitemaps}, name="sitemap"),
    path(settings.MEDIA_URL.lstrip("/"), include("releases.media_urls")),
    path("api/", include("opendata.urls")),
    path(
        ".well-known/pressroom-signing-key.json",
        public_page(verification_views.public_key),
        name="signing-key",
    ),
    path("signed/", include("verification.document_urls")),
]

urlpatterns += i18n_patterns(
    path("", cached(views.HomeView.as_view()), name="home"),
    path(_("about/"), cached(views.AboutView.as_view()), name="about"),
    path(_("releases/"), include("releases.urls")),
    path(_("missions/"), include("missions.urls")),
    path(_("media/"), include("releases.library_urls")),
    path(_("subscriptions/"), include("subscriptions.urls")),
    path(_("verify/"), include("verification.urls")),
)

handler404 = "pressroom.views.page_not_found"
