"""Image rights running out: the notice to editors a week before, and the moment itself."""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from missions.models import Mission
from releases.models import Release, ReleaseImage

NOTICE_BEFORE = datetime.timedelta(days=7)


def release_lapsed(at=None):
    """Mark as changed each release with an image whose rights ran out since it was saved.

    An image leaves the pages, the library, the API and the media address the moment its
    rights run out (each asks the time); this lets the pages kept by the page cache and by
    browsers follow, as after any edit. Returns how many releases were marked.
    """
    at = at or timezone.now()
    lapsed = Release.objects.with_rights_lapsed_since_edit(at).values("pk")
    return Release.objects.filter(pk__in=lapsed).update(updated_at=at)


def send_expiry_notices(at=None):
    """Email the editors once about the images whose rights run out within a week, of
    releases and missions' lead images.

    Each image is claimed by an update that holds only while no notice has gone out
    for it, so two workers never send the same notice. Returns the release images told
    of, then the missions.
    """
    from releases.notifications import editors

    at = at or timezone.now()
    claimed = _claim(ReleaseImage.objects.expiring(NOTICE_BEFORE, at), "expiry_notice_sent_at", at)
    claimed_missions = _claim(
        Mission.objects.image_expiring(NOTICE_BEFORE, at), "image_expiry_notice_sent_at", at
    )
    if not (claimed or claimed_missions):
        return []
    images = list(
        ReleaseImage.objects.filter(pk__in=claimed)
        .select_related("release", "licence")
        .order_by("rights_expire_at", "pk")
    )
    missions = list(
        Mission.objects.filter(pk__in=claimed_missions).order_by("image_rights_expire_at", "pk")
    )
    recipients = [user.email for user in editors() if user.email]
    if recipients:
        _send(images, missions, recipients)
    return images + missions


def _claim(candidates, field, at):
    """The pks of ``candidates`` this process marks as told of at ``at``; no other does."""
    unclaimed = {f"{field}__isnull": True}
    model = candidates.model
    return [
        pk
        for pk in candidates.filter(**unclaimed).values_list("pk", flat=True)
        if model.objects.filter(pk=pk, **unclaimed).update(**{field: at})
    ]


def _send(images, missions, recipients):
    context = {
        "images": [
            (
                image,
                settings.SITE_URL
                + reverse("admin:releases_release_change", args=[image.release_id]),
            )
            for image in images
        ],
        "missions": [
            (
                mission,
                settings.SITE_URL + reverse("admin:missions_mission_change", args=[mission.pk]),
            )
            for mission in missions
        ],
        "count": len(images) + len(missions),
        "languages": [code for code, _name in settings.LANGUAGES],
    }
    subject = " ".join(render_to_string("emails/rights_expiry_subject.txt", context).split())
    text = render_to_string("emails/rights_expiry.txt", context)
    html = render_to_string("emails/rights_expiry.html", context)
    messages = []
    for address in recipients:
        message = EmailMultiAlternatives(subject, text, to=[address])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    with get_connection() as connection:
        connection.send_messages(messages)
