"""The public address of uploaded files, which serves a file only while its release is public."""

import mimetypes
import os
import posixpath
import re
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils._os import safe_join
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

from core.caching import public_cache_control
from core.models import PressroomProfile
from missions.models import Mission
from releases.models import PreviewLink, Release, ReleaseDocument, ReleaseImage, ReleaseRevision

_RELEASE_FILE = re.compile(r"releases/(?P<release>\d+)/(?P<kind>images|documents)/[^/]+")


@require_safe
def serve_media(request, path):
    """Serve an uploaded file only while the public (or staff, or a preview link) may see it."""
    if any(part in ("", ".", "..") for part in path.split("/")) or "\\" in path:
        raise Http404
    is_public = _is_site_image(path) or _belongs_to_public_release(path)
    if not (
        is_public
        or _may_preview(request.user, path)
        or _preview_link_shows(request.GET.get("preview"), path)
    ):
        raise Http404
    if hasattr(default_storage, "signed_url"):
        return _redirect_to_bucket(request, path, is_public)
    try:
        full_path = safe_join(settings.MEDIA_ROOT, path)
    except SuspiciousFileOperation as error:
        raise Http404 from error
    try:
        file = open(full_path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as error:
        raise Http404 from error
    stat = os.fstat(file.fileno())
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    last_modified = int(stat.st_mtime)
    if is_public and (
        answer := get_conditional_response(request, etag=etag, last_modified=last_modified)
    ):
        file.close()
        answer.headers["ETag"] = etag
        public_cache_control(answer)
        return answer
    if settings.MEDIA_ACCEL_REDIRECT:
        # nginx sends the file itself (deploy/nginx.conf); this worker only decided.
        file.close()
        response = HttpResponse(content_type=mimetypes.guess_type(path)[0] or "")
        response["X-Accel-Redirect"] = f"/_protected-media/{quote(path)}"
        if request.GET.get("download") == "1":
            response["Content-Disposition"] = content_disposition_header(
                True, posixpath.basename(path)
            )
    else:
        response = FileResponse(
            file,
            as_attachment=request.GET.get("download") == "1",
            filename=posixpath.basename(path),
            content_type=mimetypes.guess_type(path)[0] or "application/octet-stream",
        )
    if is_public:
        # Kept briefly, as pages are: a release can still be unpublished or withdrawn.
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        public_cache_control(response)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _redirect_to_bucket(request, path, is_public):
    """Send a reader the view has let through to a short-lived signed address of the file."""
    response = HttpResponseRedirect(
        default_storage.signed_url(path, download=request.GET.get("download") == "1")
    )
    if is_public:
        # Whoever keeps this answer must use it well within the address's life.
        lifetime = settings.MEDIA_SIGNED_URL_SECONDS // 4
        patch_cache_control(
            response,
            public=True,
            max_age=min(settings.PAGE_MAX_AGE, lifetime),
            s_maxage=min(settings.PAGE_SHARED_MAX_AGE, lifetime),
        )
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
    """Whether ``path`` is the pressroom's logo or a mission's image in its rights: public
    wherever shown."""
    if path.startswith("profile/"):
        return PressroomProfile.objects.filter(logo=path).exists()
    if path.startswith("missions/"):
        # A lead image whose rights have run out is no longer offered, whatever its address.
        return (
            Mission.objects.with_image_in_rights()
            .filter(Q(image=path) | Q(image_renditions__contains=[{"name": path}]))
            .exists()
        )
    return False


def _belongs_to_public_release(path):
    owner = _owner(path)
    if owner is not None and owner.model is ReleaseImage:
        # An image whose rights have run out is no longer offered, whatever its address.
        owner = owner.in_rights()
    return (
        owner is not None
        and Release.objects.published().filter(pk__in=owner.values("release_id")).exists()
    )


def _preview_link_shows(token, path):
    """Whether a preview link's reader may load this file: it shows the file's release."""
    link = PreviewLink.objects.for_token(token) if token else None
    return (
        link is not None
        and link.shows_release()
        and (owner := _owner(path)) is not None
        and owner.filter(release_id=link.release_id).exists()
    )


def _may_preview(user, path):
    if not (user.is_active and user.is_staff and user.has_perm("releases.view_release")):
        return False
    owner = _owner(path)
    # A file of a revision waiting for review is in no release's parts yet.
    return owner is not None and (owner.exists() or ReleaseRevision.objects.showing(path))
