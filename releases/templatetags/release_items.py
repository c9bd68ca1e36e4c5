"""A release's entry in a list, rendered once per language while the release stays as it is.

Home, the list, a release page's latest and related releases and a mission page all show
entries rendered from ``includes/release_item.html``, and they were most of what rendering
those pages cost. An entry shows only its release's own fields in the page's language, so
it is kept in this process by the release's id, its last edit, status and publication time
(the same state that keeps a release page, see ``releases/caching.py``) and the language
and time zone: any save of the release renders it afresh. Search results, whose entries
carry the words found, are rendered each time.
"""

import threading
from collections import OrderedDict

from django import template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import get_language

register = template.Library()

# Enough for every entry of both languages on the busiest pages, several times over.
KEPT_ENTRIES = 4000

_rendered = OrderedDict()
_lock = threading.Lock()


@register.simple_tag
def release_item(release):
    """The release's entry: ``includes/release_item.html`` for it, kept while it stays as is."""
    if getattr(release, "snippet_html", None):
        return get_template("includes/release_item.html").render({"release": release})
    key = (
        release.pk,
        release.updated_at,
        release.status,
        release.published_at,
        get_language(),
        timezone.get_current_timezone_name(),
    )
    with _lock:
        html = _rendered.get(key)
        if html is not None:
            _rendered.move_to_end(key)
            return html
    html = get_template("includes/release_item.html").render({"release": release})
    with _lock:
        _rendered[key] = html
        while len(_rendered) > KEPT_ENTRIES:
            _rendered.popitem(last=False)
    return html


def forget_rendered_items():
    with _lock:
        _rendered.clear()
