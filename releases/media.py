"""Uploaded images and documents of releases: checking, cleaning, renditions, serving."""

import mimetypes
import posixpath
import re
import warnings
from io import BytesIO
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils._os import safe_join
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from modeltranslation.admin import TranslationStackedInline
from PIL import Image, ImageOps, UnidentifiedImageError

from releases.models import Release, ReleaseDocument, ReleaseImage, ReleaseRevision

# Limits of an uploaded image: bytes on disk, and pixels once decoded (a small
# file can decode to gigabytes).
MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024

# Pillow format name → file extension of the stored original.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RENDITION_WIDTHS = (480, 960, 1600)
RENDITION_FORMATS = {"webp": "WEBP", "jpeg": "JPEG"}

# Extension → the bytes such a file starts with (None: plain text, checked for NUL bytes).
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCUMENT_TYPES = {
    "pdf": b"%PDF-",
    "doc": _OLE,
    "docx": _ZIP,
    "xls": _OLE,
    "xlsx": _ZIP,
    "ppt": _OLE,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "odp": _ZIP,
    "csv": None,
    "txt": None,
}

# Public copies may be cached briefly: a release can still be unpublished or withdrawn.
PUBLIC_CACHE_SECONDS = 600


# Checking uploads


def check_image(upload):
    """Refuse anything but a decodable JPEG, PNG or WebP within the limits; return its format."""
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the largest accepted is %(limit)s."),
            code="too-big",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_IMAGE_BYTES)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; treat that as too big, too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in IMAGE_FORMATS:
                    raise ValidationError(
                        _("Upload a JPEG, PNG or WebP image; this file is %(format)s."),
                        code="format",
                        params={"format": image.format},
                    )
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(image.width, image.height)
                image.load()
                image_format = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            _(
                "This file is not an image the pressroom can read. Upload a photo or "
                "graphic as JPEG, PNG or WebP."
            ),
            code="not-an-image",
        ) from error
    finally:
        upload.seek(0)
    return image_format


def _too_many_pixels(width=None, height=None):
    if width is None:
        return ValidationError(
            _("The image has too many pixels; the largest accepted is %(limit)s megapixels."),
            code="too-many-pixels",
            params={"limit": MAX_IMAGE_PIXELS // 1_000_000},
        )
    return ValidationError(
        _(
            "The image is %(width)s × %(height)s pixels; the largest accepted is "
            "%(limit)s megapixels. Make it smaller and upload it again."
        ),
        code="too-many-pixels",
        params={"width": width, "height": height, "limit": MAX_IMAGE_PIXELS // 1_000_000},
    )


def check_document(upload):
    """Refuse files of other types, too big, or whose content is not what they say."""
    extension = PurePosixPath(upload.name).suffix.lower().lstrip(".")
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            _(
                "Files of this type cannot be attached. Upload PDF, Word (DOC, DOCX), "
                "Excel (XLS, XLSX), PowerPoint (PPT, PPTX), OpenDocument (ODT, ODS, ODP), "
                "CSV or plain text (TXT)."
            ),
            code="type",
        )
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the largest accepted is %(limit)s."),
            code="too-big",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_DOCUMENT_BYTES),
            },
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    signature = DOCUMENT_TYPES[extension]
    looks_right = b"\x00" not in head if signature is None else head.startswith(signature)
    if not looks_right:
        raise ValidationError(
            _(
                "This file does not contain what a .%(extension)s file should. Save it "
                "again as %(type)s and upload that."
            ),
            code="content",
            params={"extension": extension, "type": extension.upper()},
        )
    return extension


# Cleaning and renditions


def cleaned_original(upload, image_format):
    """The upload turned upright and re-encoded without EXIF, GPS or XMP data, as a file."""
    upload.seek(0)
    with Image.open(upload) as original:
        icc_profile = _rgb_profile(original)
        upright = ImageOps.exif_transpose(original)
        pixels = _without_metadata(upright, image_format)
    stem = PurePosixPath(get_valid_filename(PurePosixPath(upload.name).name) or "image").stem
    name = f"{stem[:80]}.{IMAGE_FORMATS[image_format]}"
    return ContentFile(_encode(pixels, image_format, quality=92, icc_profile=icc_profile), name)


def _rgb_profile(image):
    """The colour profile worth keeping: an RGB one (others no longer fit once converted)."""
    return image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None


