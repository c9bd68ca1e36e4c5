"""The sign-up form of the subscribe box, rendered once per language and mission for a while."""

import threading
import time

from django import template
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from missions.models import Mission
from releases.models import Topic
from subscriptions.forms import ChoicesForm, SubscribeForm

register = template.Library()

# (language, mission pk) -> (rendered at, HTML). The form is the same for every reader; its
# topic and mission choices are most of a page's rendering time.
_rendered = {}
_lock = threading.Lock()


@register.simple_tag
def subscribe_form(mission=None):
    """The sign-up form for a page's box, with the page's mission chosen."""
    key = (get_language(), mission.pk if mission else None)
    with _lock:
        kept = _rendered.get(key)
    if kept is not None and time.monotonic() - kept[0] < settings.PAGE_CACHE_SECONDS:
        return kept[1]
    initial = {"language": key[0]}
    if mission:
        initial.update(follow=ChoicesForm.CHOSEN, missions=[mission.pk])
    html = mark_safe(  # noqa: S308 (rendered by the template engine, which escaped it)
        render_to_string(
            "subscriptions/includes/subscribe_form.html",
            {
                "form": SubscribeForm(initial=initial, auto_id="subscribe-%s"),
                "compact": True,
                "open_choices": bool(mission),
            },
        )
    )
    with _lock:
        _rendered[key] = (time.monotonic(), html)
    return html


def forget_rendered_forms(**kwargs):
    """An edited topic or mission shows in this process's next form at once."""
    with _lock:
        _rendered.clear()


for model in (Topic, Mission):
    post_save.connect(forget_rendered_forms, sender=model, dispatch_uid=f"subscribe-form-{model}")
    post_delete.connect(forget_rendered_forms, sender=model, dispatch_uid=f"subscribe-del-{model}")
