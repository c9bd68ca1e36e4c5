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

import functools
import re
import threading
from collections import OrderedDict
from html import escape as escape_html

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from core.templatetags.core import local_time
from releases.models import ReleaseKind

register = template.Library()

# Enough for every entry of both languages on the busiest pages, several times over.
KEPT_ENTRIES = 4000

_rendered = OrderedDict()
_lock = threading.Lock()


@register.simple_tag
def release_item(release):
    """The release's entry: ``includes/release_item.html`` for it, kept while it stays as is."""
    return _entries((release,), "")


@register.simple_tag
def release_items(releases, indent=0):
    """Each release's entry (``{% release_item %}``), each followed by a line break and
    ``indent`` spaces: a list's twenty entries without twenty passes through the template
    engine."""
    return _entries(releases, "\n" + " " * indent)


def _entries(releases, after):
    """The entries of ``releases``, each followed by ``after``. The page's language, time zone
    and address prefix are read once for all of them: each is a lookup in the request's
    context, a tenth of what making an entry anew costs."""
    language = get_language()
    zone = timezone.get_current_timezone()
    state = (language, str(zone))
    words = None
    html = []
    for release in releases:
        if getattr(release, "snippet_html", None):
            template = get_template("includes/release_item.html")
            html.append(template.render({"release": release}) + after)
            continue
        key = (release.pk, release.updated_at, release.status, release.published_at, *state)
        with _lock:
            entry = _rendered.get(key)
            if entry is not None:
                _rendered.move_to_end(key)
        if entry is None:
            words = words or _words(language, get_script_prefix())
            entry = _entry_html(release, language, zone, words)
            with _lock:
                _rendered[key] = entry
                while len(_rendered) > KEPT_ENTRIES:
                    _rendered.popitem(last=False)
        html.append(entry + after)
    return mark_safe("".join(html))  # noqa: S308 (each entry escaped where it is made)


def entry_html(release):
    """``includes/release_item.html`` for a release without search words, byte for byte."""
    language = get_language()
    words = _words(language, get_script_prefix())
    html = _entry_html(release, language, timezone.get_current_timezone(), words)
    return mark_safe(html)  # noqa: S308 (every part escaped there)


def _entry_html(release, language, zone, words):
    """``entry_html`` in ``language`` and time ``zone``.

    Written for speed as much as the template is for reading: what is the same for every
    entry of a language (labels, the address around a slug) is looked up once per language,
    and each field is read in the language it is shown in, without the translated fields'
    fallback at each access.
    """
    codes = words.codes
    title_code = next((code for code in codes if getattr(release, f"title_{code}")), language)
    shown = title_code if getattr(release, f"title_{title_code}") else language
    meta = words.only[shown] if shown != language else ""
    if release.status == "withdrawn":
        meta += words.withdrawn
    lead = ""
    lead_code = next((code for code in codes if getattr(release, f"lead_{code}")), None)
    if lead_code is not None:
        lead = _truncated(getattr(release, f"lead_{lead_code}"))
        lang = f' lang="{lead_code}"' if lead_code != language else ""
        lead = f"<p{lang}>{escape_html(lead)}</p>"
    title_lang = f' lang="{title_code}"' if title_code != language else ""
    local = timezone.localtime(release.published_at, zone)
    return (
        '<article class="release-item">\n'
        f"  <h3{title_lang}>"
        f'<a href="{escape_html(words.address(release, language))}">'
        f"{escape_html(getattr(release, f'title_{title_code}'))}</a></h3>\n"
        f'  <p class="meta"><time datetime="{local.isoformat(timespec="seconds")}">'
        f"{escape_html(local_time(local))}</time> | "
        f'<span class="label">{words.kinds.get(release.kind) or escape_html(release.kind)}</span>'
        f"{meta}</p>\n  {lead}\n</article>\n"
    )


def _truncated(text, length=50):
    """``text|truncatewords:50``: its words, one space apart, the first 50 and " …"."""
    words = text.split()
    if len(words) <= length:
        return " ".join(words)
    text = " ".join(words[:length])
    return text if text.endswith(" …") else text + " …"


class _Words:
    """What every entry of one language shares, looked up once."""

    def __init__(self, language):
        with translation.override(language):
            self.codes = [language, *(code for code, _ in settings.LANGUAGES if code != language)]
            self.only = {
                "da": " | " + escape(gettext("In Danish only")),
                "en": " | " + escape(gettext("In English only")),
            }
            self.withdrawn = " | <strong>" + escape(gettext("Withdrawn")) + "</strong>"
            self.kinds = {value: escape(str(label)) for value, label in ReleaseKind.choices}
            # A release's address is this one with its slug in place of the marker.
            self.around = reverse("releases:detail", kwargs={"slug": _MARKER}).split(_MARKER)

    def address(self, release, language):
        slug = getattr(release, f"slug_{language}") or release.slug_en or release.slug_da
        if not _PLAIN_SLUG.fullmatch(slug):
            with translation.override(language):
                return release.get_absolute_url()
        return slug.join(self.around)


_MARKER = "slug-marker"
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@functools.lru_cache(maxsize=16)
def _words(language, script_prefix):
    return _Words(language)


def forget_rendered_items():
    with _lock:
        _rendered.clear()
