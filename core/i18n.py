"""The same page in every language: for the language switch and hreflang links."""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def page_alternates(request, obj=None):
    """[(language code, language name, absolute URL)] for this page in each language.

    For a page about one object the object's own URL in each language is used,
    since slugs are translated; otherwise the URL pattern is translated.
    """
    alternates = []
    for code, _name in settings.LANGUAGES:
        if obj is not None and hasattr(obj, "get_absolute_url"):
            with translation.override(code):
                path = obj.get_absolute_url()
        else:
            path = translate_url(request.get_full_path(), code)
        native = translation.get_language_info(code)["name_local"].capitalize()
        alternates.append((code, native, settings.SITE_URL + path))
    return alternates
