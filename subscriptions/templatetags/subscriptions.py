from django import template
from django.utils.translation import get_language

from subscriptions.forms import ChoicesForm, SubscribeForm

register = template.Library()


@register.inclusion_tag("subscriptions/includes/subscribe_form.html", takes_context=True)
def subscribe_form(context, mission=None):
    """The sign-up form for a page's box, with the page's mission chosen."""
    initial = {"language": get_language()}
    if mission:
        initial.update(follow=ChoicesForm.CHOSEN, missions=[mission.pk])
    return {
        "form": SubscribeForm(initial=initial, auto_id="subscribe-%s"),
        "compact": True,
        "open_choices": bool(mission),
        "csrf_token": context.get("csrf_token"),
    }
