"""Template tags for every page: language alternates and times as the pressroom shows them."""

from django import template
from django.utils import dateformat, timezone

from core.i18n import page_alternates

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The current page in every language; a view may hand its own as ``alternates``."""
    if "alternates" in context:
        return context["alternates"]
    request = context.get("request")
    return page_alternates(request, context.get("object")) if request else []


@register.filter
def shown_time(value):
    """A moment as the pressroom shows it, with the zone named: 9.11.2023 17:08:02 CET."""
    if not value:
        return ""
    local = timezone.localtime(value)
    # The zone comes from the moment itself: Django's "T" format is empty for the
    # repeated hour when clocks fall back, exactly when naming the zone matters.
    return f"{dateformat.format(local, 'j.n.Y H:i:s')} {local.tzname()}"


@register.filter
def isodate(value):
    """A moment for ``<time datetime>``: to the second, with the offset (no fractions)."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""
