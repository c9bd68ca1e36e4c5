"""Public releases as plain data: what the JSON API and the CSV export say of each release.

The release itself exists in one language or both: its text is under ``en`` and
``da`` (``null`` where it was not written). Smaller parts (quotes, captions,
topics) carry one field per language, as the missions' open data does.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation

from missions.models import Mission
from releases.html import plain_text
from releases.models import PressContact, Release, ReleaseImage, Status

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def public_releases():
    """The releases the public may see, newest first: the pages' one rule, nothing else."""
    return Release.objects.published().order_by("-published_at", "-pk")


def for_summaries(releases):
    """What a summary shows, fetched in a constant number of queries."""
    return releases.defer("body", *(f"body_{code}" for code in LANGUAGES)).prefetch_related(
        "topics", Prefetch("missions", queryset=Mission.objects.only("slug", "acronym", *_names()))
    )


def for_details(releases):
    return releases.prefetch_related(
        "topics",
        "quotes",
        # An image whose rights have run out leaves the API with the pages.
        Prefetch("images", queryset=ReleaseImage.objects.in_rights().select_related("licence")),
        "documents",
        "corrections",
        Prefetch("missions", queryset=Mission.objects.only("slug", "acronym", *_names())),
        Prefetch("release_contacts__contact", queryset=PressContact.objects.all()),
    )


def _names():
    return [f"name_{code}" for code in LANGUAGES]


def _translated(obj, name):
    return {f"{name}_{code}": getattr(obj, f"{name}_{code}") or "" for code in LANGUAGES}


def absolute(path):
    return settings.SITE_URL + path


def page_url(release, language):
    with translation.override(language):
        return absolute(release.get_absolute_url())


def api_url(release):
    return absolute(reverse("opendata:release", kwargs={"pk": release.pk}))


def media_url(name):
    return absolute(default_storage.url(name))


def download_url(image):
    """The address of an image's original with its rights in it (the default language's)."""
    with translation.override(settings.LANGUAGE_CODE):
        return absolute(reverse("library:original", args=[image.pk]))


def _text(release, code, full):
    if not getattr(release, f"title_{code}"):
        return None
    text = {
        "title": getattr(release, f"title_{code}"),
        "slug": getattr(release, f"slug_{code}") or "",
        "lead": getattr(release, f"lead_{code}") or "",
        "url": page_url(release, code),
    }
    if full:
        body = getattr(release, f"body_{code}") or ""
        text.update(
            body_html=body,
            body_text=plain_text(body),
            dateline=getattr(release, f"dateline_{code}") or "",
            event_location=getattr(release, f"event_location_{code}") or "",
            withdrawn_reason=getattr(release, f"withdrawn_reason_{code}") or "",
        )
    return text


def _status(release):
    return Status.WITHDRAWN.value if release.status == Status.WITHDRAWN else Status.PUBLISHED.value


def summary(release):
    return {
        "id": release.pk,
        "kind": release.kind,
        "status": _status(release),
        "published_at": release.published_at,
        "updated_at": release.updated_at,
        "languages": release.languages(),
        **{code: _text(release, code, full=False) for code in LANGUAGES},
        "topics": [
            {**_translated(topic, "slug"), **_translated(topic, "name")}
            for topic in release.topics.all()
        ],
        "missions": [
            {"slug": mission.slug, "acronym": mission.acronym, **_translated(mission, "name")}
            for mission in release.missions.all()
        ],
        "api_url": api_url(release),
    }


def detail(release):
    contacts = release.press_contacts()
    return {
        **summary(release),
        **{code: _text(release, code, full=True) for code in LANGUAGES},
        "event_start": release.event_start,
        "event_end": release.event_end,
        "quotes": [
            {"speaker": quote.speaker, **_translated(quote, "role"), **_translated(quote, "text")}
            for quote in release.quotes.all()
        ],
        "contacts": [
            {
                **_translated(contact, "name"),
                **_translated(contact, "title"),
                **_translated(contact, "organisation"),
                "phone": contact.phone,
                "email": contact.email,
                "is_duty_desk": contact.is_duty_desk,
            }
            for contact in contacts
        ],
        "images": [
            {
                "url": media_url(image.image.name),
                "width": image.width,
                "height": image.height,
                "is_lead": image.is_lead,
                **_translated(image, "alt"),
                **_translated(image, "caption"),
                **_translated(image, "credit"),
                "renditions": [
                    {
                        "url": media_url(rendition["name"]),
                        "width": rendition["width"],
                        "format": rendition["format"],
                    }
                    for rendition in image.renditions
                ],
                "licence": {**_translated(image.licence, "name"), "url": image.licence.url},
                "download_url": download_url(image),
                "rights_expire_at": image.rights_expire_at,
            }
            for image in release.images.all()
        ],
        "documents": [
            {
                "url": media_url(document.file.name),
                **_translated(document, "title"),
                "size": document.size,
                "file_type": document.extension(),
            }
            for document in release.documents.all()
        ],
        "corrections": [
            {"date": correction.created_at, **_translated(correction, "text")}
            for correction in release.corrections.all()
        ],
    }


# The CSV export: one row per release, in this order.
CSV_COLUMNS = [
    "id",
    "kind",
    "status",
    "published_at",
    "updated_at",
    "languages",
    *(f"{name}_{code}" for name in ("title", "lead", "url", "body_text") for code in LANGUAGES),
    "topics",
    "missions",
    "api_url",
]


def csv_row(release):
    row = {
        "id": release.pk,
        "kind": release.kind,
        "status": _status(release),
        "published_at": timezone.localtime(release.published_at).isoformat(),
        "updated_at": timezone.localtime(release.updated_at).isoformat(),
        "languages": " ".join(release.languages()),
        "topics": " ".join(topic.slug_en or topic.slug_da for topic in release.topics.all()),
        "missions": " ".join(mission.slug for mission in release.missions.all()),
        "api_url": api_url(release),
    }
    for code in LANGUAGES:
        present = bool(getattr(release, f"title_{code}"))
        row[f"title_{code}"] = getattr(release, f"title_{code}") or ""
        row[f"lead_{code}"] = getattr(release, f"lead_{code}") or ""
        row[f"url_{code}"] = page_url(release, code) if present else ""
        row[f"body_text_{code}"] = plain_text(getattr(release, f"body_{code}") or "")
    return row
