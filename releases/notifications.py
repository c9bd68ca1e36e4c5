"""Staff notifications: editors and authors hear by email what waits for them.

The receivers listen to the release's signals and queue one job per step on the
``publishing`` queue (kept free of subscriber email, so an emergency reaches the
editors at once); the job sends through Django's mail backend. Staff have no
language of their own in the pressroom, so each email carries every language.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from procrastinate.contrib.django import app

from releases import signals
from releases.models import Release, ReleaseEvent, Step

# The step recorded → the email that tells of it.
EMAILS = {
    ReleaseEvent.Action.SUBMITTED: "desk_review",
    ReleaseEvent.Action.CHANGE_SUBMITTED: "desk_review",
    ReleaseEvent.Action.SENT_BACK: "desk_sent_back",
    ReleaseEvent.Action.PUBLISHED_ALONE: "desk_published_alone",
}


def connect():
    signals.submitted.connect(_queue_notice, sender=Release, dispatch_uid="desk-submitted")
    signals.sent_back.connect(_queue_notice, sender=Release, dispatch_uid="desk-sent-back")
    signals.published_alone.connect(_queue_notice, sender=Release, dispatch_uid="desk-alone")


def _queue_notice(sender, release, event=None, **kwargs):
    if event is not None and event.action in EMAILS:
        transaction.on_commit(lambda: notify_staff.defer(event_id=event.pk))


@app.task(name="releases.notify_staff", queue="publishing", retry=3)
def notify_staff(event_id):
    """Email the people a workflow step concerns; nothing if the step is no longer current."""
    event = ReleaseEvent.objects.select_related("release", "by", "revision").get(pk=event_id)
    recipients = [user for user in recipients_of(event) if user.email]
    if not recipients:
        return 0
    release = event.release
    context = {
        "event": event,
        "release": release,
        "languages": [code for code, _name in settings.LANGUAGES],
        "review_url": settings.SITE_URL
        + reverse("admin:releases_release_review", args=[release.pk]),
        "change_url": settings.SITE_URL
        + reverse("admin:releases_release_change", args=[release.pk]),
    }
    name = EMAILS[event.action]
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    messages = []
    for user in recipients:
        message = EmailMultiAlternatives(subject, text, to=[user.email])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    with get_connection() as connection:
        return connection.send_messages(messages)


def recipients_of(event):
    """Who hears of ``event``: reviewers who may approve, the authors, or every editor."""
    release = event.release
    if event.action in (ReleaseEvent.Action.SUBMITTED, ReleaseEvent.Action.CHANGE_SUBMITTED):
        if release.pending_revision_id is None:
            return []  # reviewed or taken back before the job ran
        return [
            user
            for user in editors().exclude(pk=event.by_id)
            if release.refusal(Step.SEND_BACK, user) is None  # may review it
        ]
    if event.action == ReleaseEvent.Action.SENT_BACK:
        authors = release.authors(event.revision) | {release.submitted_by_id}
        return list(get_user_model().objects.filter(pk__in=authors - {event.by_id}))
    if event.action == ReleaseEvent.Action.PUBLISHED_ALONE:
        return list(editors().exclude(pk=event.by_id))
    return []


def editors():
    """Active staff who may publish: the Editor role, anyone given it, superusers."""
    publish = Permission.objects.get(content_type__app_label="releases", codename="publish_release")
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__permissions=publish) | Q(user_permissions=publish) | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )
