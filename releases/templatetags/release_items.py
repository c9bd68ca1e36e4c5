"""A release's entry in a list, rendered once per language while the release stays as it is.

Home, the list, a release page's latest and related releases and a mission page all show
entries, and they were most of what rendering those pages cost. An entry shows only its
release's own fields in the page's language, so it is kept in this process by the release's
id, its last edit, status and publication time (the same state that keeps a release page, see
``releases/caching.py``) and the language and time zone: any save of the release renders it
afresh. Search results, whose entries carry the words found, are rendered each time.

``includes/release_item.html`` is the entry. ``entry_html`` writes the same bytes in Python,
about ten times faster (a list page of twenty releases nobody has asked for spent half its
time in the template); ``tests/test_render_cost.py`` holds the two to each other.
"""

import threading
from collections import OrderedDict

from django import template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from core.templatetags.core import isodate, shown_time
from releases.languages import lang_attribute

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
    html = entry_html(release)
    with _lock:
        _rendered[key] = html
        while len(_rendered) > KEPT_ENTRIES:
            _rendered.popitem(last=False)
    return html


def entry_html(release):
    """``includes/release_item.html`` for a release without search words, byte for byte."""
    language = get_language()
    shown = release.shown_language()
    meta = ""
    if shown != language:
        meta = " | " + conditional_escape(
            gettext("In Danish only" if shown == "da" else "In English only")
        )
    if release.status == "withdrawn":
        meta += " | <strong>" + conditional_escape(gettext("Withdrawn")) + "</strong>"
    lead = ""
    if release.lead:
        lead = format_html(
            "<p{}>{}</p>",
            lang_attribute(release, "lead"),
            Truncator(release.lead).words(50, truncate=" …"),
        )
    return mark_safe(  # noqa: S308 (every part escaped above or by format_html)
        format_html(
            '<article class="release-item">\n'
            '  <h3{}><a href="{}">{}</a></h3>\n'
            '  <p class="meta"><time datetime="{}">{}</time> | <span class="label">{}</span>',
            lang_attribute(release, "title"),
            release.get_absolute_url(),
            release.title,
            isodate(release.published_at),
            shown_time(release.published_at),
            release.get_kind_display(),
        )
        + meta
        + "</p>\n  "
        + lead
        + "\n</article>\n"
    )


def forget_rendered_items():
    with _lock:
        _rendered.clear()
