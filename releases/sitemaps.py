from django.contrib.sitemaps import Sitemap

from releases.models import Release


class ReleaseSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Release.objects.published().order_by("-published_at", "-pk")

    def lastmod(self, release):
        return max(release.updated_at, release.published_at)
