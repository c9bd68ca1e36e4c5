"""RSS 2.0 and Atom feeds of releases, with the list's filters, in each language."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core.models import PressroomProfile
from releases.filters import Filters
from releases.models import Release, ReleaseKind


class ReleaseFeed(Feed):
    """The newest releases; ``?kind=``, ``?topic=``, ``?year=`` and ``?mission=`` as on the list.

    A filter value that names nothing answers 404 rather than every release.
    """

    def get_object(self, request):
        filters = Filters(request.GET, every_choice=False)
        if not filters.valid:
            raise Http404(_("These filters name nothing on this site."))
        return {"filters": filters, "profile": PressroomProfile.load()}

    def title(self, obj):
        filters = obj["filters"]
        parts = [obj["profile"].title]
        if filters.kind:
            parts.append(ReleaseKind(filters.kind).label)
        if filters.topic:
            parts.append(filters.topic.name)
        if filters.mission:
            parts.append(str(filters.mission))
        if filters.year:
            parts.append(str(filters.year))
        return " – ".join(str(part) for part in parts)

    def link(self, obj):
        query = obj["filters"].query_string(query=False)
        return reverse("releases:list") + (f"?{query}" if query else "")

    def feed_url(self, obj):
        query = obj["filters"].query_string(query=False)
        return self._own_url() + (f"?{query}" if query else "")

    def _own_url(self):
        return reverse("releases:rss")

    def description(self, obj):
        return obj["profile"].about or _("Releases")

    def author_name(self, obj):
        return obj["profile"].sender_name()

    def author_email(self, obj):
        return obj["profile"].email or None

    def author_link(self, obj):
        return settings.SITE_URL + reverse("about")

    def items(self, obj):
        releases = obj["filters"].apply(Release.objects.published())
        return releases.order_by("-published_at", "-pk")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_guid(self, item):
        return f"{settings.SITE_URL}/releases/{item.pk}"

    item_guid_is_permalink = False

    def item_categories(self, item):
        return [item.get_kind_display()]


class ReleaseAtomFeed(ReleaseFeed):
    feed_type = Atom1Feed
    subtitle = ReleaseFeed.description

    def _own_url(self):
        return reverse("releases:atom")
