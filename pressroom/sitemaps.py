from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from missions.sitemaps import MissionSitemap
from releases.sitemaps import ReleaseSitemap


class DefaultLanguageMixin:
    """x-default points at the default language's address.

    Django's own x-default drops the language prefix, and every address here
    carries one: those addresses answer 404.
    """

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for info in urls:
            default = next(
                (a for a in info["alternates"] if a["lang_code"] == settings.LANGUAGE_CODE), None
            )
            for alternate in info["alternates"]:
                if alternate["lang_code"] == "x-default" and default:
                    alternate["location"] = default["location"]
        return urls


class StaticPagesSitemap(DefaultLanguageMixin, Sitemap):
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
            "library:list",
            "missions:list",
            "subscriptions:subscribe",
        ]

    def location(self, item):
        return reverse(item)


class ReleasesSitemap(DefaultLanguageMixin, ReleaseSitemap):
    pass


class MissionsSitemap(DefaultLanguageMixin, MissionSitemap):
    pass


sitemaps = {
    "pages": StaticPagesSitemap,
    "releases": ReleasesSitemap,
    "missions": MissionsSitemap,
}
