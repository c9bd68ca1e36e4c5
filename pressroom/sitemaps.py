from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from missions.sitemaps import MissionSitemap
from releases.sitemaps import ReleaseSitemap


class StaticPagesSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "about",
            "releases:list",
            "releases:contacts",
            "missions:list",
            "subscriptions:subscribe",
        ]

    def location(self, item):
        return reverse(item)


sitemaps = {
    "pages": StaticPagesSitemap,
    "releases": ReleaseSitemap,
    "missions": MissionSitemap,
}
