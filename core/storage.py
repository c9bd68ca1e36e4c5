"""Uploads in a private S3-compatible bucket, reached only through the application's checks.

Used when MEDIA_STORAGE_URL is set (see ``pressroom/settings.py``). Every page keeps linking
to the application's own media address (``MEDIA_URL`` + name), exactly as with the local
folder; the media view decides whether the reader may see the file (its release public,
or a staff member, or a preview link) and only then sends the reader to a signed address
of the bucket that lapses after MEDIA_SIGNED_URL_SECONDS. Nothing in the bucket is public,
so a file of a release under embargo is never reachable before the release is public, and
an unpublished release's file only through an address signed before the unpublishing, for
the rest of its short life.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage


class MediaBucketStorage(S3Storage):
    """A private bucket whose files are linked at the application's media address."""

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            # Two uploads of photo.jpg get two names, as in the local folder.
            "file_overwrite": False,
            "querystring_auth": True,
            "signature_version": "s3v4",
        }

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name).lstrip("/"))

    def signed_url(self, name, *, download=False):
        """The bucket's own address of ``name``, good for MEDIA_SIGNED_URL_SECONDS."""
        parameters = {}
        if download:
            parameters["ResponseContentDisposition"] = content_disposition_header(
                True, name.rsplit("/", 1)[-1]
            )
        return super().url(name, parameters=parameters, expire=settings.MEDIA_SIGNED_URL_SECONDS)
