"""Embargo emails: each journalist's personal link, in the journalist's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation

from releases.models import PreviewLink


def message(link):
    """The email that gives ``link`` to its journalist, with absolute links from SITE_URL."""
    journalist = link.journalist
    with translation.override(journalist.language):
        context = {
            "journalist": journalist,
            "release": link.release,
            "url": settings.SITE_URL + link.get_absolute_url(),
            "language": journalist.language,
        }
        subject = " ".join(render_to_string("emails/embargo_subject.txt", context).split())
        text = render_to_string("emails/embargo.txt", context)
        html = render_to_string("emails/embargo.html", context)
    email = EmailMultiAlternatives(subject, text, to=[journalist.email])
    email.attach_alternative(html, "text/html")
    return email


def send_links(link_ids):
    """Email each working, not yet emailed link of ``link_ids``; how many went out."""
    links = list(
        PreviewLink.objects.usable()
        .embargoed()
        .filter(pk__in=link_ids, emailed_at__isnull=True)
        .select_related("release", "journalist")
    )
    # A link revoked, or a release taken back, before the job ran is not sent.
    links = [link for link in links if link.shows_release()]
    if not links:
        return 0
    with get_connection() as connection:
        sent = connection.send_messages([message(link) for link in links])
    PreviewLink.objects.filter(pk__in=[link.pk for link in links]).update(emailed_at=timezone.now())
    return sent
