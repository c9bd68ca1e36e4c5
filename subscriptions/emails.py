"""Every email the pressroom sends is built here: one builder, three templates per message.

``emails/<name>_subject.txt``, ``emails/<name>.txt`` and ``emails/<name>.html``
are rendered in the recipient's language into one multipart message, with
absolute links from ``SITE_URL``. List emails (releases, digests, corrections)
carry RFC 8058 one-click unsubscribe headers.
"""

import re
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db.models import Prefetch
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

from core.models import PressroomProfile
from releases import html as rich_text
from releases import media
from releases.models import ReleaseImage
from subscriptions import tokens
from subscriptions.models import SubscriberStatus


def absolute(path):
    return settings.SITE_URL + path


def absolute_media(url):
    """A stored file's address for an email: the storage's own if absolute, else on SITE_URL."""
    return url if urlsplit(url).scheme else absolute(url)


def subscriber_links(subscriber):
    """The signed links every email to a subscriber carries, in their language."""
    token = tokens.make_token(subscriber, tokens.MANAGE)
    with translation.override(subscriber.language):
        return {
            "manage_url": absolute(reverse("subscriptions:manage", args=[token])),
            "unsubscribe_url": absolute(reverse("subscriptions:unsubscribe", args=[token])),
        }


def render_plain(template_name, context):
    """A plain-text template, without HTML escaping."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def sender(profile, language):
    """Who emails come from: the organisation's name in ``language``, at DEFAULT_FROM_EMAIL."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    with translation.override(language):
        return formataddr((profile.sender_name(), address))


