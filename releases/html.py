"""The one allow-list of rich text: the editor's toolbar and the nh3 sanitiser are built from it."""

import re
from html import escape
from html.parser import HTMLParser

import nh3
from django.core.exceptions import ValidationError
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import allowlist_from_extensions

# What a release body may hold: each extension is a toolbar item in the editor and a
# set of tags the sanitiser keeps. The release title is the page's only <h1>, so the
# body's headings are <h2> to <h4>.
HEADING_LEVELS = [2, 3, 4]
URL_SCHEMES = {"http", "https", "mailto", "tel"}
EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": HEADING_LEVELS},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(URL_SCHEMES)},
    "History": True,
    "SpecialCharacters": True,
    # Spell checking stays on, in the language of the field.
    "NoSpellCheck": False,
}

# How anything outside the allow-list is mapped, on paste in the editor and on save, so
# that no text is lost or glued to its neighbour: headings outside the outline to the
# nearest level, other blocks to paragraphs, presentational tags to their meaning.
RENAME = {
    "h1": "h2",
    "h5": "h4",
    "h6": "h4",
    "b": "strong",
    "i": "em",
    **dict.fromkeys(
        [
            "div",
            "section",
            "article",
            "header",
            "footer",
            "aside",
            "main",
            "nav",
            "address",
            "pre",
            "figure",
            "figcaption",
            "caption",
            "td",
            "th",
            "dt",
            "dd",
            "details",
            "summary",
        ],
        "p",
    ),
}
# Elements whose content is never text for readers (and Word's hidden XML).
DROP = ["script", "style", "head", "title", "xml", "template", "noscript", "iframe", "object"]
DROP += ["svg", "math", "select", "textarea", "button"]

# The configuration the editor widget gets: the allow-list plus the paste cleaner.
EDITOR_CONFIG = {
    "extensions": {**EXTENSIONS, "PressroomText": {"rename": RENAME, "drop": DROP}},
}

_allowed = allowlist_from_extensions(EXTENSIONS)
TAGS = frozenset(_allowed["tags"])
ATTRIBUTES = {tag: set(names) - {"rel", "target"} for tag, names in _allowed["attributes"].items()}
_cleaner = nh3.Cleaner(
    tags=set(TAGS),
    attributes=ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_HOST = re.compile(r"^[\w-]+(\.[\w-]+)*\.[^\W\d_]{2,}(:\d+)?([/?#].*)?$")
_EMAIL = re.compile(r"^[^@\s/:]+@[\w-]+(\.[\w-]+)+$")
_PHONE = re.compile(r"^\+[\d\s().-]{6,}$")
_STYLE_MARKS = [
    (re.compile(r"font-weight\s*:\s*(bold|[6-9]00)"), "strong"),
    (re.compile(r"font-style\s*:\s*italic"), "em"),
    (re.compile(r"vertical-align\s*:\s*super"), "sup"),
    (re.compile(r"vertical-align\s*:\s*sub"), "sub"),
]
_VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"}


def normalise_link(href):
    """The link as it should be stored, or None when it is unsafe or not an address.

    ``www.um.dk`` becomes ``https://www.um.dk``, an email address a ``mailto:`` link;
    addresses on this site (``/da/nyheder/``) and anchors stay as they are.
    """
    href = (href or "").strip()
    scheme = _SCHEME.match(href)
    if scheme:
        return href if scheme[1].lower() in URL_SCHEMES else None
    if href.startswith("//"):
        return "https:" + href
    if href.startswith(("/", "#", "?")):
        return href
    if _EMAIL.match(href):
        return "mailto:" + href
    if _PHONE.match(href):
        return "tel:" + re.sub(r"[^\d+]", "", href)
    if _HOST.match(href):
        return "https://" + href
    return None


class _Outline(HTMLParser):
    """Re-writes HTML onto the allow-list's outline before nh3 removes what is left."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.refused_links = [], []
        self._open = []  # per open element: the tags written for it
        self._dropping = []

    def handle_starttag(self, tag, attrs):
        if self._dropping:
            if tag == self._dropping[-1] and tag not in _VOID:
                self._dropping.append(tag)
            return
        if tag in DROP:
            self._dropping.append(tag)
            return
        attrs = dict(attrs)
        written = self._tags_for(tag, attrs)
        if tag in _VOID:
            self.out += [self._start(name, attrs) for name in written]
            return
        self.out += [self._start(name, attrs) for name in written]
        self._open.append((tag, written))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self._dropping:
            if tag == self._dropping[-1]:
                self._dropping.pop()
            return
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                for _tag, written in reversed(self._open[index:]):
                    self.out += [f"</{name}>" for name in reversed(written)]
                del self._open[index:]
                return

    def handle_data(self, data):
        if not self._dropping:
            self.out.append(escape(data, quote=False))

    def close(self):
        super().close()
        for _tag, written in reversed(self._open):
            self.out += [f"</{name}>" for name in reversed(written)]
        return "".join(self.out)

    def _tags_for(self, tag, attrs):
        if tag == "b" and (
            (attrs.get("id") or "").startswith("docs-internal-guid")
            or "font-weight:normal" in (attrs.get("style") or "").replace(" ", "")
        ):
            return []  # Google Docs wraps a whole paste in a <b> that is not bold
        if tag == "a":
            href = (attrs.get("href") or "").strip()
            if href and normalise_link(href) is None:
                self.refused_links.append(href)
            return ["a"] if href and normalise_link(href) else []
        if tag == "span":
            style = (attrs.get("style") or "").lower()
            return [name for pattern, name in _STYLE_MARKS if pattern.search(style)]
        return [RENAME.get(tag, tag)]

    def _start(self, name, attrs):
        kept = []
        for attribute in sorted(ATTRIBUTES.get(name, ())):
            value = attrs.get(attribute)
            if not value:
                continue
            if attribute == "href":
                value = normalise_link(value)
            kept.append(f' {attribute}="{escape(value)}"')
        return f"<{name}{''.join(kept)}>"


_EMPTY_PARAGRAPH = re.compile(r"<p>(\s|&nbsp;|\xa0)*</p>")


def clean(html):
    """``(safe_html, refused_links)``: the body on the allow-list, and links left out."""
    if not html or not html.strip():
        return "", []
    if "<" not in html:
        # Plain text (for example from an import): paragraphs from blank lines.
        return linebreaks(html), []
    outline = _Outline()
    outline.feed(html)
    rewritten = outline.close()
    safe = _EMPTY_PARAGRAPH.sub("", _cleaner.clean(rewritten)).strip()
    return safe, outline.refused_links


def sanitize(html):
    """The body with every tag, attribute and URL outside the allow-list mapped or removed."""
    return clean(html)[0]


def validate_rich_text(html):
    """The cleaned body, or a ValidationError naming each link that cannot be kept."""
    safe, refused = clean(html)
    if refused:
        raise ValidationError(
            [
                ValidationError(
                    _(
                        "The link “%(link)s” cannot be used. Links must be web addresses "
                        "(such as https://www.um.dk), email addresses or phone numbers."
                    ),
                    code="link",
                    params={"link": link},
                )
                for link in refused
            ]
        )
    return safe


# Elements that end a line of text: paragraphs, headings, list items, quotes, breaks.
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "br", "tr"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self._line = [], []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self._end_line()

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self._end_line()

    def handle_data(self, data):
        self._line.append(data)

    def _end_line(self):
        line = " ".join("".join(self._line).split())
        if line:
            self.lines.append(line)
        self._line = []


def plain_text(html):
    """The words of a rich-text body, one paragraph a line, spaces collapsed; "" for none."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    parser._end_line()
    return "\n".join(parser.lines)