def _without_metadata(image, image_format):
    """A new image holding only the pixels: no EXIF, XMP, text chunks or comments."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha and image_format != "JPEG" else "RGB"
    converted = image.convert("RGBA" if has_alpha else "RGB")
    if mode == "RGB" and has_alpha:
        background = Image.new("RGB", converted.size, "white")
        background.paste(converted, mask=converted.getchannel("A"))
        converted = background
    fresh = Image.new(mode, converted.size)
    fresh.paste(converted)
    return fresh


def _encode(image, image_format, quality, icc_profile=None):
    buffer = BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format in ("JPEG", "WEBP"):
        options["quality"] = quality
    if image_format == "JPEG":
        options["optimize"] = True
        image = image.convert("RGB")
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def rendition_widths(original_width):
    """The widths to make for an image: the standard ones it exceeds, or its own if smaller."""
    widths = [width for width in RENDITION_WIDTHS if width < original_width]
    return widths or [original_width]


def make_renditions(release_image):
    """Make and record the WebP and JPEG renditions of a saved image, replacing any before."""
    old_names = [rendition["name"] for rendition in release_image.renditions]
    stored = release_image.image.name
    folder, stem = posixpath.dirname(stored), PurePosixPath(stored).stem
    renditions = []
    with default_storage.open(stored, "rb") as file, Image.open(file) as original:
        icc_profile = _rgb_profile(original)
        source = original.convert("RGBA" if original.mode == "RGBA" else "RGB")
    for width in rendition_widths(source.width):
        height = max(1, round(source.height * width / source.width))
        resized = source.resize((width, height), Image.Resampling.LANCZOS)
        for suffix, image_format in RENDITION_FORMATS.items():
            pixels = _without_metadata(resized, image_format)
            content = _encode(pixels, image_format, quality=82, icc_profile=icc_profile)
            extension = IMAGE_FORMATS[image_format]
            name = default_storage.save(
                f"{folder}/{stem}-{width}.{extension}", ContentFile(content)
            )
            renditions.append({"width": width, "format": suffix, "name": name})
    release_image.renditions = renditions
    release_image.save(update_fields=["renditions"])
    delete_files_on_commit(old_names)
    return renditions


def add_image(release, upload, **fields):
    """Check, clean and store an image of ``release`` with its renditions, outside the admin."""
    release_image = ReleaseImage(
        release=release, image=cleaned_original(upload, check_image(upload)), **fields
    )
    release_image.full_clean(exclude=["image"])
    release_image.save()
    make_renditions(release_image)
    return release_image


def delete_files_on_commit(names):
    """Remove stored files once the change that dropped them is committed.

    A file that a revision shows is kept: the approved text may still show it, and
    restoring an earlier revision brings it back.
    """
    names = [name for name in names if name and not ReleaseRevision.objects.showing(name)]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def image_files(release_image):
    return [release_image.image.name, *(r["name"] for r in release_image.renditions)]


def srcset(release_image, image_format):
    """``url 480w, url 960w`` for one format's renditions of an image."""
    return ", ".join(
        f"{default_storage.url(r['name'])} {r['width']}w"
        for r in release_image.renditions
        if r["format"] == image_format
    )


def fallback_url(release_image, max_width=960):
    """The JPEG rendition for browsers without srcset: the widest up to ``max_width``."""
    jpegs = sorted(
        (r for r in release_image.renditions if r["format"] == "jpeg"), key=lambda r: r["width"]
    )
    fitting = [r for r in jpegs if r["width"] <= max_width] or jpegs
    if not fitting:
        return release_image.image.url
    return default_storage.url(fitting[-1]["name"])


# Admin forms and inlines


class ReleaseImageForm(forms.ModelForm):
    class Meta:
        model = ReleaseImage
        fields = ["image", "alt", "caption", "credit", "is_lead", "order"]
        # The checks in clean_image give clearer messages than Django's image field.
        field_classes = {"image": forms.FileField}

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if "image" not in self.changed_data:
            return upload
        image_format = check_image(upload)
        return cleaned_original(upload, image_format)

    def _get_validation_exclusions(self):
        # One lead image per release is checked across the formset, so that the lead
        # can move from one image to another in a single save.
        return {*super()._get_validation_exclusions(), "is_lead"}

    def save(self, commit=True):
        """Save, then make renditions of a new upload (with commit=False, call make_renditions)."""
        replaced = "image" in self.changed_data and self.instance.pk
        old_files = image_files(ReleaseImage.objects.get(pk=self.instance.pk)) if replaced else []
        release_image = super().save(commit=commit)
        if commit and "image" in self.changed_data:
            make_renditions(release_image)
            delete_files_on_commit(old_files)
        return release_image


class ReleaseDocumentForm(forms.ModelForm):
    class Meta:
        model = ReleaseDocument
        fields = ["file", "title", "order"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if "file" in self.changed_data:
            check_document(upload)
        return upload

    def save(self, commit=True):
        old_file = None
        if "file" in self.changed_data:
            self.instance.size = self.cleaned_data["file"].size
            if self.instance.pk:
                old_file = ReleaseDocument.objects.get(pk=self.instance.pk).file.name
        document = super().save(commit=commit)
        if commit:
            delete_files_on_commit([old_file])
        return document


class ReleaseImageFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        leads = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_lead") and not self._should_delete_form(form)
        ]
        if len(leads) > 1:
            raise ValidationError(
                _("Only one image can be the lead image; untick “lead image” on the others."),
                code="leads",
            )

    def delete_existing(self, obj, commit=True):
        if commit:
            delete_files_on_commit(image_files(obj))
        super().delete_existing(obj, commit=commit)


class ReleaseDocumentFormSet(forms.BaseInlineFormSet):
    def delete_existing(self, obj, commit=True):
        if commit:
            delete_files_on_commit([obj.file.name])
        super().delete_existing(obj, commit=commit)


class ReleaseImageInline(TranslationStackedInline):
    model = ReleaseImage
    form = ReleaseImageForm
    formset = ReleaseImageFormSet
    extra = 0
    fields = ["image", "preview", "alt", "caption", "credit", "is_lead", "order"]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview"))
    def preview(self, release_image):
        if not release_image.pk:
            return "–"
        return format_html(
            '<img src="{}" alt="" width="240"><br>{}',
            fallback_url(release_image, max_width=480),
            _("%(width)s × %(height)s pixels")
            % {"width": release_image.width, "height": release_image.height},
        )


class ReleaseDocumentInline(TranslationStackedInline):
    model = ReleaseDocument
    form = ReleaseDocumentForm
    formset = ReleaseDocumentFormSet
    extra = 0


# Serving

_RELEASE_FILE = re.compile(r"releases/(?P<release>\d+)/(?P<kind>images|documents)/[^/]+")


@require_safe
def serve_media(request, path):
    """Serve an uploaded file only while the public (or the staff user) may see it."""
    if any(part in ("", ".", "..") for part in path.split("/")) or "\\" in path:
        raise Http404
    try:
        full_path = safe_join(settings.MEDIA_ROOT, path)
    except SuspiciousFileOperation as error:
        raise Http404 from error
    is_public = path.startswith("profile/") or _belongs_to_public_release(path)
    if not is_public and not _may_preview(request.user, path):
        raise Http404
    try:
        file = open(full_path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as error:
        raise Http404 from error
    response = FileResponse(
        file,
        as_attachment=request.GET.get("download") == "1",
        filename=posixpath.basename(path),
        content_type=mimetypes.guess_type(path)[0] or "application/octet-stream",
    )
    if is_public:
        patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _owner(path):
    """The queryset of the release image or document stored at ``path``, or None."""
    match = _RELEASE_FILE.fullmatch(path)
    if not match:
        return None
    release_id = int(match["release"])
    if match["kind"] == "documents":
        return ReleaseDocument.objects.filter(release_id=release_id, file=path)
    return ReleaseImage.objects.filter(release_id=release_id).filter(
        Q(image=path) | Q(renditions__contains=[{"name": path}])
    )


def _belongs_to_public_release(path):
    owner = _owner(path)
    return (
        owner is not None
        and Release.objects.published().filter(pk__in=owner.values("release_id")).exists()
    )


def _may_preview(user, path):
    if not (user.is_active and user.is_staff and user.has_perm("releases.view_release")):
        return False
    owner = _owner(path)
    # A file of a revision waiting for review is in no release's parts yet.
    return owner is not None and (owner.exists() or ReleaseRevision.objects.showing(path))