def render(name, context, *, language, profile=None):
    """Subject, plain text and HTML of the email ``name``, in ``language``."""
    profile = profile or PressroomProfile.load()
    with translation.override(language):
        context = {"profile": profile, "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_plain(f"emails/{name}_subject.txt", context).split())
        text = render_plain(f"emails/{name}.txt", context)
        html = short_lines(render_to_string(f"emails/{name}.html", context))
    return subject, text, html


# RFC 5322 allows lines of at most 998 bytes. A longer line (a release body is often
# one) makes Django send its whole part quoted-printable, which hides the personal
# markers from ``Prepared``; white space in HTML text can break a line instead.
MAX_LINE_BYTES = 998
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def short_lines(html, width=78):
    """``html`` with its over-long lines broken at spaces between tags; the same document."""
    if all(len(line.encode()) <= MAX_LINE_BYTES for line in html.split("\n")):
        return html
    return "\n".join(
        _break_line(line, width) if len(line.encode()) > MAX_LINE_BYTES else line
        for line in html.split("\n")
    )


def _break_line(line, width):
    out, column, position = [], 0, 0
    for match in [*_TAG.finditer(line), None]:
        end = match.start() if match else len(line)
        words = line[position:end].split(" ")
        for index, word in enumerate(words):
            if index:
                if column + 1 + len(word) > width and column:
                    out.append("\n")
                    column = 0
                else:
                    out.append(" ")
                    column += 1
            out.append(word)
            column += len(word)
        if match:
            out.append(match[0])
            column += len(match[0])
            position = match.end()
    return "".join(out)


def message(subject, text, html, *, to, unsubscribe_url=None, from_email=None):
    """A multipart message; with ``unsubscribe_url``, a list email with RFC 8058 headers."""
    host = urlsplit(settings.SITE_URL).hostname
    headers = {"Message-ID": make_msgid(domain=host)}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        headers["List-Id"] = f"<releases.{host}>"
    email = EmailMultiAlternatives(subject, text, from_email, to=[to], headers=headers)
    email.attach_alternative(html, "text/html")
    return email


def build(name, context, *, to, language, list_email=False, profile=None):
    """The multipart message ``name`` for ``to``, rendered in ``language``."""
    profile = profile or PressroomProfile.load()
    parts = render(name, context, language=language, profile=profile)
    unsubscribe_url = context["unsubscribe_url"] if list_email else None
    return message(
        *parts, to=to, unsubscribe_url=unsubscribe_url, from_email=sender(profile, language)
    )


class Personal:
    """Stands in for a subscriber while one rendering serves many of them.

    A release email differs between two subscribers of the same language only
    in the address, what they follow and their signed links; rendering the
    templates once with these markers and filling them in per subscriber makes
    sending a release to many people cheap.
    """

    email = "\x1aEMAIL\x1a"
    follows = ["\x1aFOLLOWS\x1a"]
    manage_url = "\x1aMANAGE\x1a"
    unsubscribe_url = "\x1aUNSUBSCRIBE\x1a"

    @classmethod
    def context(cls):
        return {
            "subscriber": cls,
            "manage_url": cls.manage_url,
            "unsubscribe_url": cls.unsubscribe_url,
        }

    @classmethod
    def fill(cls, parts, subscriber, links):
        with translation.override(subscriber.language):
            follows = ", ".join(subscriber.follows())
        values = {
            cls.email: subscriber.email,
            cls.follows[0]: follows,
            cls.manage_url: links["manage_url"],
            cls.unsubscribe_url: links["unsubscribe_url"],
        }
        subject, text, html = parts
        for marker, value in values.items():
            subject = subject.replace(marker, value)
            text = text.replace(marker, value)
            html = html.replace(marker, escape(value))
        return subject, text, html


def send(message):
    """Send one message on its own connection (confirmations, links)."""
    return message.send()


def open_connection():
    """One SMTP connection, opened once and reused for a whole batch."""
    connection = get_connection()
    connection.open()
    return connection


def speaks_smtp(connection):
    """True if ``connection`` is Django's SMTP backend, which can send prepared bytes."""
    return isinstance(connection, SMTPBackend)


class Prepared:
    """A list email serialised once, for sending to many over SMTP by byte substitution.

    The MIME message is built and encoded once from the ``Personal`` rendering;
    each subscriber's copy then only gets its own To, Date, Message-ID and
    List-Unsubscribe headers and its values in place of the markers. Where the
    markers did not survive the encoding (a part sent as quoted-printable), or
    an address is not plain ASCII, ``raw`` returns None and the caller builds
    the message the ordinary way.
    """

    PERSONAL_HEADERS = (b"to:", b"date:", b"message-id:", b"list-unsubscribe:")

    def __init__(self, parts, from_email=None):
        subject, text, html = parts
        self.markers = [Personal.email, Personal.follows[0], Personal.manage_url]
        self.markers.append(Personal.unsubscribe_url)
        self.ok = not any(marker in subject for marker in self.markers)
        html = self._html_markers(html)
        email = message(
            subject, text, html, to="to@example.invalid", unsubscribe_url="x", from_email=from_email
        )
        head, _sep, self.body = email.message().as_bytes(linesep="\r\n").partition(b"\r\n\r\n")
        for marker in self.markers:
            ok_text = self.body.count(marker.encode()) == text.count(marker)
            html_marker = self._html_markers(marker)
            ok_html = self.body.count(html_marker.encode()) == html.count(html_marker)
            self.ok = self.ok and ok_text and ok_html
        self.head = b"\r\n".join(
            line
            for line in self._headers(head)
            if not line.lower().startswith(self.PERSONAL_HEADERS)
        )
        self.from_address = sanitize_address(email.from_email, email.encoding or "utf-8")
        self.host = urlsplit(settings.SITE_URL).hostname

    @staticmethod
    def _html_markers(value):
        return value.replace("\x1a", "\x1b")

    @staticmethod
    def _headers(head):
        """Header fields, each with its continuation lines."""
        fields = []
        for line in head.split(b"\r\n"):
            if line[:1] in (b" ", b"\t") and fields:
                fields[-1] += b"\r\n" + line
            else:
                fields.append(line)
        return fields

    def raw(self, subscriber, links):
        """(from, to, bytes) of this email for ``subscriber``, or None."""
        address = subscriber.email
        if not self.ok or not address.isascii() or "\n" in address:
            return None
        with translation.override(subscriber.language):
            follows = ", ".join(subscriber.follows())
        values = {
            Personal.email: address,
            Personal.follows[0]: follows,
            Personal.manage_url: links["manage_url"],
            Personal.unsubscribe_url: links["unsubscribe_url"],
        }
        body = self.body
        for marker, value in values.items():
            body = body.replace(marker.encode(), value.encode())
            body = body.replace(self._html_markers(marker).encode(), escape(value).encode())
        head = (
            f"To: {address}\r\n"
            f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}\r\n"
            f"Message-ID: {make_msgid(domain=self.host)}\r\n"
            f"List-Unsubscribe: <{links['unsubscribe_url']}>\r\n"
        ).encode()
        return self.from_address, address, head + self.head + b"\r\n\r\n" + body


# The messages


def link_message(subscriber):
    """The email that lets the owner of the address act: confirm, or manage."""
    if subscriber.status == SubscriberStatus.PENDING:
        name, purpose = "confirm", tokens.CONFIRM
    else:
        name, purpose = "manage_link", tokens.MANAGE
    with translation.override(subscriber.language):
        url = reverse(f"subscriptions:{purpose}", args=[tokens.make_token(subscriber, purpose)])
    return build(
        name,
        {"subscriber": subscriber, "url": absolute(url)},
        to=subscriber.email,
        language=subscriber.language,
    )


def release_context(release, language):
    """What the release email shows, in ``language`` (or the release's own, marked)."""
    with translation.override(language):
        shown = release.shown_language(language)
        return {
            "release": release,
            "shown": shown,
            "other_language": shown != language,
            "title": release.title,
            "lead": release.lead,
            "url": absolute(release.get_absolute_url()),
            "contacts": release.press_contacts(),
        }


# What release emails show of a release, fetched with it once for every subscriber.
RELEASE_PREFETCH = (
    "release_contacts__contact",
    "quotes",
    Prefetch("images", queryset=ReleaseImage.objects.select_related("licence")),
    "documents",
)

# A digest item with more words than this in its body and quotes is folded behind
# "Read more" (an HTML <details>; mail programs without it show the text open).
DIGEST_FOLD_WORDS = 150


