"""The same page in every language: for the language switch and hreflang links."""

from django.conf import settings
from django.urls import get_script_prefix, translate_url
from django.utils import translation

# The addresses in every language of pages not about one object, by (address, script prefix,
# language: an address is resolved in the language active). Resolving and reversing an address
# in each language is a third of a millisecond, and its result never changes. At most
# KEPT_PATHS, so junk addresses cannot grow it.
KEPT_PATHS = 1000
_paths = {}


def page_alternates(request, obj=None):
    """[(language code, language name, absolute URL)] for this page in each language.

    For a page about one object the object's own URL in each language is used,
    since slugs are translated; otherwise the URL pattern is translated.
    """
    if obj is not None and hasattr(obj, "get_absolute_url"):
        paths = []
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                paths.append(obj.get_absolute_url())
    else:
        key = (request.get_full_path(), get_script_prefix(), translation.get_language())
        paths = _paths.get(key)
        if paths is None:
            paths = [translate_url(key[0], code) for code, _name in settings.LANGUAGES]
            if len(_paths) >= KEPT_PATHS:
                _paths.clear()
            _paths[key] = paths
    return [
        (code, _native(code), settings.SITE_URL + path)
        for (code, _name), path in zip(settings.LANGUAGES, paths, strict=True)
    ]


def _native(code):
    return translation.get_language_info(code)["name_local"].capitalize()
