"""Template filters for the responsive image markup of a release's images."""

from django import template

from releases import media

register = template.Library()


@register.filter
def srcset(release_image, image_format):
    """The ``srcset`` of an image's renditions in one format: ``webp`` or ``jpeg``."""
    return media.srcset(release_image, image_format)


@register.filter
def fallback_url(release_image):
    return media.fallback_url(release_image)