def release_content(release, language, *, in_digest=False):
    """The whole release for an email in ``language``: ``{"html": …, "text": …}``.

    Its lead image (linked, with alt text, caption and credit), body, quotes with
    speaker and role, and documents. The body keeps to the rich-text allow-list with
    its links made absolute; in a digest its headings sit under the item's own.
    Rendered once per release and language, and shared by every subscriber's email.
    """
    with translation.override(language):
        url = absolute(release.get_absolute_url())
        body = rich_text.absolute_links(rich_text.sanitize(release.body), url)
        quotes = [(quote, _quote_text(quote.text)) for quote in release.quotes.all() if quote.text]
        # An image whose rights have run out is no longer offered, here as on the page.
        image = next((i for i in release.images.all() if not i.rights_expired()), None)
        documents = [(doc, absolute_media(doc.file.url)) for doc in release.documents.all()]
        words = len(rich_text.plain_text(body).split())
        words += sum(len(quote.text.split()) for quote, _text in quotes)
        context = {
            "release": release,
            "body_html": mark_safe(rich_text.lower_headings(body) if in_digest else body),
            "body_text": rich_text.as_text(body),
            "quotes": quotes,
            "image": _email_image(image) if image else None,
            "documents": documents,
            "level": 3 if in_digest else 2,
            "fold": in_digest and words > DIGEST_FOLD_WORDS,
        }
        content_html = render_to_string("emails/release_content.html", context)
        content_text = render_plain("emails/release_content.txt", context)
    html = short_lines(content_html.strip())
    return {"html": mark_safe(html), "text": content_text.strip()}


def _quote_text(text):
    """A quotation as plain text: its paragraphs marked with ``>`` and wrapped."""
    return rich_text.as_text(f"<blockquote>{linebreaks(text, autoescape=True)}</blockquote>")


# Shown at most this wide (CSS pixels), from a rendition of up to twice that.
EMAIL_IMAGE_WIDTH = 600


def _email_image(image):
    """The lead image as an email shows it: never wider than the rendition it links to."""
    fitting = [
        rendition["width"]
        for rendition in image.renditions
        if rendition["format"] == "jpeg" and rendition["width"] <= 2 * EMAIL_IMAGE_WIDTH
    ]
    width = min(max(fitting, default=image.width or EMAIL_IMAGE_WIDTH), EMAIL_IMAGE_WIDTH)
    original = absolute_media(image.image.url)
    return {
        "image": image,
        "src": absolute_media(media.fallback_url(image, max_width=2 * EMAIL_IMAGE_WIDTH)),
        "url": original,
        # The original with its credit and licence written into it.
        "download_url": absolute(reverse("library:original", args=[image.pk])),
        "width": width,
        "height": round(image.height * width / image.width) if image.width else None,
    }


def digest_item(release, language):
    """One release of a digest in ``language``: its release context and whole content."""
    return {
        **release_context(release, language),
        "content": release_content(release, language, in_digest=True),
    }


def release_message(subscriber, release, profile=None, cache=None, connection=None):
    """The release email for ``subscriber``: an EmailMessage, or prepared (from, to, bytes).

    Prepared bytes only when ``connection`` (a delivery ``Sender``) can send them.
    """
    cache = cache if cache is not None else {}
    profile = profile or cache.get("profile") or PressroomProfile.load()
    language = subscriber.language
    key = ("parts", release.pk, language)
    if key not in cache:
        context = {
            **release_context(release, language),
            "content": release_content(release, language),
            **Personal.context(),
        }
        cache[key] = render("release", context, language=language, profile=profile)
    from_email = sender(profile, language)
    links = subscriber_links(subscriber)
    if connection is not None and connection.takes_bytes():
        prepared_key = ("prepared", release.pk, language)
        if prepared_key not in cache:
            cache[prepared_key] = Prepared(cache[key], from_email=from_email)
        raw = cache[prepared_key].raw(subscriber, links)
        if raw is not None:
            return raw
    parts = Personal.fill(cache[key], subscriber, links)
    return message(
        *parts,
        to=subscriber.email,
        unsubscribe_url=links["unsubscribe_url"],
        from_email=from_email,
    )


def correction_message(subscriber, release, correction, profile=None):
    """The notice of ``correction`` for a subscriber who received ``release``."""
    with translation.override(subscriber.language):
        context = {
            **release_context(release, subscriber.language),
            "correction": correction,
            "correction_text": correction.text,
            "subscriber": subscriber,
            **subscriber_links(subscriber),
        }
    return build(
        "correction",
        context,
        to=subscriber.email,
        language=subscriber.language,
        list_email=True,
        profile=profile,
    )


def digest_message(subscriber, frequency, items, profile=None):
    """The digest for ``subscriber``: ``items`` are ``digest_item``s, oldest first."""
    context = {
        "items": items,
        "frequency": frequency,
        "subscriber": subscriber,
        **subscriber_links(subscriber),
    }
    return build(
        "digest",
        context,
        to=subscriber.email,
        language=subscriber.language,
        list_email=True,
        profile=profile,
    )
