"""Template filters for images from the upload pipeline: their renditions in <picture>."""

from django import template

from core import images

register = template.Library()


@register.filter
def rendition_srcset(renditions, image_format):
    """The ``srcset`` of one format's renditions: ``webp`` or ``jpeg``."""
    return images.srcset(renditions or [], image_format)


@register.filter
def rendition_fallback(original, renditions):
    """The URL for browsers without ``srcset``: a JPEG rendition, else the original."""
    return images.fallback_url(renditions or [], original)
