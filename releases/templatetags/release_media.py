"""Template filters for the responsive image markup of a release's images."""

from django import template
from django.utils.http import urlencode

from releases import media

register = template.Library()


@register.filter
def srcset(release_image, image_format):
    """The ``srcset`` of an image's renditions in one format: ``webp`` or ``jpeg``."""
    return media.srcset(release_image, image_format)


@register.filter
def fallback_url(release_image):
    return media.fallback_url(release_image)


@register.filter
def with_preview(urls, token):
    """Media URLs (one, or a ``srcset``) carrying a preview link's token for its reader."""
    if not token:
        return urls
    query = urlencode({"preview": token})
    candidates = []
    for candidate in urls.split(", "):
        url, _space, descriptor = candidate.partition(" ")
        url = f"{url}{'&' if '?' in url else '?'}{query}"
        candidates.append(f"{url} {descriptor}" if descriptor else url)
    return ", ".join(candidates)
