"""The media library: every image and document of the public releases, the missions' lead
images, and their downloads."""

import posixpath
import zipfile

from django import forms
from django.core.files.storage import default_storage
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import images
from missions.models import Mission
from releases.filters import Filters, LanguageSelect, kept_choices
from releases.languages import field_language
from releases.models import Release, ReleaseDocument, ReleaseImage

# The filters, in the order they appear in addresses.
KEYS = ("type", "topic", "mission", "year")
IMAGE, DOCUMENT = "image", "document"
# A mission's lead image: listed with the images, under the date the mission was established.
MISSION_IMAGE = "mission-image"


class LibraryFilterForm(forms.Form):
    """The library's filters; every field optional."""

    type = forms.ChoiceField(label=_("Type"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=LanguageSelect)
    mission = forms.ChoiceField(label=_("Mission"), required=False, widget=LanguageSelect)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, topics=(), missions=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["type"].choices = [
            *everything,
            (IMAGE, _("Images")),
            (DOCUMENT, _("Documents")),
        ]
        self.fields["topic"].choices = everything + [(t.slug, t.name) for t in topics]
        self.fields["topic"].widget.option_languages = {
            t.slug: field_language(t, "name") for t in topics
        }
        self.fields["mission"].choices = everything + [(m.slug, str(m)) for m in missions]
        self.fields["mission"].widget.option_languages = {
            m.slug: field_language(m, "name") for m in missions
        }
        self.fields["year"].choices = everything + [(y, str(y)) for y in years]


class LibraryFilters(Filters):
    """The filters a reader asked for in the library, written back into addresses as the
    release list's are (a topic by the slug of each language)."""

    def __init__(self, data):
        self.topics = kept_choices("topics")
        self.missions = kept_choices("missions")
        data = data.copy()
        asked_topic = data.get("topic", "")
        self.topic = next((t for t in self.topics if asked_topic in (t.slug_en, t.slug_da)), None)
        if self.topic is not None:
            data["topic"] = self.topic.slug
        self.form = LibraryFilterForm(
            data,
            topics=self.topics,
            missions=self.missions,
            years=years(),
        )
        self.valid = self.form.is_valid()
        cleaned = self.form.cleaned_data
        self.query, self.kind = "", ""
        self.type = cleaned.get("type") or ""
        self.year = cleaned.get("year")
        self.mission = next((m for m in self.missions if m.slug == cleaned.get("mission")), None)
        if "topic" in self.form.errors:
            self.topic = None

    def __bool__(self):
        return bool(self.type or self.topic or self.year or self.mission)

    def params(self, language=None, query=True):
        language = language or translation.get_language()
        values = {
            "type": self.type,
            "topic": getattr(self.topic, f"slug_{language}", "") or "",
            "mission": self.mission.slug if self.mission else "",
            "year": self.year or "",
        }
        return {key: values[key] for key in KEYS if values[key]}

    def entries(self, at=None):
        """``(type, pk, published_at)`` of every image and document shown, newest first.

        One query (a UNION), so that the kinds page together; see ``fetch``. A mission's lead
        image is dated by the day the mission was established (undated ones come last); it
        belongs to no topic, so a topic leaves it out.
        """
        releases = Release.objects.published(at).filtered(
            topic=self.topic, year=self.year, mission=self.mission
        )
        parts = []
        if self.type in ("", IMAGE):
            parts.append(ReleaseImage.objects.in_rights(at).filter(release__in=releases))
        if self.type in ("", DOCUMENT):
            parts.append(ReleaseDocument.objects.filter(release__in=releases))
        kinds = [
            part.order_by()
            .annotate(entry_type=Value(IMAGE if part.model is ReleaseImage else DOCUMENT))
            .annotate(published=F("release__published_at"))
            .values_list("entry_type", "pk", "published")
            for part in parts
        ]
        if self.type in ("", IMAGE) and self.topic is None:
            kinds.append(
                self.mission_images(at)
                .order_by()
                .annotate(entry_type=Value(MISSION_IMAGE))
                .annotate(published=Cast("established_on", DateTimeField()))
                .values_list("entry_type", "pk", "published")
            )
        first, *others = kinds
        return first.union(*others, all=True).order_by(
            F("published").desc(nulls_last=True), "entry_type", "-pk"
        )

    def mission_images(self, at=None):
        """The missions whose lead image the filters select."""
        missions = Mission.objects.with_image_in_rights(at)
        if self.mission:
            missions = missions.filter(pk=self.mission.pk)
        if self.year:
            missions = missions.filter(established_on__year=self.year)
        return missions


def years():
    """The years the filter offers: of the releases, and of missions with an image shown."""
    missions = Mission.objects.with_image_in_rights().dates("established_on", "year")
    return sorted({*Release.objects.public_years(), *(day.year for day in missions)}, reverse=True)


def fetch(entries):
    """The images and documents of a page of ``entries``, in its order, each with its release
    (a mission's image is the mission): at most four queries, however long the page."""
    wanted = {IMAGE: [], DOCUMENT: [], MISSION_IMAGE: []}
    for entry_type, pk, _published in entries:
        wanted[entry_type].append(pk)
    release = Release.objects.defer("body", "body_en", "body_da")
    found = {}
    if wanted[IMAGE]:
        for image in ReleaseImage.objects.filter(pk__in=wanted[IMAGE]).select_related("licence"):
            found[IMAGE, image.pk] = image
    if wanted[DOCUMENT]:
        for document in ReleaseDocument.objects.filter(pk__in=wanted[DOCUMENT]):
            found[DOCUMENT, document.pk] = document
    if wanted[MISSION_IMAGE]:
        missions = Mission.objects.filter(pk__in=wanted[MISSION_IMAGE]).select_related(
            "image_licence"
        )
        for mission in missions.defer(*_LONG_MISSION_TEXTS):
            found[MISSION_IMAGE, mission.pk] = mission
    release_ids = {item.release_id for item in found.values() if hasattr(item, "release_id")}
    releases = (
        {r.pk: r for r in release.filter(pk__in=release_ids).order_by()} if release_ids else {}
    )
    shown = []
    for entry_type, pk, _published in entries:
        item = found[entry_type, pk]
        if entry_type != MISSION_IMAGE:
            item.release = releases[item.release_id]
        item.entry_type = entry_type
        shown.append(item)
    return shown


_LONG_MISSION_TEXTS = [
    f"{field}{suffix}" for field in ("summary", "description") for suffix in ("", "_en", "_da")
]


# Downloads


def download_name(release_image):
    return posixpath.basename(release_image.image.name)


def original_with_rights(release_image):
    """The stored original of ``release_image`` with its credit and licence in it, in chunks."""
    return _stored_with_rights(
        release_image.image.name,
        credit=release_image.credit,
        licence=release_image.licence,
        caption=release_image.caption,
    )


def mission_original_with_rights(mission):
    """The stored original of a mission's lead image with its credit and licence, in chunks."""
    return _stored_with_rights(
        mission.image.name,
        credit=mission.image_credit,
        licence=mission.image_licence,
        caption=mission.image_caption,
    )


def _stored_with_rights(name, *, credit, licence, caption):
    with default_storage.open(name, "rb") as file:
        yield from images.with_rights(
            file,
            credit=credit,
            licence=licence.name if licence else "",
            licence_url=licence.url if licence else "",
            caption=caption,
        )


class _Pipe:
    """A file that ``zipfile`` writes into, emptied by the generator that sends it on."""

    def __init__(self):
        self.chunks = []

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def archive_names(release_images):
    """A name in the archive for each image: its file's, numbered when two are the same."""
    names = []
    for release_image in release_images:
        name = download_name(release_image)
        stem, dot, extension = name.rpartition(".")
        number = 1
        while name in names:
            number += 1
            name = f"{stem}-{number}{dot}{extension}"
        names.append(name)
    return names


def zip_of_images(release_images, credits_text):
    """A ZIP of the images, each with its rights in it, and a credits file, in chunks.

    Written as it is sent: at most one chunk of one image is in memory at a time (the
    archive's directory aside). The images are stored as they are, already compressed.
    """
    pipe = _Pipe()
    moment = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, release_image in zip(archive_names(release_images), release_images, strict=True):
            with archive.open(zipfile.ZipInfo(name, moment), "w") as member:
                for chunk in original_with_rights(release_image):
                    member.write(chunk)
                    if data := pipe.take():
                        yield data
        archive.writestr(zipfile.ZipInfo("credits.txt", moment), credits_text.encode())
    yield pipe.take()
