"""The one safe set of HTML a release body may hold, enforced with nh3."""

import nh3

TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "sub",
    "sup",
}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# The editor offers exactly what the sanitiser keeps.
EDITOR_CONFIG = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HorizontalRule": True,
        "HardBreak": True,
        "Link": {"enableTarget": False},
        "Subscript": True,
        "Superscript": True,
        "History": True,
        "SpecialCharacters": True,
    }
}

_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize(html):
    """The body with every tag, attribute and URL outside the safe set removed."""
    if not html:
        return ""
    if "<" not in html:
        # Plain text (for example pasted or from an import): paragraphs from blank lines.
        from django.utils.html import linebreaks

        return linebreaks(html)
    return _cleaner.clean(html).strip()
