"""The one allow-list of rich text: the editor's toolbar and the nh3 sanitiser are built from it."""

import re
import textwrap
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import urljoin

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


# Rich text for email: links made absolute, headings moved down, and a plain-text rendering.

_HREF = re.compile(r'(<a\s[^>]*?\bhref=")([^"]*)(")')
_HEADING = re.compile(r"<(/?)h([2-4])>")


def absolute_links(safe_html, base_url):
    """Sanitised HTML with every link resolved against ``base_url`` (for reading elsewhere)."""

    def resolve(match):
        href = urljoin(base_url, unescape(match[2]))
        return f"{match[1]}{escape(href)}{match[3]}"

    return _HREF.sub(resolve, safe_html)


def lower_headings(safe_html):
    """Sanitised HTML with each heading one level lower, down to the allow-list's lowest.

    For a body shown under a heading of its own, as in a digest.
    """
    lowest = HEADING_LEVELS[-1]
    return _HEADING.sub(lambda match: f"<{match[1]}h{min(int(match[2]) + 1, lowest)}>", safe_html)


class _Readable(HTMLParser):
    """Blocks of a sanitised body as plain text: (kind, prefix, indent, lines)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self._words = []
        self._lists = []  # per open list: [ordered, number of the last item]
        self._quotes = 0
        self._marker = ""
        self._links = []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "h2", "h3", "h4", "li", "blockquote", "ul", "ol", "hr"):
            self._flush()
        if tag in ("h2", "h3", "h4"):
            self._heading = tag
        elif tag in ("ul", "ol"):
            self._lists.append([tag == "ol", 0])
        elif tag == "li" and self._lists:
            current = self._lists[-1]
            current[1] += 1
            self._marker = f"{current[1]}. " if current[0] else "- "
        elif tag == "blockquote":
            self._quotes += 1
        elif tag == "br":
            self._words.append("\n")
        elif tag == "hr":
            self.blocks.append(("hr", "", "", ["-" * 20]))
        elif tag == "a":
            self._links.append((dict(attrs).get("href") or "", len(self._words)))

    def handle_endtag(self, tag):
        if tag == "a" and self._links:
            href, start = self._links.pop()
            shown = " ".join("".join(self._words[start:]).split())
            target = href.removeprefix("mailto:").removeprefix("tel:")
            if href and shown not in (href, target):
                self._words.append(f" <{target}>" if shown else target)
        elif tag in ("p", "h2", "h3", "h4", "li", "blockquote"):
            self._flush()
            if tag == "blockquote":
                self._quotes = max(self._quotes - 1, 0)
            elif tag in ("h2", "h3", "h4"):
                self._heading = None
        elif tag in ("ul", "ol") and self._lists:
            self._flush()
            self._lists.pop()

    def handle_data(self, data):
        self._words.append(data)

    def _flush(self):
        text = "".join(self._words)
        self._words = []
        lines = [" ".join(line.split()) for line in text.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            return
        kind = self._heading or ("li" if self._lists else "p")
        depth = max(len(self._lists) - 1, 0)
        marker, self._marker = self._marker, ""
        indent = "  " * depth + " " * len(marker or ("  " if self._lists else ""))
        first = "  " * depth + marker if marker else indent
        self.blocks.append((kind, "> " * self._quotes, (first, indent), lines))


def as_text(safe_html, width=78):
    """A sanitised body as readable plain text: paragraphs, underlined headings, lists with
    their markers, quotations marked with ``>``, and each link's address after its text;
    wrapped at ``width`` columns (addresses are never broken)."""
    parser = _Readable()
    parser.feed(safe_html or "")
    parser.close()
    parser._flush()
    out, previous = [], None
    for kind, quote, indents, lines in parser.blocks:
        if out:
            out.append("\n" if kind == "li" and previous == "li" else "\n\n")
        previous = kind
        if kind == "hr":
            out.append(quote + lines[0])
            continue
        first, rest = indents if isinstance(indents, tuple) else (indents, indents)
        wrapped = []
        for number, line in enumerate(lines):
            wrapped += textwrap.wrap(
                line,
                width=max(width - len(quote), 20),
                initial_indent=first if number == 0 else rest,
                subsequent_indent=rest,
                break_long_words=False,
                break_on_hyphens=False,
            )
        if kind in ("h2", "h3", "h4"):
            wrapped.append(("=" if kind == "h2" else "-") * max(len(line) for line in wrapped))
        out.append("\n".join(quote + line for line in wrapped))
    return "".join(out)
