"""Press contacts as vCards (RFC 2426, version 3.0: what address books import most widely)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

# A content line longer than this many octets is folded (RFC 2426 §2.6 after RFC 2425 §5.8.1).
FOLD_AT = 75


def escape(text):
    """A text value with the characters vCard gives meaning escaped."""
    text = str(text or "").replace("\\", "\\\\")
    for character, escaped in ((";", "\\;"), (",", "\\,")):
        text = text.replace(character, escaped)
    # Every line break, however written, is a "\n"; other control characters are dropped.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "".join(c for c in text if c >= " " or c == "\t")


def fold(line):
    """The content line in pieces of at most FOLD_AT octets, never inside a character."""
    pieces, piece, size = [], "", 0
    for character in line:
        length = len(character.encode())
        # Continuation lines start with a space, which counts towards their length.
        if size + length > FOLD_AT:
            pieces.append(piece)
            piece, size = " ", 1
        piece += character
        size += length
    pieces.append(piece)
    return "\r\n".join(pieces)


def _name_parts(contact):
    """N's family and given names: a person's last word and the rest; a desk has none."""
    if contact.is_duty_desk:
        return "", ""
    words = contact.name.split()
    return (words[-1], " ".join(words[:-1])) if words else ("", "")


def card(contact):
    """One contact's vCard, in the active language (its text falls back as on the pages)."""
    family, given = _name_parts(contact)
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:press-contact-{contact.pk}@{host}",
        f"FN:{escape(contact.name)}",
        f"N:{escape(family)};{escape(given)};;;",
    ]
    if contact.organisation:
        lines.append(f"ORG:{escape(contact.organisation)}")
    if contact.title:
        lines.append(f"TITLE:{escape(contact.title)}")
    if contact.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{escape(contact.phone)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{escape(contact.email)}")
    if contact.is_duty_desk:
        lines.append(f"NOTE:{escape(_('Press duty desk, answers around the clock.'))}")
        # Apple's and others' sign that the card is an organisation's, not a person's.
        lines.append("X-ABSHOWAS:COMPANY")
    lines.append(f"URL:{settings.SITE_URL}{reverse('releases:contacts')}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def cards(contacts):
    """Several contacts' vCards, one after the other in a single file."""
    return "".join(card(contact) for contact in contacts)
