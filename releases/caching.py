"""The page cache for pages that show releases: kept until what the public sees of them changes."""

from core.caching import cached_page
from releases.models import Release


def cached_until_releases_change(view, params=()):
    """Let the page cache keep ``view``'s pages while the release version stays the same.

    ``params``: the query parameters the page reads; it is rendered without any others.
    """
    return cached_page(view, version=Release.objects.public_version, params=params)
