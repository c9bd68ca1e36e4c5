"""Building the pressroom's emails: one builder, three templates per message.

``emails/<name>_subject.txt``, ``emails/<name>.txt`` and ``emails/<name>.html``
are rendered in the recipient's language into one multipart message, with
absolute links from ``SITE_URL``. List emails (releases, digests, corrections)
carry RFC 8058 one-click unsubscribe headers.
"""

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from pressroom.models import PressroomProfile
from subscriptions import tokens


def absolute(path):
    return settings.SITE_URL + path


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


def render(name, context, *, language, profile=None):
    """Subject, plain text and HTML of the email ``name``, in ``language``."""
    profile = profile or PressroomProfile.load()
    with translation.override(language):
        context = {"profile": profile, "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_plain(f"emails/{name}_subject.txt", context).split())
        text = render_plain(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
    return subject, text, html


def message(subject, text, html, *, to, unsubscribe_url=None):
    """A multipart message; with ``unsubscribe_url``, a list email with RFC 8058 headers."""
    host = urlsplit(settings.SITE_URL).hostname
    headers = {"Message-ID": make_msgid(domain=host)}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        headers["List-Id"] = f"<releases.{host}>"
    email = EmailMultiAlternatives(subject, text, to=[to], headers=headers)
    email.attach_alternative(html, "text/html")
    return email


def build(name, context, *, to, language, list_email=False, profile=None):
    """The multipart message ``name`` for ``to``, rendered in ``language``."""
    parts = render(name, context, language=language, profile=profile)
    unsubscribe_url = context["unsubscribe_url"] if list_email else None
    return message(*parts, to=to, unsubscribe_url=unsubscribe_url)


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
