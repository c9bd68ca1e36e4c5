"""The media library's pages and downloads."""

import posixpath

from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from core.caching import public_cache_control
from missions.models import Mission
from releases import library
from releases.models import Release, ReleaseImage

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class MediaLibraryView(ListView):
    """Every image and document of the public releases and the missions' lead images, newest
    first, with filters.

    A filter value that names nothing answers 404 with the page saying which.
    """

    paginate_by = 24
    template_name = "releases/media_library.html"

    def get(self, request, *args, **kwargs):
        self.filters = library.LibraryFilters(request.GET)
        response = super().get(request, *args, **kwargs)
        if not self.filters.valid:
            response.status_code = 404
        return response

    def get_queryset(self):
        if not self.filters.valid:
            return ReleaseImage.objects.none().values_list("pk")
        return self.filters.entries()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.filters
        page = context["page_obj"].number if context.get("page_obj") else None
        context.update(
            items=library.fetch(context["object_list"]) if filters.valid else [],
            form=filters.form,
            filters=filters,
            unknown_filters=filters.unknown(),
            alternates=filters.alternates("library:list", page),
            query_string=filters.query_string(),
        )
        return context


def _public_image(pk):
    image = ReleaseImage.objects.public().filter(pk=pk).select_related("licence", "release").first()
    if image is None:
        raise Http404
    return image


@require_safe
def original(request, pk):
    """The original of a public image, its credit and licence written into the file."""
    image = _public_image(pk)
    return _download(library.original_with_rights(image), library.download_name(image))


@require_safe
def mission_original(request, slug):
    """The original of a mission's lead image while its rights last, with credit and licence."""
    mission = (
        Mission.objects.with_image_in_rights()
        .filter(slug=slug)
        .select_related("image_licence")
        .first()
    )
    if mission is None:
        raise Http404
    name = posixpath.basename(mission.image.name)
    return _download(library.mission_original_with_rights(mission), name)


def _download(chunks, name):
    extension = name.rpartition(".")[2].lower()
    response = StreamingHttpResponse(
        chunks, content_type=CONTENT_TYPES.get(extension, "application/octet-stream")
    )
    response["Content-Disposition"] = content_disposition_header(True, name)
    public_cache_control(response)
    return response


@require_safe
def release_images(request, slug):
    """Every image of a public release in one ZIP, with a file of their credits and licences."""
    release = (
        Release.objects.published()
        .filter(Q(slug_en=slug) | Q(slug_da=slug))
        .defer("body", "body_en", "body_da")
        .first()
    )
    images = (
        list(ReleaseImage.objects.public().filter(release=release).select_related("licence"))
        if release
        else []
    )
    if not images:
        raise Http404(_("This release has no images to download."))
    credits = render_to_string(
        "releases/images_credits.txt",
        {"release": release, "images": zip(library.archive_names(images), images, strict=True)},
        request,
    )
    response = StreamingHttpResponse(
        library.zip_of_images(images, credits), content_type="application/zip"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{release.slug}-images.zip")
    public_cache_control(response)
    return response
