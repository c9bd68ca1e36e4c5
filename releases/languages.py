"""Which language a translated field is shown in, so that its text carries the right lang."""

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language


def field_language(obj, field, language=None):
    """The language ``obj.<field>`` is shown in on the ``language`` site.

    The site's own language when the field has text in it, else the first other
    language that has text, as django-modeltranslation falls back. A field that is
    not translated, or empty everywhere, counts as the site's language.
    """
    language = language or get_language()
    codes = [language, *(code for code, _name in settings.LANGUAGES if code != language)]
    if not hasattr(obj, f"{field}_{language}"):
        return language
    for code in codes:
        if getattr(obj, f"{field}_{code}", None):
            return code
    return language


def lang_attribute(obj, field, language=None):
    """` lang="xx"` when the field is shown in another language than the site's, else ""."""
    language = language or get_language()
    code = field_language(obj, field, language)
    return format_html(' lang="{}"', code) if code != language else ""


def in_language(obj, field, language=None):
    """The field's text, inside a <span lang> when it is in another language than the site's."""
    language = language or get_language()
    value = getattr(obj, field)
    code = field_language(obj, field, language)
    if code == language or not value:
        return format_html("{}", value)
    return format_html('<span lang="{}">{}</span>', code, value)
