"""Uploaded images and documents of releases: checking, cleaning, storing and renditions."""

from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core import images
from releases.models import ReleaseDocument, ReleaseImage, ReleaseRevision

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
    release_image.size = release_image.image.size
    release_image.save(update_fields=["renditions", "size"])
    delete_files_on_commit(old_names)
    return release_image.renditions


def add_image(release, upload, **fields):
    """Check, clean and store an image of ``release`` with its renditions, outside the admin."""
    release_image = ReleaseImage(release=release, image=images.clean_upload(upload), **fields)
    release_image.full_clean(exclude=["image"])
    release_image.save()
    make_renditions(release_image)
    return release_image


def delete_files_on_commit(names):
    """Remove a release's stored files once the change that dropped them is committed.

    A file still in use then is kept: an image or document holds it, or a revision
    shows it (the approved text may still show it, and restoring an earlier revision
    brings it back). It is asked after the commit, so a release deleted with its
    revisions frees every file they showed.
    """
    names = {name for name in names if name}
    if names:
        transaction.on_commit(lambda: _delete_unused(names))


def _delete_unused(names):
    for name in sorted(names):
        if not _in_use(name):
            default_storage.delete(name)


def _in_use(name):
    image = Q(image=name) | Q(renditions__contains=[{"name": name}])
    return (
        ReleaseImage.objects.filter(image).exists()
        or ReleaseDocument.objects.filter(file=name).exists()
        or ReleaseRevision.objects.showing(name)
    )


def connect():
    """Free the files of every image, document and revision deleted, however it goes.

    Deleting a release deletes them too (a cascade sends these signals for each row).
    """
    post_delete.connect(_image_deleted, sender=ReleaseImage, dispatch_uid="image-files")
    post_delete.connect(_document_deleted, sender=ReleaseDocument, dispatch_uid="document-files")
    post_delete.connect(_revision_deleted, sender=ReleaseRevision, dispatch_uid="revision-files")


def _image_deleted(sender, instance, **kwargs):
    delete_files_on_commit(image_files(instance))


def _document_deleted(sender, instance, **kwargs):
    delete_files_on_commit([instance.file.name])


def _revision_deleted(sender, instance, **kwargs):
    from releases.revisions import files

    delete_files_on_commit(files(instance.content))


def image_files(release_image):
    return [release_image.image.name, *(r["name"] for r in release_image.renditions)]


def srcset(release_image, image_format):
    """``url 480w, url 960w`` for one format's renditions of an image."""
    return images.srcset(release_image.renditions, image_format)


def fallback_url(release_image, max_width=960):
    """The JPEG rendition for browsers without srcset: the widest up to ``max_width``."""
    return images.fallback_url(release_image.renditions, release_image.image, max_width)
