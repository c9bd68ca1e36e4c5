"""The editorial desk on the admin's pages: the queue, diffs and history entries."""

from django import template

from releases import desk
from releases.models import ReleaseEvent

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_queue(context):
    """The desk's sections for the person looking at the page."""
    request = context.get("request")
    if request is None or not request.user.has_perm("releases.view_release"):
        return {}
    return desk.queue_for(request.user)


@register.filter
def person(user):
    """A user as colleagues know them: full name, else user name."""
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()


@register.filter
def is_sent_back(event):
    return event.action == ReleaseEvent.Action.SENT_BACK
