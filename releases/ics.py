"""Press invitations as iCalendar (RFC 5545) events."""

from datetime import UTC

from django.conf import settings
from django.utils.translation import gettext as _

from core.encoders import ical_text as _text


def _utc(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    parts = []
    while len(data) > 75:
        cut = 75
        while (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:]
    parts.append(data.decode())
    return "\r\n ".join(parts)


def invitation(release, now):
    end = release.event_end or release.event_start
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Pressroom//Press invitation//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:release-{release.pk}@{settings.SITE_URL.split('://', 1)[-1]}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(release.event_start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{_text(release.title)}",
        f"DESCRIPTION:{_text(release.lead)}",
        f"LOCATION:{_text(release.event_location)}",
        f"URL:{settings.SITE_URL}{release.get_absolute_url()}",
        f"CATEGORIES:{_text(_('Press invitation'))}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
