"""Uploaded images and documents of releases: checking, cleaning, renditions, serving."""

import mimetypes
import posixpath
import re
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils._os import safe_join
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from missions.models import Mission
from pressroom import images
from pressroom.images import delete_files_on_commit
from pressroom.models import PressroomProfile
from pressroom.one_language import OneLanguageModelForm, OneLanguageStackedInline
from releases.models import Release, ReleaseDocument, ReleaseImage

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024

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


# Renditions (made by the image pipeline in pressroom/images.py)


def make_renditions(release_image):
    """Make and record the WebP and JPEG renditions of a saved image, replacing any before."""
    old_names = [rendition["name"] for rendition in release_image.renditions]
    release_image.renditions = images.make_renditions(release_image.image.name)
    release_image.save(update_fields=["renditions"])
    delete_files_on_commit(old_names)
    return release_image.renditions


def add_image(release, upload, **fields):
    """Check, clean and store an image of ``release`` with its renditions, outside the admin."""
    release_image = ReleaseImage(release=release, image=images.clean_upload(upload), **fields)
    release_image.full_clean(exclude=["image"])
    release_image.save()
    make_renditions(release_image)
    return release_image


def image_files(release_image):
    return [release_image.image.name, *(r["name"] for r in release_image.renditions)]


def srcset(release_image, image_format):
    """``url 480w, url 960w`` for one format's renditions of an image."""
    return images.srcset(release_image.renditions, image_format)


def fallback_url(release_image, max_width=960):
    """The JPEG rendition for browsers without srcset: the widest up to ``max_width``."""
    return images.fallback_url(release_image.renditions, release_image.image, max_width)


# Admin forms and inlines


class ReleaseImageForm(OneLanguageModelForm):
    class Meta:
        model = ReleaseImage
        fields = ["image", "alt", "caption", "credit", "is_lead", "order"]
        field_classes = {"image": images.ImageUploadField}

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


class ReleaseDocumentForm(OneLanguageModelForm):
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


class ReleaseImageInline(OneLanguageStackedInline):
    model = ReleaseImage
    add_text = _("Add an image")
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


class ReleaseDocumentInline(OneLanguageStackedInline):
    model = ReleaseDocument
    add_text = _("Add a document")
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
    is_public = _is_site_image(path) or _belongs_to_public_release(path)
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


def _is_site_image(path):
    """Whether ``path`` is the pressroom's logo or a mission's image: public wherever shown."""
    if path.startswith("profile/"):
        return PressroomProfile.objects.filter(logo=path).exists()
    if path.startswith("missions/"):
        return Mission.objects.filter(
            Q(image=path) | Q(image_renditions__contains=[{"name": path}])
        ).exists()
    return False


def _belongs_to_public_release(path):
    owner = _owner(path)
    return (
        owner is not None
        and Release.objects.published().filter(pk__in=owner.values("release_id")).exists()
    )


def _may_preview(user, path):
    return (
        user.is_active
        and user.is_staff
        and user.has_perm("releases.view_release")
        and (owner := _owner(path)) is not None
        and owner.exists()
    )
