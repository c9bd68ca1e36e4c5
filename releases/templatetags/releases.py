"""Template tags for release pages: the sanitised body and the schema.org description."""

import json

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from releases.html import sanitize

register = template.Library()


@register.filter
def safe_body(html):
    """Release HTML through the sanitiser, whatever path it was stored by."""
    return mark_safe(sanitize(html))


@register.simple_tag
def news_article_json(release, profile):
    """schema.org NewsArticle for the release, safe to place inside <script>."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.title,
        "description": release.lead,
        "datePublished": release.published_at.isoformat(timespec="seconds")
        if release.published_at
        else None,
        "dateModified": max(release.updated_at, release.published_at).isoformat(timespec="seconds")
        if release.published_at
        else None,
        "inLanguage": release.shown_language(),
        "url": settings.SITE_URL + release.get_absolute_url(),
        "mainEntityOfPage": settings.SITE_URL + release.get_absolute_url(),
        "publisher": {"@type": "GovernmentOrganization", "name": profile.sender_name()},
        "author": {"@type": "GovernmentOrganization", "name": profile.sender_name()},
    }
    lead_image = next(iter(offered(release.images.all())), None)
    if lead_image is not None:
        data["image"] = [settings.SITE_URL + lead_image.image.url]
    text = json.dumps({k: v for k, v in data.items() if v}, ensure_ascii=False)
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(escaped)


@register.filter
def offered(release_images):
    """The images whose rights have not run out: those a page may show and share."""
    return [image for image in release_images if not image.rights_expired()]
