"""Uploaded images and documents of releases: checking, cleaning, renditions, serving."""

from django.http import Http404
from modeltranslation.admin import TranslationStackedInline

from releases.models import ReleaseDocument, ReleaseImage


class ReleaseImageInline(TranslationStackedInline):
    model = ReleaseImage
    extra = 0


class ReleaseDocumentInline(TranslationStackedInline):
    model = ReleaseDocument
    extra = 0


def serve_media(request, path):
    """Serve an uploaded file only while the public (or the staff user) may see it."""
    raise Http404
