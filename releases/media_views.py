"""The public address of uploaded files, which serves a file only while its release is public."""

import mimetypes
import posixpath
import re

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Q
from django.http import FileResponse, Http404
from django.utils._os import safe_join
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from releases.models import Release, ReleaseDocument, ReleaseImage

# Public copies may be cached briefly: a release can still be unpublished or withdrawn.
PUBLIC_CACHE_SECONDS = 600

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
    return (
        user.is_active
        and user.is_staff
        and user.has_perm("releases.view_release")
        and (owner := _owner(path)) is not None
        and owner.exists()
    )
