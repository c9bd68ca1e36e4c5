from django.contrib.sitemaps import Sitemap

from missions.models import Mission


class MissionSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Mission.objects.order_by("pk")
