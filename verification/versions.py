"""Signing public releases, and checking what someone brings back.

A release's *signed document* is a JSON object:

    {"algorithm": "Ed25519", "key_id": "...", "payload": "<canonical JSON>", "signature": "..."}

``payload`` is the exact text signed (UTF-8): a JSON object with the keys sorted
and no spaces, holding ``publisher`` (the site's address), ``release`` (its number
in the API), ``version``, ``language``, ``url``, ``published_at``, ``title``,
``lead``, ``body`` (plain text, one paragraph a line), ``quotes`` (speaker, role,
text), ``corrections`` (date, text) and ``signed_at``. Anyone can check it with
the public key from ``/.well-known/pressroom-signing-key.json`` and any Ed25519
library; the /verify page does it for people.
"""

import datetime
import hashlib
import json
import re
import unicodedata

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation

from releases.html import plain_text
from releases.models import Release
from verification import keys
from verification.models import SignedVersion

DOCUMENT_KEYS = {"algorithm", "key_id", "payload", "signature"}
# A pasted text shorter than this proves nothing.
MIN_PASSAGE_CHARACTERS = 20
# Quotation marks around a pasted paragraph (quotes are stored without them).
QUOTATION_MARKS = "\"'“”„‟«»‘’‚‹›"


def canonical(data):
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def normalised(text):
    """The words of ``text`` in one line: Unicode NFC, every run of spaces one space."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def content(release, language):
    """What a version of ``release`` in ``language`` says, as the page shows it."""
    with translation.override(language):
        url = settings.SITE_URL + release.get_absolute_url()
    return {
        "publisher": settings.SITE_URL,
        "release": release.pk,
        "language": language,
        "url": url,
        "published_at": timezone.localtime(release.published_at).isoformat(timespec="seconds"),
        "title": getattr(release, f"title_{language}") or "",
        "lead": getattr(release, f"lead_{language}") or "",
        "body": plain_text(getattr(release, f"body_{language}") or ""),
        "quotes": [
            {
                "speaker": quote.speaker,
                "role": getattr(quote, f"role_{language}") or quote.role or "",
                "text": getattr(quote, f"text_{language}") or quote.text or "",
            }
            for quote in release.quotes.all()
        ],
        "corrections": [
            {
                "date": timezone.localtime(correction.created_at).isoformat(timespec="seconds"),
                "text": getattr(correction, f"text_{language}") or correction.text or "",
            }
            for correction in release.corrections.all()
        ],
    }


def _words(data):
    parts = [data["title"], data["lead"], data["body"]]
    parts += [part for quote in data["quotes"] for part in (quote["text"], quote["speaker"])]
    parts += [correction["text"] for correction in data["corrections"]]
    return normalised(" ".join(parts))


def sign_release(release, at=None):
    """Sign each language of a public release whose text changed since its last version.

    Returns the versions made. A release that is not public is left alone; an
    earlier version is marked superseded by the new one, and stays verifiable.
    """
    at = at or timezone.now()
    if not Release.objects.published(at).filter(pk=release.pk).exists():
        return []
    release = Release.objects.prefetch_related("quotes", "corrections").get(pk=release.pk)
    made = []
    for language in release.languages():
        data = content(release, language)
        digest = hashlib.sha256(canonical(data).encode()).hexdigest()
        try:
            with transaction.atomic():
                version = _sign(release, language, data, digest, at)
        except IntegrityError:
            continue  # another process signed the same version at the same moment
        if version is not None:
            made.append(version)
    return made


def _sign(release, language, data, digest, at):
    latest = (
        SignedVersion.objects.select_for_update()
        .filter(release=release, language=language)
        .order_by("-number")
        .first()
    )
    if latest is not None and latest.digest == digest:
        if latest.checked_at_update != release.updated_at:
            latest.checked_at_update = release.updated_at
            latest.save(update_fields=["checked_at_update"])
        return None
    number = latest.number + 1 if latest else 1
    payload = canonical({**data, "version": number, "signed_at": at.isoformat()})
    if latest is not None:
        latest.superseded_at = at
        latest.save(update_fields=["superseded_at"])
    return SignedVersion.objects.create(
        release=release,
        language=language,
        number=number,
        payload=payload,
        signature=keys.sign(payload.encode()),
        key_id=keys.key_id(),
        digest=digest,
        words=_words(data),
        checked_at_update=release.updated_at,
        signed_at=at,
    )


def unsigned_releases(at=None):
    """Public releases changed since they were last signed (or never signed)."""
    checked = SignedVersion.objects.filter(
        release=OuterRef("pk"), checked_at_update=OuterRef("updated_at")
    )
    return Release.objects.published(at).exclude(Exists(checked))


def sign_outstanding():
    """Sign every public release changed since its last signature; a no-op query when none is."""
    for release in unsigned_releases():
        sign_release(release)


def current_version(release, language):
    """The current signed version of a public release in ``language``, signing it if needed."""
    sign_release(release)
    return SignedVersion.objects.current().filter(release=release, language=language).first()


def document(version):
    """The signed document of ``version``, as a JSON-ready dict."""
    return {
        "algorithm": keys.ALGORITHM,
        "key_id": version.key_id,
        "payload": version.payload,
        "signature": version.signature,
    }


# Checking ----------------------------------------------------------------------------------


class Verdict:
    """What a check found: ``kind`` is one of the constants below."""

    GENUINE = "genuine"  # an unaltered, current release
    SUPERSEDED = "superseded"  # an unaltered release version, since replaced
    REFUSED = "refused"  # a signed document whose signature does not hold
    NOT_FOUND = "not-found"  # a text that is in no signed release
    UNREADABLE = "unreadable"  # not a signed document, and not text enough to look up

    def __init__(self, kind, version=None, successor=None, data=None):
        self.kind = kind
        self.version = version
        self.successor = successor
        self.data = data or {}

    @property
    def published_at(self):
        value = self.data.get("published_at")
        return datetime.datetime.fromisoformat(value) if isinstance(value, str) else None

    @property
    def release(self):
        return self.version.release if self.version else None

    @property
    def still_public(self):
        release = self.release
        return release is not None and Release.objects.published().filter(pk=release.pk).exists()


def looks_like_document(text):
    return text.lstrip().startswith("{")


def check_document(text):
    """Check a signed document (its JSON text): is it ours, unaltered, and still current?"""
    try:
        signed = json.loads(text)
    except ValueError:
        return Verdict(Verdict.UNREADABLE)
    if not isinstance(signed, dict) or not set(signed) >= DOCUMENT_KEYS:
        return Verdict(Verdict.UNREADABLE)
    payload, signature = signed["payload"], signed["signature"]
    if not all(isinstance(signed[name], str) for name in DOCUMENT_KEYS):
        return Verdict(Verdict.UNREADABLE)
    # The key the document names: the current one, or one retired since it was signed.
    key = keys.verification_keys().get(signed["key_id"])
    if (
        signed["algorithm"] != keys.ALGORITHM
        or key is None
        or not keys.verify(payload.encode(), signature, with_key=key)
    ):
        return Verdict(Verdict.REFUSED)
    data = json.loads(payload)
    sign_outstanding()  # so that a newer version made a moment ago is known
    version = (
        SignedVersion.objects.select_related("release")
        .filter(payload=payload, signature=signature)
        .first()
    )
    if version is None:
        # Signed by us, yet not on record (a copy from before a restore, say).
        return Verdict(Verdict.GENUINE, data=data)
    return _verdict_for(version, data)


def passages(text):
    """The paragraphs of a pasted text, normalised, without quotation marks around them."""
    found = []
    for paragraph in re.split(r"\n\s*\n", text or ""):
        passage = normalised(paragraph).strip(QUOTATION_MARKS + " ")
        if passage:
            found.append(passage)
    return found


def check_text(text):
    """Check a pasted text: does every paragraph of it stand, word for word, in one release?"""
    found = passages(text)
    if sum(len(passage) for passage in found) < MIN_PASSAGE_CHARACTERS:
        return Verdict(Verdict.UNREADABLE)
    # A release that went public a moment ago is looked up too, not only after the sweep.
    sign_outstanding()
    versions = SignedVersion.objects.select_related("release").containing(found)
    # The current version if one has the text, else the newest that had it.
    version = (
        versions.filter(superseded_at__isnull=True).first()
        or versions.order_by("-signed_at", "-number").first()
    )
    if version is None:
        return Verdict(Verdict.NOT_FOUND)
    return _verdict_for(version, json.loads(version.payload))


def _verdict_for(version, data):
    if version.superseded_at is None:
        return Verdict(Verdict.GENUINE, version=version, data=data)
    return Verdict(Verdict.SUPERSEDED, version=version, successor=version.successor(), data=data)
