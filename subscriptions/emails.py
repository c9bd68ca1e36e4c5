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


def build(name, context, *, to, language, list_email=False, profile=None):
    """The multipart message ``name`` for ``to``, rendered in ``language``."""
    profile = profile or PressroomProfile.load()
    with translation.override(language):
        context = {"profile": profile, "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_plain(f"emails/{name}_subject.txt", context).split())
        text = render_plain(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
    headers = {"Message-ID": make_msgid(domain=urlsplit(settings.SITE_URL).hostname)}
    if list_email:
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        headers["List-Id"] = f"<releases.{urlsplit(settings.SITE_URL).hostname}>"
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def send(message):
    """Send one message on its own connection (confirmations, links)."""
    return message.send()


def open_connection():
    """One SMTP connection, opened once and reused for a whole batch."""
    connection = get_connection()
    connection.open()
    return connection
