from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from pressroom import views
from pressroom.caching import cached_page
from pressroom.sitemaps import sitemaps

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", cached_page(sitemap), {"sitemaps": sitemaps}, name="sitemap"),
    path(settings.MEDIA_URL.lstrip("/"), include("releases.media_urls")),
]

urlpatterns += i18n_patterns(
    path("", cached_page(views.HomeView.as_view()), name="home"),
    path(_("about/"), views.AboutView.as_view(), name="about"),
    path(_("releases/"), include("releases.urls")),
    path(_("missions/"), include("missions.urls")),
    path(_("subscriptions/"), include("subscriptions.urls")),
)

handler404 = "pressroom.views.page_not_found"
