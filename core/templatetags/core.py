"""Template tags for every page: language alternates, times as the pressroom shows them, and
parts of a page kept as rendered."""

import re

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from core.i18n import page_alternates

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The current page in every language; a view may hand its own as ``alternates``."""
    if "alternates" in context:
        return context["alternates"]
    request = context.get("request")
    return page_alternates(request, context.get("object")) if request else []


# The main navigation as rendered, by (language, script prefix, the current page's path if it
# is one of the navigation's own links, else ""), and the navigation's links by (language,
# script prefix), read from its first rendering.
_navs = {}
_nav_links = {}


@register.simple_tag(takes_context=True)
def main_nav(context):
    """``includes/main_nav.html``, the same on every page but the few it links to: rendered
    once per language and per linked page, not on every page (six addresses to reverse)."""
    request = context.get("request")
    path = request.path if request is not None else ""
    base = (get_language(), get_script_prefix())
    links = _nav_links.get(base)
    current = path if links is None or path in links else ""
    html = _navs.get((*base, current))
    if html is None:
        html = render_to_string("includes/main_nav.html", {"current_path": current})
        if len(_navs) > 100:
            _navs.clear()
        _navs[(*base, current)] = html
        _nav_links.setdefault(base, set(re.findall(r'href="([^"]*)"', html)))
    return html


@register.simple_tag(takes_context=True)
def pagination(context):
    """``includes/pagination.html`` (with its closing line break) written in Python, byte for
    byte, as a test holds it: the newer and older links under every list page, whose
    template was a twentieth of a list page rendered afresh."""
    html = ""
    if context.get("is_paginated"):
        page = context["page_obj"]
        query = context.get("query_string")
        before = f"?{conditional_escape(query)}&amp;page=" if query else "?page="
        newer = older = ""
        if page.has_previous():
            newer = (
                f'<a href="{before}{localize(page.previous_page_number())}" rel="prev">'
                f"{escape(gettext('Newer'))}</a>"
            )
        if page.has_next():
            older = (
                f'<a href="{before}{localize(page.next_page_number())}" rel="next">'
                f"{escape(gettext('Older'))}</a>"
            )
        numbers = {"number": localize(page.number), "total": localize(page.paginator.num_pages)}
        html = (
            f'<nav class="pagination" aria-label="{escape(gettext("Pages"))}">\n'
            f"  {newer}\n"
            f"  <span>{gettext('Page %(number)s of %(total)s') % numbers}</span>\n"
            f"  {older}\n</nav>"
        )
    return mark_safe(html + "\n")  # noqa: S308 (every part escaped here)


@register.filter
def shown_time(value):
    """A moment as the pressroom shows it, with the zone named: 9.11.2023 17:08:02 CET."""
    if not value:
        return ""
    return local_time(timezone.localtime(value))


def local_time(local):
    """``shown_time`` of a moment already in the reader's time zone.

    Django's ``j.n.Y H:i:s`` written out (a list of twenty releases spent a millisecond in
    the date format). The zone comes from the moment itself: Django's "T" format is empty
    for the repeated hour when clocks fall back, exactly when naming the zone matters.
    """
    return (
        f"{local.day}.{local.month}.{local.year:04d} "
        f"{local.hour:02d}:{local.minute:02d}:{local.second:02d} {local.tzname()}"
    )


@register.filter
def isodate(value):
    """A moment for ``<time datetime>``: to the second, with the offset (no fractions)."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


@register.tag
def kept(parser, token):
    """``{% kept parts "name" %}…{% endkept %}``: what it encloses, rendered once into the dict
    ``parts`` under ``name`` and taken from there afterwards; rendered each time when
    ``parts`` is missing or None.

    The view hands ``parts`` along with what they are rendered from and keeps them exactly
    as long (a release page's head and article, kept with its release: see
    ``releases/views.py``), so what is enclosed may read only that and what never changes.
    """
    try:
        _tag, parts, name = token.split_contents()
    except ValueError as error:
        raise template.TemplateSyntaxError("{% kept parts name %} takes two arguments") from error
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, parser.compile_filter(parts), parser.compile_filter(name))


class KeptNode(template.Node):
    def __init__(self, nodelist, parts, name):
        self.nodelist = nodelist
        self.parts = parts
        self.name = name

    def render(self, context):
        parts = self.parts.resolve(context)
        if not isinstance(parts, dict):
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        html = parts.get(name)
        if html is None:
            html = parts[name] = self.nodelist.render(context)
        return html
