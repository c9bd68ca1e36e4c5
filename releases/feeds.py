"""RSS 2.0 and Atom feeds of releases: all, or one type or topic, in each language."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core.models import PressroomProfile
from releases.models import Release, ReleaseKind, Topic


class ReleaseFeed(Feed):
    def get_object(self, request):
        kind = request.GET.get("kind", "")
        topic_slug = request.GET.get("topic", "")
        topic = None
        if topic_slug:
            topic = (
                Topic.objects.filter(slug_en=topic_slug) | Topic.objects.filter(slug_da=topic_slug)
            ).first()
        return {
            "kind": kind if kind in ReleaseKind.values else "",
            "topic": topic,
            "profile": PressroomProfile.load(),
        }

    def title(self, obj):
        parts = [obj["profile"].title]
        if obj["kind"]:
            parts.append(ReleaseKind(obj["kind"]).label)
        if obj["topic"]:
            parts.append(obj["topic"].name)
        return " – ".join(str(part) for part in parts)

    def link(self, obj):
        return reverse("releases:list")

    def description(self, obj):
        return obj["profile"].about or _("Releases")

    def items(self, obj):
        return (
            Release.objects.published()
            .filtered(
                kind=obj["kind"] or None, topic=obj["topic"].slug_en if obj["topic"] else None
            )
            .order_by("-published_at", "-pk")[:30]
        )

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
