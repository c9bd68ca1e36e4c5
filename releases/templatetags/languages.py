"""Template filters that mark text shown in another language than the page's with its lang."""

from django import template
from django.utils import translation
from django.utils.html import format_html_join

from releases import languages

register = template.Library()


@register.filter
def lang_of(obj, field):
    """The language code ``obj.<field>`` is shown in on this page."""
    return languages.field_language(obj, field)


@register.filter
def lang_attr(obj, field):
    """` lang="xx"` for an element holding ``obj.<field>``, when it is in another language."""
    return languages.lang_attribute(obj, field)


@register.filter
def in_lang(obj, field):
    """``obj.<field>``, wrapped in <span lang="xx"> when it is in another language."""
    return languages.in_language(obj, field)


@register.filter
def then(first, second):
    """``first``, a space and ``second`` (each escaped unless already safe); either may be empty."""
    return format_html_join(" ", "{}", ((part,) for part in (first, second) if part))


@register.filter
def choice_lang(choice):
    """For a form choice naming a topic or mission: its label's language, when not the page's."""
    instance = getattr(choice.data.get("value"), "instance", None)
    if instance is None:
        return ""
    code = languages.field_language(instance, "name")
    return code if code != translation.get_language() else ""
